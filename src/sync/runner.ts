import type { Store } from '../store/store.js';
import type { SyncSettings } from '../store/sync.js';
import { STREAMS } from '../streams/index.js';
import type { StreamName, StreamOptions } from '../streams/stream.js';
import { changeFilter } from './changeFilter.js';
import { type CheckInRequest, readCheckIns, recordCheckIns } from './checkIns.js';
import { addCounts, commitPage } from './commitPage.js';
import type { StreamSummary, SyncEvent, SyncSummary } from './events.js';
import { type GatewayClient, PageReader } from './fetchPages.js';
import { completePass, finishRun } from './finishRun.js';
import { SYNC_LEASE_TTL_MS } from './lease.js';
import { letRequestLeave } from './letRequestLeave.js';
import { mapPage, PassStartSeen } from './mapPage.js';
import { DEFAULT_PAGE_SIZE, type PageSizeOptions, PageSizer } from './pageSize.js';
import { DEFAULT_PARTITIONS } from './partitions.js';
import { readPartitions } from './readPartitions.js';
import { recordPage } from './recordPage.js';
import { type StartedRun, startRun } from './startRun.js';
import { readStreamPlan, requireRunnable } from './streamPlan.js';

export type { GatewayClient } from './fetchPages.js';

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
  /** Collection restarts allowed in one run (only when the pass cannot continue after an id). */
  maxRestarts?: number;
  /** Consecutive failed pages (after the SDK's own retries) before the run fails. */
  maxPageFailures?: number;
  /** When another process syncs the connection: wait this long for it (default 0: SyncRunningError). */
  waitMs?: number;
  /** The sync lease's lifetime without renewal (tests shorten it). */
  leaseTtlMs?: number;
  /** Stops the run after the page being stored commits (shutdown, cancel): the next run resumes there. */
  signal?: AbortSignal;
  /**
   * Parallel cursors (docs/sync.md): a new full pass is read as this many disjoint collections at
   * once; `auto`: split in DEFAULT_PARTITIONS, opened as latency and CPU allow. Absent: one
   * collection, since the split filters `id` with MATCHES, which Tanium documents for string fields
   * only (`id` is an ID) and no real tenant has been seen to accept yet. A resumed pass keeps its split.
   */
  parallel?: number | 'auto';
}

/** The run was asked to stop after a committed page (shutdown, cancel); the next run resumes there. */
export class SyncInterrupted extends Error {
  override readonly name = 'AbortError';
  constructor(readonly pages: number) {
    super(`the sync was stopped after page ${pages}; the next run resumes from there`);
  }
}

/** Streams that can run with these settings, and why the others are skipped. */
function selectStreams(options: RunSyncOptions, settings: SyncSettings) {
  const skipped: Partial<Record<StreamName, string>> = {};
  let active = [...new Set(options.streams)];
  if (active.includes('sensors') && settings.sensors.length === 0) {
    skipped.sensors = "no sensors chosen: name them in the connection's sync settings (the sensors list)";
    active = active.filter((s) => s !== 'sensors');
  }
  if (active.length === 0) throw new Error('Nothing to sync: no stream can run with these settings.');
  return { active, skipped };
}

function newSummary(connection: string, run: StartedRun, skipped: SyncSummary['skipped']): SyncSummary {
  return {
    connection,
    runId: run.runId,
    mode: run.plan.mode,
    resumed: run.plan.resume !== undefined,
    since: run.plan.since,
    pages: 0,
    endpoints: 0,
    resumes: 0,
    restarts: 0,
    durationMs: 0,
    streams: {},
    skipped,
    warnings: [],
  };
}

/**
 * One sync run: take the connection's lease and plan the pass in one transaction (startRun.ts), read
 * Gateway pages with one query feeding every selected stream (fetchPages.ts), map each page to rows
 * (mapPage.ts) and commit them with the checkpoints in one lease-checked transaction (commitPage.ts);
 * a complete pass sweeps and the run is recorded (finishRun.ts). The next page is requested before the
 * current one is written, so the network and the database overlap; at most two pages are in memory.
 */
export async function runSync(options: RunSyncOptions): Promise<SyncSummary> {
  const { store, connection } = options;
  const now = () => (options.now?.() ?? new Date()).toISOString();
  const emit = (event: SyncEvent) => options.onEvent?.(event);
  const settings = options.settings ?? (await store.sync.settings(connection));
  const { active, skipped } = selectStreams(options, settings);
  const schemaDeps = { store, client: options.client, ...(options.now ? { now: options.now } : {}) };
  const base: StreamOptions = { sensors: settings.sensors };
  const readPlan = async (refresh: boolean) =>
    requireRunnable(await readStreamPlan(schemaDeps, connection, active, base, refresh), connection, active);
  const sizeOptions = { ...DEFAULT_PAGE_SIZE, ...options.pageSize };
  const run = await startRun(
    {
      store,
      connection,
      streams: active,
      settings,
      full: options.full === true,
      pageSize: (plan) => new PageSizer(plan.pageSize ?? sizeOptions.min, sizeOptions).size,
      partitions: (plan) => (plan.mode === 'full' ? passPartitions(options.parallel) : 1),
      now,
      ttlMs: options.leaseTtlMs ?? SYNC_LEASE_TTL_MS,
    },
    options.waitMs ?? 0,
    (holder) => emit({ event: 'waiting', holder }),
  );
  const summary = newSummary(connection, run, skipped);
  if (run.partitions > 1) summary.partitions = run.partitions;
  const started = performance.now();
  const totals = new Map<StreamName, StreamSummary>(
    active.map((s) => [
      s,
      { added: 0, updated: 0, removed: 0, quarantined: 0, unknown: 0, rows: 0, durationMs: 0 },
    ]),
  );
  for (const [stream, reason] of Object.entries(skipped))
    emit({ event: 'skipped', stream: stream as StreamName, reason });
  emit({
    event: 'start',
    connection,
    runId: run.runId,
    mode: run.plan.mode,
    streams: [...active],
    since: run.plan.since,
    resumed: summary.resumed,
    reason: run.plan.reason,
    interrupted: run.interrupted,
  });
  const finish = () => {
    summary.durationMs = Math.round(performance.now() - started);
    for (const [stream, counts] of totals)
      summary.streams[stream] = { ...counts, durationMs: summary.durationMs };
    return summary;
  };
  try {
    // The tenant's schema decides what the query selects; a required field missing fails the run
    // before any page is read (src/sync/streamPlan.ts).
    const plan = await readPlan(false);
    summary.warnings = plan.warnings.map((w) => w.message);
    for (const warning of plan.warnings) emit({ event: 'warning', ...warning });
    // The endpoints an incremental pass writes: their posture facts are the ones to recompute.
    const written: string[] | undefined = run.plan.mode === 'incremental' ? [] : undefined;
    const checkInRequest = checkInPass(options, run, active, settings, sizeOptions, emit, now);
    const checkIns = checkInRequest && (await readCheckIns(checkInRequest));
    const read = run.partitions > 1 ? partitioned(run.partitions) : readPass;
    const pass = await read(options, run, {
      active,
      skipped,
      totals,
      summary,
      emit,
      now,
      sizeOptions,
      started,
      streamOptions: plan.options,
      refreshPlan: async () => (await readPlan(true)).options,
      startSeen: checkIns?.firstPageSeen ?? null,
      changesOnly: checkIns !== undefined,
      written,
    });
    if (checkInRequest && checkIns)
      summary.checkIns = {
        endpoints: checkIns.endpoints,
        touched: await recordCheckIns(checkInRequest, checkIns),
        pages: checkIns.pages,
        durationMs: checkIns.durationMs,
        changesOnly: pass.changesOnly,
      };
    addCounts(
      totals,
      Object.fromEntries(
        Object.entries(
          await completePass(store, run.lease, { connection, streams: active, ...pass }, now()),
        ).map(([stream, removed]) => [stream, { removed }]),
      ),
    );
    finish();
    await finishRun(store, run.lease, summary, undefined, now(), options.client, written);
    emit({ event: 'done', summary });
    return summary;
  } catch (error) {
    finish();
    await finishRun(store, run.lease, summary, error, now()).catch(() => undefined);
    throw error;
  }
}

/**
 * An incremental pass first reads the check-ins since `since` (ids and eidLastSeen only), then reads in
 * full only the endpoints whose data changed, then records the check-ins of the others (docs/sync.md,
 * "Incremental"). A pass whose pages were all committed by an earlier run is completed directly.
 */
function checkInPass(
  options: RunSyncOptions,
  run: StartedRun,
  active: StreamName[],
  settings: SyncSettings,
  sizeOptions: PageSizeOptions,
  emit: (event: SyncEvent) => void,
  now: () => string,
): CheckInRequest | undefined {
  const { plan } = run;
  if (plan.mode !== 'incremental' || plan.since === null) return undefined;
  if (plan.resume !== undefined && plan.resume.pages > 0 && plan.resume.cursor === null) return undefined;
  return {
    store: options.store,
    client: options.client,
    lease: run.lease,
    connection: options.connection,
    runId: run.runId,
    streams: active,
    sensors: active.includes('sensors') ? settings.sensors : [],
    since: plan.since,
    sizeOptions,
    maxPageFailures: options.maxPageFailures ?? 5,
    emit,
    now,
  };
}

/** Reads a pass as `partitions` disjoint collections (src/sync/readPartitions.ts). */
const partitioned = (partitions: number) => (options: RunSyncOptions, run: StartedRun, s: PassState) =>
  readPartitions(options, run, s, partitions, (pages) => new SyncInterrupted(pages));

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

/** Reads and commits every page of the pass; returns what its completion needs. */
async function readPass(options: RunSyncOptions, run: StartedRun, s: PassState) {
  const { plan } = run;
  const resume = plan.resume;
  const sizer = new PageSizer(plan.pageSize ?? s.sizeOptions.min, s.sizeOptions);
  const streamOptions: StreamOptions = { ...s.streamOptions };
  const generation = run.generation;
  const pages = resume?.pages ?? 0;
  const maxSeen = new PassStartSeen(resume?.passMaxSeen ?? s.startSeen);
  // A pass whose last page was committed but not completed is completed directly.
  if (resume !== undefined && resume.pages > 0 && resume.cursor === null)
    return { mode: plan.mode, generation, passMaxSeen: maxSeen.value, changesOnly: s.changesOnly };
  const streams = s.active.map((name) => STREAMS[name]);
  const since = plan.since;
  const reader = new PageReader({
    client: options.client,
    sizer,
    lease: run.lease,
    active: s.active,
    streamOptions,
    since: plan.since,
    changes: s.changesOnly && since !== null ? (options) => changeFilter(streams, options, since) : undefined,
    emit: s.emit,
    onRefused: async () => {
      const fresh = await s.refreshPlan();
      const same = [...(fresh.absent ?? [])].join() === [...(streamOptions.absent ?? [])].join();
      return same ? undefined : fresh;
    },
    maxPageFailures: options.maxPageFailures ?? 5,
    maxRestarts: options.maxRestarts ?? 3,
    stream: true,
  });
  reader.start(resume?.cursor ?? null, resume?.resumeKey ?? null);
  try {
    return await readPages(options, run, s, { reader, sizer, streamOptions, generation, pages, maxSeen });
  } finally {
    reader.close();
  }
}

/** The pass's pages, read and committed one after another (a streamed page chunk by chunk). */
async function readPages(
  options: RunSyncOptions,
  run: StartedRun,
  s: PassState,
  state: {
    reader: PageReader;
    sizer: PageSizer;
    streamOptions: StreamOptions;
    generation: number;
    pages: number;
    maxSeen: PassStartSeen;
  },
) {
  const { store, connection } = options;
  const { plan } = run;
  const { reader, sizer, streamOptions } = state;
  let { generation, pages, maxSeen } = state;
  let collectionDone = 0;
  // A streamed page's endpoints and rows so far (it arrives in chunks; the sizer judges the page).
  let pageEdges = 0;
  let pageRows = 0;
  for (;;) {
    const received = await reader.next();
    // A resumed collection counts only the endpoints after the resume point (for the ETA).
    if (reader.resumes !== s.summary.resumes) collectionDone = 0;
    s.summary.resumes = reader.resumes;
    s.summary.restarts = reader.restarts;
    if (received.kind === 'restart') {
      s.emit({ event: 'restart', reason: received.reason });
      generation = await store.sync.beginPass(
        connection,
        s.active,
        {
          mode: plan.mode,
          since: plan.since,
          runId: run.runId,
          pageSize: sizer.size,
          lease: run.lease.claim(),
        },
        s.now(),
      );
      pages = 0;
      collectionDone = 0;
      pageEdges = 0;
      pageRows = 0;
      maxSeen = new PassStartSeen(s.startSeen);
      reader.start(null, null);
      continue;
    }
    const { page } = received;
    const mapped = mapPage(page, s.active, streamOptions, maxSeen);
    maxSeen.settle();
    if (s.written)
      for (const edge of page.edges) {
        const id = (edge?.node as { id?: unknown } | null | undefined)?.id;
        if (typeof id === 'string') s.written.push(id);
      }
    pageEdges += page.edges.length;
    pageRows += mapped.rows;
    sizer.see(page.edges.length, mapped.rows);
    if (!received.more) {
      sizer.observe(received.ms, pageEdges, pageRows, received.asked, received.streamed);
      pageEdges = 0;
      pageRows = 0;
    }
    // After a chunk, the checkpoint keeps the cursor the page was asked with: a run that stops there
    // reads the page again (or continues after the last committed id, when that cursor is gone).
    const next = received.more ? received.cursor : page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    reader.follow(page, mapped.lastId, received.more);
    if (next && !received.more) await letRequestLeave();
    pages++;
    const storeStart = performance.now();
    const counts = await commitPage(
      store,
      run.lease,
      s.active,
      mapped,
      {
        connection,
        runId: run.runId,
        generation,
        pages,
        cursor: next,
        passMaxSeen: maxSeen.value,
        pageSize: sizer.size,
      },
      s.now(),
    );
    const storeMs = performance.now() - storeStart;
    // The next page is not here yet: use the wait for the store's housekeeping.
    if (next && reader.waiting) await store.sync.idle();
    collectionDone += page.edges.length;
    recordPage(s, {
      page: pages,
      edges: page.edges.length,
      rows: mapped.rows,
      counts,
      total: typeof page.totalRecords === 'number' ? page.totalRecords : null,
      done: collectionDone,
      pageSize: sizer.streamed,
      ms: received.ms,
      waitMs: received.waitMs,
      storeMs,
    });
    if (!next)
      return { mode: plan.mode, generation, passMaxSeen: maxSeen.value, changesOnly: reader.readsChanges };
    // The next page may be in flight: its answer is dropped (the reader marks it settled either way).
    if (options.signal?.aborted) throw new SyncInterrupted(pages);
  }
}

/** How many disjoint collections a new full pass is read as (see `RunSyncOptions.parallel`). */
function passPartitions(parallel: number | 'auto' | undefined): number {
  if (parallel === 'auto') return DEFAULT_PARTITIONS;
  return parallel ?? 1;
}
