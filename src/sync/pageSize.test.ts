import { describe, expect, it } from 'vitest';
import { DEFAULT_PAGE_SIZE, PageSizer } from './pageSize.js';

/** A page's time: a fixed round trip plus time per row, the model the sizer is tuned against. */
function pageMs(roundTripMs: number, rows: number, perRowMs: number): number {
  return roundTripMs + rows * perRowMs;
}

function settle(sizer: PageSizer, roundTripMs: number, rowsPerEndpoint: number, perRowMs: number): number[] {
  const sizes: number[] = [];
  for (let i = 0; i < 12; i++) {
    const endpoints = sizer.size;
    const rows = endpoints * rowsPerEndpoint;
    sizer.observe(pageMs(roundTripMs, rows, perRowMs), endpoints, rows);
    sizes.push(sizer.size);
  }
  return sizes;
}

describe('PageSizer', () => {
  it('grows to the row cap while round trips dominate (200 ms per request)', () => {
    const sizer = new PageSizer(100, DEFAULT_PAGE_SIZE);
    const sizes = settle(sizer, 200, 30, 0.005);
    expect(sizes.at(-1)).toBe(Math.floor(DEFAULT_PAGE_SIZE.maxRowsPerPage / 30));
  });

  it("grows to Tanium's 5,000 endpoints per page when endpoints carry one row each", () => {
    const sizer = new PageSizer(100, DEFAULT_PAGE_SIZE);
    expect(settle(sizer, 200, 1, 0.005).at(-1)).toBe(5_000);
  });

  it('holds once doubling no longer pays (the time per row dominates)', () => {
    const sizer = new PageSizer(100, { ...DEFAULT_PAGE_SIZE, maxRowsPerPage: 1_000_000, budgetMs: 100_000 });
    const sizes = settle(sizer, 1, 1, 0.05);
    // 100 rows take 6 ms, 200 take 11 ms: under 15% more rows per second, so it stops at 200.
    expect(sizes.at(-1)).toBe(200);
    expect(new Set(sizes.slice(2)).size).toBe(1);
  });

  it('halves after a slow page and after a failure, never below min', () => {
    const sizer = new PageSizer(800, { ...DEFAULT_PAGE_SIZE, maxRowsPerPage: 1_000_000 });
    sizer.observe(DEFAULT_PAGE_SIZE.budgetMs + 1, 800, 800);
    expect(sizer.size).toBe(400);
    sizer.failed();
    expect(sizer.size).toBe(200);
    sizer.failed();
    sizer.failed();
    expect(sizer.size).toBe(DEFAULT_PAGE_SIZE.min);
  });

  it('ignores the rate of a short last page', () => {
    const sizer = new PageSizer(400, { ...DEFAULT_PAGE_SIZE, maxRowsPerPage: 1_000_000 });
    sizer.observe(50, 10, 10);
    expect(sizer.size).toBe(400);
  });

  it("streamed pages grow to Tanium's 5,000 past the row cap, which then bounds each chunk", () => {
    const sizer = new PageSizer(100, DEFAULT_PAGE_SIZE);
    for (let i = 0; i < 8; i++) {
      const asked = sizer.streamed;
      // 200 ms round trips and 0.5 ms per endpoint (35 rows each): answers well within the budget.
      sizer.observe(200 + asked * 0.5, asked, asked * 35, asked, true);
    }
    expect(sizer.streamed).toBe(5_000);
    expect(sizer.chunk).toBe(Math.floor(DEFAULT_PAGE_SIZE.maxRowsPerPage / 35));
    expect(sizer.size).toBe(sizer.chunk);
  });

  it('a streamed page slower than its budget halves the streamed size', () => {
    const sizer = new PageSizer(4_000, DEFAULT_PAGE_SIZE);
    sizer.observe(DEFAULT_PAGE_SIZE.streamBudgetMs + 1, 4_000, 4_000, 4_000, true);
    expect(sizer.streamed).toBe(2_000);
  });
});
