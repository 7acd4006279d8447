import { STREAMS } from '../streams/index.js';
import type { StreamOptions } from '../streams/stream.js';
import { changeFilter } from './changeFilter.js';
import type { CheckInRequest } from './checkIns.js';
import { PageReader } from './fetchPages.js';
import { PageSizer } from './pageSize.js';
import { CHANGED_IDS_QUERY } from './query.js';

/** Pages of ids read at most (5,000 each): past that the pass is no longer a small change. */
const MAX_PAGES = 40;
/** Ids read at most, as a share of the check-ins: past it most check-ins would wait anyway. */
const MAX_SHARE = 0.5;

/**
 * The ids of the endpoints whose data changed since the pass's `since`, by the same change filter the
 * pass's full reads use, read after its check-ins (docs/sync.md, "Check-ins recorded while the pages
 * are read"). Undefined when they cannot be had exactly and cheaply: the tenant refused the change
 * filter (the reader would fall back to every endpoint seen), more than MAX_PAGES pages or more ids
 * than MAX_SHARE of the `checkIns` read, or any failure. Then every check-in is recorded after the full
 * reads, as without this read.
 */
export async function readChangedIds(
  r: CheckInRequest,
  options: StreamOptions,
  checkIns: number,
): Promise<ReadonlySet<string> | undefined> {
  const streams = r.streams.map((name) => STREAMS[name]);
  const reader = new PageReader({
    client: r.client,
    sizer: new PageSizer(r.sizeOptions.max, r.sizeOptions),
    lease: r.lease,
    active: r.streams,
    streamOptions: { ...options },
    since: r.since,
    changes: (o) => changeFilter(streams, o, r.since),
    query: CHANGED_IDS_QUERY,
    emit: () => undefined,
    onRefused: async () => undefined,
    maxPageFailures: 1,
    maxRestarts: 0,
  });
  try {
    return await collectIds(reader, Math.floor(checkIns * MAX_SHARE));
  } catch {
    return undefined;
  } finally {
    reader.close();
  }
}

async function collectIds(reader: PageReader, limit: number): Promise<ReadonlySet<string> | undefined> {
  const ids = new Set<string>();
  reader.start(null, null);
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const received = await reader.next();
    if (received.kind === 'restart' || !reader.readsChanges) return undefined;
    const { page } = received;
    let last: string | null = null;
    for (const edge of page.edges) {
      const id = (edge?.node as { id?: unknown } | null | undefined)?.id;
      if (typeof id !== 'string' || id === '') return undefined;
      ids.add(id);
      last = id;
    }
    if (ids.size > limit) return undefined;
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return ids;
    reader.follow(page, last);
  }
  return undefined;
}
