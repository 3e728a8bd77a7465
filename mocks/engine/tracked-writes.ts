/**
 * Shared-store writes a caller does not wait for (a scenario change answered at once), tracked
 * so that `settle()` can wait for all of them and report the last one that failed.
 */
export class TrackedWrites {
  readonly #pending = new Set<Promise<void>>();
  #failure: unknown;

  add(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => {
      this.#failure = error;
    });
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }

  /** Resolves once every write so far is done; rejects with a failure since the last call. */
  async settle(): Promise<void> {
    await Promise.all(this.#pending);
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure) throw failure;
  }
}
