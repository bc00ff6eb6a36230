/** A problem with what the user asked for (an unknown backend, a bad option): the command line exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
