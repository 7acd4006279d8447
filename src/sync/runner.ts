import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { isTaniumError, UnexpectedResponseError } from '../sdk/index.js';
import type { Store } from '../store/store.js';
import type { PassMode, SyncSettings } from '../store/sync.js';
import { STREAMS } from '../streams/index.js';
import {
  type EndpointNode,
  emptyBatch,
  type Quarantined,
  type StreamBatch,
  type StreamName,
  type StreamOptions,
  ValidationError,
} from '../streams/stream.js';
import { time } from '../streams/values.js';
import type { StreamSummary, SyncEvent, SyncSummary } from './events.js';
import { isCursorGone, isolateRefusal } from './isolate.js';
import { DEFAULT_PAGE_SIZE, type PageSizeOptions, PageSizer } from './pageSize.js';
import { planPass } from './plan.js';
import { endpointsQuery } from './query.js';

/** What the runner needs from the SDK client. */
export interface GatewayClient {
  graphql<T = unknown>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export interface RunSyncOptions {
  store: Store;
  client: GatewayClient;
  connection: string;
  streams: readonly StreamName[];
  /** Force a full pass (mark and sweep). */
  full?: boolean;
  /** Defaults to the connection's stored settings. */
  settings?: SyncSettings;
  pageSize?: Partial<PageSizeOptions>;
  onEvent?: (event: SyncEvent) => void;
  now?: () => Date;
  /** Collection restarts (expired cursors) allowed in one run. */
  maxRestarts?: number;
  /** Consecutive failed pages (after the SDK's own retries) before the run fails. */
  maxPageFailures?: number;
}

interface Fetched {
  data: unknown;
  ms: number;
}

interface GatewayPage {
  edges: { node?: unknown }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalRecords?: number;
}

function asPage(data: unknown): GatewayPage {
  const page = (data as { endpoints?: unknown } | null)?.endpoints as Partial<GatewayPage> | null | undefined;
  if (!page || !Array.isArray(page.edges) || typeof page.pageInfo !== 'object' || page.pageInfo === null)
    throw new UnexpectedResponseError('Gateway answer has no endpoints connection (edges, pageInfo).', {
      kind: 'invalid-json',
    });
  return page as GatewayPage;
}

function retryable(error: unknown): boolean {
  if (!isTaniumError(error)) return false;
  return error.retryable || (error instanceof UnexpectedResponseError && error.kind === 'invalid-json');
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One sync run: plan the pass (resume, full or incremental), read Gateway pages with one query feeding
 * every selected stream, and commit each page's rows with the streams' checkpoint in one transaction.
 * The next page is requested before the current one is written, so the network and the database
 * overlap; at most two pages are in memory. A complete full pass sweeps what it did not see.
 */
export async function runSync(options: RunSyncOptions): Promise<SyncSummary> {
  const { store, client, connection } = options;
  const now = () => (options.now?.() ?? new Date()).toISOString();
  const emit = (event: SyncEvent) => options.onEvent?.(event);
  const settings = options.settings ?? (await store.sync.settings(connection));
  const skipped: Partial<Record<StreamName, string>> = {};
  let active = [...new Set(options.streams)];
  if (active.includes('sensors') && settings.sensors.length === 0) {
    skipped.sensors = 'no sensors chosen: run sync with --sensors "Name A,Name B"';
    active = active.filter((s) => s !== 'sensors');
  }
  if (active.length === 0) throw new Error('Nothing to sync: no stream can run with these settings.');
  const streamOptions: StreamOptions = { sensors: settings.sensors };
  const plan = planPass(await store.sync.checkpoints(connection), active, settings, options.full === true);
  const runId = await store.sync.startRun(connection, plan.mode, active, now());
  const started = performance.now();
  const sizer = new PageSizer(plan.pageSize ?? DEFAULT_PAGE_SIZE.min, {
    ...DEFAULT_PAGE_SIZE,
    ...options.pageSize,
  });
  const totals = new Map<StreamName, StreamSummary>(
    active.map((s) => [
      s,
      { added: 0, updated: 0, removed: 0, quarantined: 0, unknown: 0, rows: 0, durationMs: 0 },
    ]),
  );
  const summary: SyncSummary = {
    connection,
    runId,
    mode: plan.mode,
    resumed: plan.resume !== undefined,
    since: plan.since,
    pages: 0,
    endpoints: 0,
    restarts: 0,
    durationMs: 0,
    streams: {},
    skipped,
  };
  const finish = () => {
    summary.durationMs = Math.round(performance.now() - started);
    for (const [stream, counts] of totals) {
      counts.durationMs = summary.durationMs;
      summary.streams[stream] = counts;
    }
    summary.skipped = skipped;
    return summary;
  };
  for (const [stream, reason] of Object.entries(skipped))
    emit({ event: 'skipped', stream: stream as StreamName, reason });
  emit({
    event: 'start',
    connection,
    runId,
    mode: plan.mode,
    streams: active,
    since: plan.since,
    resumed: plan.resume !== undefined,
    reason: plan.reason,
  });

  try {
    const pass = { mode: plan.mode as PassMode, since: plan.since };
    const begin = () =>
      store.sync.beginPass(connection, active, { ...pass, runId, pageSize: sizer.size }, now());
    let generation = plan.resume?.generation ?? (await begin());
    let after = plan.resume?.cursor ?? null;
    let pages = plan.resume?.pages ?? 0;
    let passMaxSeen = plan.resume?.passMaxSeen ?? null;
    let passMaxMs = passMaxSeen === null ? Number.NEGATIVE_INFINITY : Date.parse(passMaxSeen);
    let collectionDone = 0;
    const complete = plan.resume !== undefined && plan.resume.pages > 0 && plan.resume.cursor === null;
    if (!complete) {
      let query = endpointsQuery(
        active.map((s) => STREAMS[s]),
        streamOptions,
      );
      const filter = pass.since ? { path: 'eidLastSeen', op: 'GT', value: pass.since } : null;
      /** The last fetch that has settled: the next page is here when it is `inflight`. */
      let settled: Promise<Fetched> | undefined;
      const fetchPage = (cursor: string | null): Promise<Fetched> => {
        const t0 = performance.now();
        const promise = client
          .graphql(query, { first: sizer.size, after: cursor, filter })
          .then((data) => ({ data, ms: performance.now() - t0 }));
        // Awaited later (never an unhandled rejection meanwhile).
        const mark = () => {
          settled = promise;
        };
        promise.then(mark, mark);
        return promise;
      };
      let inflight = fetchPage(after);
      let failures = 0;
      for (;;) {
        let fetched: Fetched;
        let page: GatewayPage;
        const waitStart = performance.now();
        try {
          fetched = await inflight;
          page = asPage(fetched.data);
        } catch (error) {
          if (isCursorGone(error) && after !== null) {
            if (summary.restarts >= (options.maxRestarts ?? 3)) throw error;
            summary.restarts++;
            emit({ event: 'restart', reason: `${message(error)}: requesting the collection again` });
            generation = await begin();
            after = null;
            pages = 0;
            collectionDone = 0;
            passMaxSeen = null;
            passMaxMs = Number.NEGATIVE_INFINITY;
            inflight = fetchPage(after);
            continue;
          }
          const isolated = isolateRefusal(error, active, streamOptions);
          if (isolated) {
            if (isolated.risk === false) streamOptions.risk = false;
            for (const stream of isolated.drop ?? []) {
              skipped[stream] = `the Gateway refused its fields: ${isolated.reason}`;
              totals.delete(stream);
              emit({ event: 'skipped', stream, reason: skipped[stream]! });
            }
            active = active.filter((s) => !isolated.drop?.includes(s));
            if (active.length === 0) throw error;
            query = endpointsQuery(
              active.map((s) => STREAMS[s]),
              streamOptions,
            );
            inflight = fetchPage(after);
            continue;
          }
          if (retryable(error) && failures < (options.maxPageFailures ?? 5)) {
            failures++;
            sizer.failed();
            emit({ event: 'retry', reason: message(error), pageSize: sizer.size });
            await sleep(Math.min(30_000, 250 * 2 ** failures * (0.5 + Math.random() / 2)));
            inflight = fetchPage(after);
            continue;
          }
          throw error;
        }
        failures = 0;
        const waitMs = performance.now() - waitStart;
        const next = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        if (page.pageInfo.hasNextPage && (!next || next === after))
          throw new UnexpectedResponseError('Gateway cursor did not advance; stopping.', {
            kind: 'stalled-cursor',
          });

        // Map the page to rows of every stream (validation failures go to quarantine).
        const batches = active.map((): StreamBatch => emptyBatch());
        const refused: Quarantined[] = [];
        for (const edge of page.edges) {
          const node = edge?.node as EndpointNode | null | undefined;
          const id = node?.['id'];
          if (!node || typeof node !== 'object' || typeof id !== 'string' || id.trim() === '') {
            refused.push({
              stream: active[0]!,
              key: `#${createHash('sha256')
                .update(JSON.stringify(node ?? null))
                .digest('hex')
                .slice(0, 16)}`,
              reason: 'id is missing',
              raw: node ?? null,
            });
            continue;
          }
          try {
            const seen = time(node, 'eidLastSeen');
            const ms = seen === null ? Number.NaN : Date.parse(seen);
            if (ms > passMaxMs) {
              passMaxMs = ms;
              passMaxSeen = seen;
            }
          } catch {
            // a malformed eidLastSeen is the assets stream's to quarantine
          }
          for (let s = 0; s < active.length; s++) {
            const stream = STREAMS[active[s]!];
            const batch = batches[s]!;
            try {
              stream.read(node, id, batch, streamOptions);
            } catch (error) {
              if (!(error instanceof ValidationError)) throw error;
              batch.quarantined.push({ stream: stream.name, key: id, reason: error.message, raw: node });
            }
          }
        }
        const rows = batches.reduce((n, b) => n + b.rows.length, 0);
        sizer.observe(fetched.ms, page.edges.length, rows);
        if (next) {
          inflight = fetchPage(next);
          // Let the request leave before the synchronous write below holds the thread, so that the
          // Gateway builds the next page while this one is stored.
          await new Promise((resolve) => setImmediate(resolve));
          await new Promise((resolve) => setImmediate(resolve));
        }
        pages++;
        const storeStart = performance.now();
        const counts = await store.sync.writePage(
          {
            connection,
            runId,
            generation,
            streams: active.map((name, s) => ({ name, batch: batches[s]! })),
            quarantined: refused,
            cursor: next,
            passMaxSeen,
            pageSize: sizer.size,
            pages,
          },
          now(),
        );
        const storeMs = performance.now() - storeStart;
        // The next page is not here yet: use the wait for the store's housekeeping.
        if (next && settled !== inflight) await store.sync.idle();
        for (const [stream, c] of Object.entries(counts)) {
          const total = totals.get(stream as StreamName);
          if (!total) continue;
          total.added += c.added;
          total.updated += c.updated;
          total.removed += c.removed;
          total.quarantined += c.quarantined;
          total.unknown += c.unknown;
          total.rows += c.rows;
        }
        summary.pages++;
        summary.endpoints += page.edges.length;
        collectionDone += page.edges.length;
        const elapsed = (performance.now() - started) / 1000;
        const rate = summary.endpoints / Math.max(elapsed, 0.001);
        const total = typeof page.totalRecords === 'number' ? page.totalRecords : null;
        emit({
          event: 'page',
          page: pages,
          endpoints: summary.endpoints,
          rows,
          totalRecords: total,
          pageSize: sizer.size,
          ms: Math.round(fetched.ms),
          waitMs: Math.round(waitMs),
          storeMs: Math.round(storeMs),
          endpointsPerSecond: Math.round(rate),
          etaSeconds: total === null ? null : Math.max(0, Math.round((total - collectionDone) / rate)),
        });
        if (!next) break;
        after = next;
      }
    }
    const removed = await store.sync.completePass(
      connection,
      active,
      { mode: pass.mode, generation, passMaxSeen },
      now(),
    );
    for (const [stream, n] of Object.entries(removed)) {
      const total = totals.get(stream as StreamName);
      if (total) total.removed += n;
    }
    finish();
    await store.sync.finishRun(runId, 'complete', summary, null, now());
    emit({ event: 'done', summary });
    return summary;
  } catch (error) {
    finish();
    await store.sync.finishRun(runId, 'failed', summary, message(error), now()).catch(() => undefined);
    throw error;
  }
}
