import type { StreamCounts } from '../store/sync.js';
import { addCounts } from './commitPage.js';
import type { PassState } from './passState.js';

/** What a committed page adds to the run: counts, totals and the `page` event. */
export interface CommittedPage {
  /** The pass's page number. */
  page: number;
  /** The partition it came from (a partitioned pass). */
  partition?: number;
  edges: number;
  rows: number;
  counts: Record<string, StreamCounts>;
  /** The endpoints the pass reads, as far as known. */
  total: number | null;
  /**
   * The endpoints of `total` read so far, for the ETA (a resumed collection counts only those after its
   * resume point); absent: every endpoint this run read.
   */
  done?: number;
  pageSize: number;
  ms: number;
  waitMs: number;
  storeMs: number;
}

/** Adds a committed page to the run's summary and emits its `page` event (with rate and ETA). */
export function recordPage(s: PassState, page: CommittedPage): void {
  addCounts(s.totals, page.counts);
  s.summary.pages++;
  s.summary.endpoints += page.edges;
  const elapsed = (performance.now() - s.started) / 1000;
  const rate = s.summary.endpoints / Math.max(elapsed, 0.001);
  s.emit({
    event: 'page',
    page: page.page,
    ...(page.partition === undefined ? {} : { partition: page.partition }),
    endpoints: s.summary.endpoints,
    rows: page.rows,
    totalRecords: page.total,
    pageSize: page.pageSize,
    ms: Math.round(page.ms),
    waitMs: Math.round(page.waitMs),
    storeMs: Math.round(page.storeMs),
    endpointsPerSecond: Math.round(rate),
    etaSeconds:
      page.total === null
        ? null
        : Math.max(0, Math.round((page.total - (page.done ?? s.summary.endpoints)) / rate)),
  });
}
