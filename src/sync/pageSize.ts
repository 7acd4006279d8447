/**
 * Adaptive page size (Tanium: start at 100 and tune by response time), aimed at rows per second of
 * wall time. A page costs a round trip plus time per row: while round trips dominate, a page twice as
 * large moves clearly more rows per second, and the sizer doubles it; once doubling stops paying (the
 * time per row dominates) it holds. It halves when a page is slow or fails. Two caps bound it: Tanium's
 * limit of endpoints per page (`max`), and `maxRowsPerPage`, rows of all streams, because a page parsed
 * whole is in memory with the next (one stored, one arriving): memory is bounded by rows, not endpoints.
 * A streamed page (src/sync/pageStream.ts) is handed to the writer in chunks of that many rows instead,
 * so only the chunk is bounded and the page may grow to `max` while its answer comes back within the
 * budget: a larger streamed page costs no memory and saves round trips, so it need not pay to grow.
 * The default row cap is what keeps a sync under 256 MiB of RSS (docs/sync.md, "Speed").
 */
export interface PageSizeOptions {
  min: number;
  max: number;
  budgetMs: number;
  maxRowsPerPage: number;
  /**
   * The budget of a streamed page's answer (to its first bytes): larger than a whole page's, since a
   * streamed page's size costs no memory and saves round trips; a third of the default 30 s header
   * timeout (docs/sdk.md), which integrations use as their client timeout too.
   */
  streamBudgetMs: number;
}

export const DEFAULT_PAGE_SIZE: PageSizeOptions = {
  min: 100,
  max: 5_000,
  budgetMs: 2_000,
  maxRowsPerPage: 6_000,
  streamBudgetMs: 10_000,
};

/** A doubling must raise rows per second by this factor to count as paying. */
const PAYING_GAIN = 1.15;

export class PageSizer {
  /** The size wished for, within min and max; a page parsed whole is also held to the row cap. */
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
    this.#size = this.#bound(initial);
  }

  /** Endpoints to ask for in a page parsed whole. */
  get size(): number {
    return this.#clamp(this.#size);
  }

  /** Endpoints to ask for in a streamed page. */
  get streamed(): number {
    return this.#size;
  }

  /** Endpoints per chunk of a streamed page: the row cap at the densest rows per endpoint so far. */
  get chunk(): number {
    return Math.max(1, Math.floor(this.options.maxRowsPerPage / this.#rowsPerEndpoint));
  }

  /** A chunk's rows: the densest part of a page sets the chunk's (and a whole page's) cap. */
  see(endpoints: number, rows: number): void {
    // The densest page so far sets the cap: a page's memory follows its rows, and a sparse page must not
    // let the next (perhaps dense) one run far over the cap.
    if (endpoints > 0) this.#rowsPerEndpoint = Math.max(this.#rowsPerEndpoint, rows / endpoints);
  }

  /**
   * After a page: `ms` from request to parsed answer (to the first bytes of a streamed one: the
   * Gateway's time), `endpoints` nodes, `rows` rows of all streams; `asked` the size it was asked at.
   */
  observe(ms: number, endpoints: number, rows: number, asked = this.size, streamed = false): void {
    this.see(endpoints, rows);
    const budgetMs = streamed ? this.options.streamBudgetMs : this.options.budgetMs;
    if (ms > budgetMs) {
      this.#shrink(asked);
      return;
    }
    // A short page (the last one) says nothing about the rate at this size.
    if (endpoints < asked) return;
    const rate = rows / Math.max(ms, 1);
    const previous = this.#last;
    this.#last = { size: asked, rate };
    if (!streamed && previous && previous.size < asked && rate < previous.rate * PAYING_GAIN)
      this.#settled = true;
    const grow = (streamed || !this.#settled) && ms < budgetMs / 2;
    this.#size = this.#bound(grow ? asked * 2 : asked);
  }

  /**
   * Caps the rows of a page anew (parallel cursors: with n partitions reading at once, n+1 pages may be
   * in memory, so each gets a share of the row cap); the size shrinks to fit at once.
   */
  limitRows(maxRowsPerPage: number): void {
    this.options = { ...this.options, maxRowsPerPage };
  }

  /** After a failed page (the SDK already retried): ask for less. */
  failed(streamed = false): void {
    this.#shrink(streamed ? this.#size : this.size);
  }

  #shrink(asked: number): void {
    this.#size = this.#bound(Math.floor(Math.min(asked, this.#size) / 2));
    this.#last = undefined;
    this.#settled = false;
  }

  #bound(size: number): number {
    return Math.max(this.options.min, Math.min(this.options.max, size));
  }

  #clamp(size: number): number {
    const byRows = Math.floor(this.options.maxRowsPerPage / this.#rowsPerEndpoint);
    return Math.max(this.options.min, Math.min(byRows, size));
  }
}
