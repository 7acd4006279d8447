/**
 * Adaptive page size (Tanium: start at 100 and tune by response time), aimed at rows per second of
 * wall time. A page costs a round trip plus time per row: while round trips dominate, a page twice as
 * large moves clearly more rows per second, and the sizer doubles it; once doubling stops paying (the
 * time per row dominates) it holds. It halves when a page is slow or fails. Two caps bound it: Tanium's
 * limit of endpoints per page (`max`), and `maxRowsPerPage`, rows of all streams, because a page is
 * parsed whole and two are in memory at once (one stored, one arriving): memory is bounded by rows, not
 * endpoints. The default row cap is what keeps a sync under 256 MiB of RSS (docs/sync.md, "Speed").
 */
export interface PageSizeOptions {
  min: number;
  max: number;
  budgetMs: number;
  maxRowsPerPage: number;
}

export const DEFAULT_PAGE_SIZE: PageSizeOptions = {
  min: 100,
  max: 5_000,
  budgetMs: 2_000,
  maxRowsPerPage: 8_000,
};

/** A doubling must raise rows per second by this factor to count as paying. */
const PAYING_GAIN = 1.15;

export class PageSizer {
  #size: number;
  #rowsPerEndpoint = 1;
  /** Rows per millisecond of the last full page, and the size it was asked at. */
  #last: { size: number; rate: number } | undefined;
  /** Set when a doubling did not pay: the size holds (until a slow or failed page shrinks it). */
  #settled = false;

  constructor(
    initial: number,
    public options: PageSizeOptions = DEFAULT_PAGE_SIZE,
  ) {
    this.#size = this.#clamp(initial);
  }

  get size(): number {
    return this.#size;
  }

  /** After a page: `ms` from request to parsed answer, `endpoints` nodes, `rows` rows of all streams. */
  observe(ms: number, endpoints: number, rows: number): void {
    // The densest page so far sets the cap: a page's memory follows its rows, and a sparse page must not
    // let the next (perhaps dense) one run far over the cap.
    if (endpoints > 0) this.#rowsPerEndpoint = Math.max(this.#rowsPerEndpoint, rows / endpoints);
    const asked = this.#size;
    if (ms > this.options.budgetMs) {
      this.#shrink();
      return;
    }
    // A short page (the last one) says nothing about the rate at this size.
    if (endpoints < asked) {
      this.#size = this.#clamp(asked);
      return;
    }
    const rate = rows / Math.max(ms, 1);
    const previous = this.#last;
    this.#last = { size: asked, rate };
    if (previous && previous.size < asked && rate < previous.rate * PAYING_GAIN) this.#settled = true;
    const grow = !this.#settled && ms < this.options.budgetMs / 2;
    this.#size = this.#clamp(grow ? asked * 2 : asked);
  }

  /**
   * Caps the rows of a page anew (parallel cursors: with n partitions reading at once, n+1 pages may be
   * in memory, so each gets a share of the row cap); the size shrinks to fit at once.
   */
  limitRows(maxRowsPerPage: number): void {
    this.options = { ...this.options, maxRowsPerPage };
    this.#size = this.#clamp(this.#size);
  }

  /** After a failed page (the SDK already retried): ask for less. */
  failed(): void {
    this.#shrink();
  }

  #shrink(): void {
    this.#size = this.#clamp(Math.floor(this.#size / 2));
    this.#last = undefined;
    this.#settled = false;
  }

  #clamp(size: number): number {
    const byRows = Math.floor(this.options.maxRowsPerPage / this.#rowsPerEndpoint);
    return Math.max(this.options.min, Math.min(this.options.max, byRows, size));
  }
}
