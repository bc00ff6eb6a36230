// A SHOULD rule the store under test did not follow: reported amber ("recommended"), not as a failure.
// Steps attach one per miss to the scenario, with this media type, for the matrix to read.

export const RECOMMENDATION_MEDIA_TYPE = 'application/vnd.wfstore.recommendation+json';

export interface Recommendation {
  /** The rule's id in docs/contract.md, e.g. "WF-ERR-4". */
  rule: string;
  /** What the store did instead. */
  message: string;
}
