import type { Store } from '../store/store.js';
import type { StreamName } from '../streams/stream.js';
import type { SyncEvent } from './events.js';
import type { GatewayClient, GatewayPage } from './fetchPages.js';
import { PageReader } from './fetchPages.js';
import type { HeldLease } from './lease.js';
import { type PageSizeOptions, PageSizer } from './pageSize.js';
import { CHECK_INS_QUERY } from './query.js';

export interface CheckInRequest {
  store: Store;
  client: GatewayClient;
  lease: HeldLease;
  connection: string;
  runId: number;
  streams: StreamName[];
  sensors: readonly string[];
  since: string;
  sizeOptions: PageSizeOptions;
  maxPageFailures: number;
  /** Check-ins recorded per transaction; absent or not a positive integer: `CHECK_INS_PER_TRANSACTION`. */
  perTransaction?: number | undefined;
  emit: (event: SyncEvent) => void;
  now: () => string;
}

export type CheckIn = { endpointId: string; lastSeen: string };

export interface CheckInResult {
  endpoints: number;
  /** the check-ins read, recorded beside and after the pass's full reads (checkInRecorder.ts) */
  seen: CheckIn[];
  pages: number;
  durationMs: number;
  /**
   * The largest eidLastSeen of the first page: a Tanium time no later than the first read of the pass
   * (an endpoint's eidLastSeen is never after the moment it is read), so no later than any read of it.
   */
  firstPageSeen: string | null;
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/** A page's check-ins: ids with a well-formed eidLastSeen (others are left to the full reads). */
function checkIns(page: GatewayPage): { endpointId: string; lastSeen: string }[] {
  const out: { endpointId: string; lastSeen: string }[] = [];
  for (const edge of page.edges) {
    const node = edge?.node as { id?: unknown; eidLastSeen?: unknown } | null | undefined;
    const id = node?.id;
    const seen = node?.eidLastSeen;
    if (typeof id !== 'string' || id === '' || typeof seen !== 'string' || !RFC3339.test(seen)) continue;
    if (!Number.isFinite(Date.parse(seen))) continue;
    out.push({ endpointId: id, lastSeen: seen });
  }
  return out;
}

function lastId(page: GatewayPage): string | null {
  const id = (page.edges.at(-1)?.node as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' && id !== '' ? id : null;
}

const latest = (seen: readonly { lastSeen: string }[]): string | null =>
  seen.reduce<string | null>(
    (max, s) => (max === null || Date.parse(s.lastSeen) > Date.parse(max) ? s.lastSeen : max),
    null,
  );

/**
 * The check-in pass of an incremental sync: reads the ids and eidLastSeen of the endpoints seen since
 * `since` (a few bytes per endpoint, pages of up to 5,000), kept in memory (about 100 bytes each) until
 * they are recorded (src/sync/checkInRecorder.ts). It keeps no checkpoint: a
 * resumed run reads it again. docs/sync.md, "Incremental".
 */
export async function readCheckIns(r: CheckInRequest): Promise<CheckInResult> {
  const started = performance.now();
  const reader = new PageReader({
    client: r.client,
    sizer: new PageSizer(r.sizeOptions.max, r.sizeOptions),
    lease: r.lease,
    active: r.streams,
    streamOptions: { sensors: [...r.sensors] },
    since: r.since,
    query: CHECK_INS_QUERY,
    emit: r.emit,
    onRefused: async () => undefined,
    maxPageFailures: r.maxPageFailures,
    maxRestarts: 3,
  });
  const result: CheckInResult = { endpoints: 0, seen: [], pages: 0, durationMs: 0, firstPageSeen: null };
  reader.start(null, null);
  for (;;) {
    const received = await reader.next();
    if (received.kind === 'restart') {
      // Without an id order the collection begins again; recording a check-in twice changes nothing.
      reader.start(null, null);
      continue;
    }
    const { page } = received;
    const seen = checkIns(page);
    if (result.firstPageSeen === null) result.firstPageSeen = latest(seen);
    reader.follow(page, lastId(page));
    result.pages++;
    result.endpoints += page.edges.length;
    for (const s of seen) result.seen.push(s);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
  }
  result.durationMs = Math.round(performance.now() - started);
  return result;
}
