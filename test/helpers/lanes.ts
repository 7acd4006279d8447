/**
 * A fixed set of lanes (e.g. one emulator each) that concurrent tests take one at a time: a test that
 * installs fault rules, counts requests or moves the clock has its lane to itself, so tests can run
 * side by side (`it.concurrent`) without seeing each other's state. A test waits while every lane is
 * taken; lanes are handed on in the order tests asked for them.
 */
export class Lanes<T> {
  readonly #free: T[];
  readonly #waiting: ((lane: T) => void)[] = [];

  constructor(readonly all: readonly T[]) {
    if (all.length === 0) throw new Error('Lanes needs at least one lane');
    this.#free = [...all];
  }

  /** Runs `task` with a lane of its own, handing the lane on when it settles. */
  async with<R>(task: (lane: T) => Promise<R>): Promise<R> {
    const lane = this.#free.pop() ?? (await new Promise<T>((resolve) => this.#waiting.push(resolve)));
    try {
      return await task(lane);
    } finally {
      const next = this.#waiting.shift();
      if (next) next(lane);
      else this.#free.push(lane);
    }
  }
}

/**
 * Lanes for a CLI suite on the 2-core box: two, so that one lane's CLI process starts while the
 * other's waits on HTTP or the disk, without starving the other test worker.
 */
export const CLI_LANES = 2;
