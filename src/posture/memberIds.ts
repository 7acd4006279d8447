/** The first block of numbers, and the largest (32 KiB outside the JavaScript heap): blocks double. */
const FIRST_BLOCK = 256;
const LARGEST_BLOCK = 4_096;

/** An id written as a plain decimal integer, with no sign, leading zero or exponent. */
const DECIMAL = /^(?:0|[1-9][0-9]{0,15})$/;

/**
 * A computer group's member ids, held compactly. A sync holds the whole fleet's membership from the
 * group read's start to the run's end, every endpoint once per group it is in: at 100,000 endpoints in
 * 8 groups, an array of id strings was about 6 MiB of a live heap of about 24 MiB, and V8 lets the heap
 * grow to a multiple of what is live before it collects, so every MiB held cost several of peak RSS
 * (docs/sync.md, "Computer group membership: when it can change"). Tanium's Gateway answers endpoint
 * ids as decimal integers in strings (`"id": "12323"`), as the emulator does: those are kept as numbers
 * in blocks outside the heap (8 bytes each; small groups get small blocks), any other id as the string
 * it is. Iterating gives back the same strings, numbers first, each once per `add`.
 */
export class MemberIds implements Iterable<string> {
  readonly #blocks: Float64Array[] = [];
  #current: Float64Array | undefined;
  #inCurrent = 0;
  #numbers = 0;
  readonly #others: string[] = [];

  add(id: string): void {
    const n = DECIMAL.test(id) ? Number(id) : Number.NaN;
    if (!Number.isSafeInteger(n)) {
      this.#others.push(id);
      return;
    }
    let block = this.#current;
    if (block === undefined || this.#inCurrent === block.length) {
      block = new Float64Array(block === undefined ? FIRST_BLOCK : Math.min(LARGEST_BLOCK, block.length * 2));
      this.#blocks.push(block);
      this.#current = block;
      this.#inCurrent = 0;
    }
    block[this.#inCurrent++] = n;
    this.#numbers++;
  }

  get size(): number {
    return this.#numbers + this.#others.length;
  }

  *[Symbol.iterator](): Iterator<string> {
    for (const block of this.#blocks) {
      const end = block === this.#current ? this.#inCurrent : block.length;
      for (let i = 0; i < end; i++) yield String(block[i]);
    }
    yield* this.#others;
  }
}
