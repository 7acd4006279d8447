/**
 * Answers in the order they arrived: the readers of a partitioned pass push theirs as they come, the
 * one writer takes the oldest (Promise.race would favour the first reader whenever several are ready).
 */
export class Arrivals<T> {
  #queue: T[] = [];
  #wake: (() => void) | undefined;

  push(item: T): void {
    this.#queue.push(item);
    this.#wake?.();
  }

  /** An answer is waiting (the writer need not wait for the next one). */
  get ready(): boolean {
    return this.#queue.length > 0;
  }

  async take(): Promise<T> {
    while (this.#queue.length === 0)
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    this.#wake = undefined;
    return this.#queue.shift()!;
  }
}
