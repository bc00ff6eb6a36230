/** A clock the test moves by hand, so timestamps are known and equal across backends. */
export class ManualClock {
  private time: number;
  constructor(start = '2026-01-01T00:00:00.000Z') {
    this.time = Date.parse(start);
  }
  readonly now = (): Date => new Date(this.time);
  advance(ms = 1): string {
    this.time += ms;
    return this.iso();
  }
  set(iso: string): void {
    this.time = Date.parse(iso);
  }
  iso(): string {
    return new Date(this.time).toISOString();
  }
}

/** Ids run-1, run-2, ... for runs created without an id. */
export function sequentialIds(prefix = 'run'): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}
