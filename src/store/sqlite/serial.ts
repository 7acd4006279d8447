/**
 * Runs async tasks one at a time. One better-sqlite3 handle has one transaction state, so while an
 * async transaction is open, calls made outside it must wait rather than slip into it.
 */
export class Serial {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    // Keep the chain alive whether the task succeeded or not.
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

/** How a repository runs a statement: queued behind transactions, or directly inside one. */
export type Runner = <T>(work: () => T) => Promise<T>;

export const direct: Runner = async (work) => work();
