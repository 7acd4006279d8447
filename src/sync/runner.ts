import { beginGroupRead, type GroupRead } from '../posture/refreshGroups.js';
import { LeaseLostError } from '../store/leases.js';
import type { Store } from '../store/store.js';
import type { SyncSettings } from '../store/sync.js';
import type { StreamName, StreamOptions } from '../streams/stream.js';
import { readChangedIds } from './changedIds.js';
import { CheckInRecorder } from './checkInRecorder.js';
import { type CheckInRequest, readCheckIns } from './checkIns.js';
import { addCounts } from './commitPage.js';
import type { SyncEvent, SyncSummary } from './events.js';
import type { GatewayClient } from './fetchPages.js';
import { completePass, finishRun } from './finishRun.js';
import { SYNC_LEASE_TTL_MS } from './lease.js';
import { DEFAULT_PAGE_SIZE, type PageSizeOptions, PageSizer } from './pageSize.js';
import { DEFAULT_PARTITIONS } from './partitions.js';
import type { PassState } from './passState.js';
import { readPartitions } from './readPartitions.js';
import { readPass } from './readPass.js';
import { RunTally } from './runTally.js';
import { type StartedRun, startRun } from './startRun.js';
import { readStreamPlan, requireRunnable } from './streamPlan.js';
import { SyncInterrupted } from './syncInterrupted.js';

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
  /** Check-ins an incremental pass records per transaction (default: src/sync/checkIns.ts). */
  checkInsPerTransaction?: number;
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
  const tally = new RunTally(connection, run, active, skipped);
  announce(emit, run, tally.summary, active, skipped);
  const context = { options, run, active, settings, sizeOptions, tally, emit, now };
  let end: PassEnd;
  try {
    end = await syncPass(context);
  } catch (error) {
    // The run failed: a lease lost meanwhile is what the caller hears, since the failure is then not
    // recorded (finishRun.ts); the store's own trouble recording it is not.
    const ended = await finishRun(store, run.lease, tally.finish(), error, now()).then(
      () => undefined,
      (endError: unknown) => endError,
    );
    throw ended instanceof LeaseLostError ? ended : error;
  }
  // finishRun records a failure of its own (and releases the lease) before it throws: no second end.
  const summary = tally.finish();
  await finishRun(store, run.lease, summary, undefined, now(), end.groups, end.written).catch(
    (error: unknown) => {
      // Not recorded complete: the group read's answer goes unused, so no more requests for it.
      end.stopGroups();
      throw error;
    },
  );
  emit({ event: 'done', summary });
  return summary;
}

/** What the parts of one run share. */
interface RunContext {
  options: RunSyncOptions;
  run: StartedRun;
  active: StreamName[];
  settings: SyncSettings;
  sizeOptions: PageSizeOptions;
  tally: RunTally;
  emit: (event: SyncEvent) => void;
  now: () => string;
}

/** The `skipped` and `start` events. */
function announce(
  emit: (event: SyncEvent) => void,
  run: StartedRun,
  summary: SyncSummary,
  active: StreamName[],
  skipped: SyncSummary['skipped'],
): void {
  for (const [stream, reason] of Object.entries(skipped))
    emit({ event: 'skipped', stream: stream as StreamName, reason });
  emit({
    event: 'start',
    connection: summary.connection,
    runId: run.runId,
    mode: run.plan.mode,
    streams: [...active],
    since: run.plan.since,
    resumed: summary.resumed,
    reason: run.plan.reason,
    interrupted: run.interrupted,
  });
}

/** What a completed pass hands on to the run's end. */
interface PassEnd {
  /** The ids of the endpoints an incremental pass wrote: their posture facts are the ones to recompute. */
  written: string[] | undefined;
  /** The computer group read, begun before the pass's pages (with a Gateway client). */
  groups: GroupRead | undefined;
  /** Stops the group read (a run that ends without recording its answer). */
  stopGroups: () => void;
}

/** Reads the pass (its check-ins first, for an incremental pass) and completes it. */
async function syncPass(c: RunContext): Promise<PassEnd> {
  const { options, run, active, tally, emit, now } = c;
  const { store, connection } = options;
  const schemaDeps = { store, client: options.client, ...(options.now ? { now: options.now } : {}) };
  const base: StreamOptions = { sensors: c.settings.sensors };
  const readPlan = async (refresh: boolean) =>
    requireRunnable(await readStreamPlan(schemaDeps, connection, active, base, refresh), connection, active);
  // The tenant's schema decides what the query selects; a required field missing fails the run
  // before any page is read (src/sync/streamPlan.ts).
  const plan = await readPlan(false);
  tally.summary.warnings = plan.warnings.map((w) => w.message);
  for (const warning of plan.warnings) emit({ event: 'warning', ...warning });
  const written: string[] | undefined = run.plan.mode === 'incremental' ? [] : undefined;
  const checkInRequest = checkInPass(options, run, active, c.settings, c.sizeOptions, emit, now);
  const checkIns = checkInRequest && (await readCheckIns(checkInRequest));
  // After the check-ins: the endpoints this pass will read in full, so that the others' check-ins are
  // recorded beside the pages (src/sync/checkInRecorder.ts).
  const changed =
    checkInRequest && checkIns && checkIns.seen.length > 0
      ? await readChangedIds(checkInRequest, plan.options, checkIns.endpoints)
      : undefined;
  // The membership read is the Gateway's work: begun before the changed pages (after the check-in read,
  // which it would slow), it is answered while this process writes pages and records check-ins, each
  // a synchronous transaction during which a request not yet sent waits (docs/sync.md, "Computer group
  // membership: when it can change").
  const groupRead = new AbortController();
  const groups = options.client ? beginGroupRead(options.client, groupRead.signal) : undefined;
  try {
    const recorder = checkInRequest && checkIns && new CheckInRecorder(checkInRequest, checkIns, changed);
    await passPages({ ...c, readPlan, streamOptions: plan.options }, recorder, checkIns, written);
  } catch (error) {
    // A run that fails stops its group read: no more requests for an answer nobody will use.
    groupRead.abort();
    throw error;
  }
  return { written, groups, stopGroups: () => groupRead.abort() };
}

/** A pass's pages, its check-ins recorded and its completion. */
async function passPages(
  c: RunContext & {
    readPlan: (refresh: boolean) => Promise<{ options: StreamOptions }>;
    streamOptions: StreamOptions;
  },
  recorder: CheckInRecorder | undefined,
  checkIns: Awaited<ReturnType<typeof readCheckIns>> | undefined,
  written: string[] | undefined,
): Promise<void> {
  const { options, run, active, tally, emit, now, readPlan } = c;
  const { store, connection } = options;
  const read = run.partitions > 1 ? partitioned(run.partitions) : readPass;
  const pass = await read(options, run, {
    active,
    skipped: tally.summary.skipped,
    totals: tally.totals,
    summary: tally.summary,
    emit,
    now,
    sizeOptions: c.sizeOptions,
    started: tally.started,
    streamOptions: c.streamOptions,
    refreshPlan: async () => (await readPlan(true)).options,
    startSeen: checkIns?.firstPageSeen ?? null,
    changesOnly: checkIns !== undefined,
    written,
  }).catch(async (error: unknown) => {
    await recorder?.stop();
    throw error;
  });
  if (recorder && checkIns)
    tally.summary.checkIns = {
      endpoints: checkIns.endpoints,
      ...(await recorder.finish()),
      pages: checkIns.pages,
      durationMs: checkIns.durationMs,
      changesOnly: pass.changesOnly,
    };
  const removed = await completePass(store, run.lease, { connection, streams: active, ...pass }, now());
  addCounts(tally.totals, Object.fromEntries(Object.entries(removed).map(([s, n]) => [s, { removed: n }])));
}

/**
 * An incremental pass first reads the check-ins since `since` (ids and eidLastSeen only), then reads in
 * full only the endpoints whose data changed, then records the check-ins of the others (docs/sync.md,
 * "Incremental"). A resumed pass reads them again, even one whose pages were all committed by an
 * earlier run, which may have stopped before recording them (a crash, a lost lease, a failed
 * transaction): the next pass reads only the check-ins after its own `since`. Its changed endpoints are
 * then read again from the start (readPass.ts), so the full reads still come after the check-ins.
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
    perTransaction: options.checkInsPerTransaction,
    emit,
    now,
  };
}

/** Reads a pass as `partitions` disjoint collections (src/sync/readPartitions.ts). */
const partitioned = (partitions: number) => (options: RunSyncOptions, run: StartedRun, s: PassState) =>
  readPartitions(options, run, s, partitions, (pages) => new SyncInterrupted(pages));

/** How many disjoint collections a new full pass is read as (see `RunSyncOptions.parallel`). */
function passPartitions(parallel: number | 'auto' | undefined): number {
  if (parallel === 'auto') return DEFAULT_PARTITIONS;
  return parallel ?? 1;
}
