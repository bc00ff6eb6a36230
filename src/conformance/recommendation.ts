// What steps attach to a scenario for the matrix to read, each with its media type: a SHOULD rule the store
// under test did not follow (reported amber, "recommended", not as a failure), and a property's seed.

export const RECOMMENDATION_MEDIA_TYPE = 'application/vnd.wfstore.recommendation+json';

/** What a property scenario attaches: the seed it ran with (an expectations file keeps it to replay it). */
export const PROPERTY_MEDIA_TYPE = 'application/vnd.wfstore.property+json';

export interface PropertyRun {
  seed: number;
  runs: number;
}

export interface Recommendation {
  /** The rule's id in docs/contract.md, e.g. "WF-ERR-4". */
  rule: string;
  /** What the store did instead. */
  message: string;
}
