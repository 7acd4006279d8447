/**
 * Adaptive page size (Tanium: start at 100 and tune by response time). Grows while pages come back well
 * inside the latency budget, halves when a page is slow or fails, and never asks for more rows than
 * `maxRowsPerPage` (an endpoint with its findings is many rows: memory stays bounded by rows, not by
 * endpoints).
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
  maxRowsPerPage: 5_000,
};

export class PageSizer {
  #size: number;
  #rowsPerEndpoint = 1;

  constructor(
    initial: number,
    readonly options: PageSizeOptions = DEFAULT_PAGE_SIZE,
  ) {
    this.#size = this.#clamp(initial);
  }

  get size(): number {
    return this.#size;
  }

  /** After a page: `ms` from request to parsed answer, `endpoints` nodes, `rows` rows of all streams. */
  observe(ms: number, endpoints: number, rows: number): void {
    if (endpoints > 0) this.#rowsPerEndpoint = Math.max(1, rows / endpoints);
    if (ms > this.options.budgetMs) this.#size = this.#clamp(Math.floor(this.#size / 2));
    else if (ms < this.options.budgetMs / 2 && endpoints >= this.#size)
      this.#size = this.#clamp(this.#size * 2);
    else this.#size = this.#clamp(this.#size);
  }

  /** After a failed page (the SDK already retried): ask for less. */
  failed(): void {
    this.#size = this.#clamp(Math.floor(this.#size / 2));
  }

  #clamp(size: number): number {
    const byRows = Math.floor(this.options.maxRowsPerPage / this.#rowsPerEndpoint);
    return Math.max(this.options.min, Math.min(this.options.max, byRows, size));
  }
}
