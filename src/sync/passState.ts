import type { PassMode } from '../store/sync.js';
import type { StreamName, StreamOptions } from '../streams/stream.js';
import type { StreamSummary, SyncEvent, SyncSummary } from './events.js';
import type { PageSizeOptions } from './pageSize.js';

/** What a pass reads with, and the run's tallies it adds its pages to. */
export interface PassState {
  active: StreamName[];
  skipped: SyncSummary['skipped'];
  totals: Map<StreamName, StreamSummary>;
  summary: SyncSummary;
  emit: (event: SyncEvent) => void;
  now: () => string;
  sizeOptions: PageSizeOptions;
  started: number;
  /** What the tenant's schema lets the streams select (src/sync/schemaNeeds.ts). */
  streamOptions: StreamOptions;
  /** Reads the schema again after a refused query. */
  refreshPlan: () => Promise<StreamOptions>;
  /** The check-in pass's start mark (an incremental pass's), where the pass's own mark starts. */
  startSeen: string | null;
  /** Read only the endpoints whose data changed (an incremental pass after its check-in pass). */
  changesOnly: boolean;
  /** Collects the ids of the endpoints written (incremental passes). */
  written: string[] | undefined;
}

/** What completing a pass needs from its reading (src/sync/finishRun.ts, `completePass`). */
export interface PassEnd {
  mode: PassMode;
  generation: number;
  passMaxSeen: string | null;
  changesOnly: boolean;
}
