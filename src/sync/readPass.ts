import { STREAMS } from '../streams/index.js';
import type { StreamOptions } from '../streams/stream.js';
import { changeFilter } from './changeFilter.js';
import { CommitAhead } from './commitAhead.js';
import { commitPage } from './commitPage.js';
import { type GatewayPage, PageReader } from './fetchPages.js';
import { letRequestLeave } from './letRequestLeave.js';
import { mapPage, PassStartSeen } from './mapPage.js';
import { PageSizer } from './pageSize.js';
import type { PassEnd, PassState } from './passState.js';
import { recordPage } from './recordPage.js';
import type { RunSyncOptions } from './runner.js';
import type { StartedRun } from './startRun.js';
import { SyncInterrupted } from './syncInterrupted.js';

/** Where the one collection of a pass stands. */
interface Position {
  generation: number;
  /** Pages of the pass committed (across resumed runs). */
  pages: number;
  maxSeen: PassStartSeen;
  /** Endpoints of the current collection read by this run (for the ETA). */
  collectionDone: number;
  /** A streamed page's endpoints and rows so far (it arrives in chunks; the sizer judges the page). */
  pageEdges: number;
  pageRows: number;
}

/** Reads and commits every page of a pass read as one collection; returns what its completion needs. */
export async function readPass(options: RunSyncOptions, run: StartedRun, s: PassState): Promise<PassEnd> {
  const { plan } = run;
  const resume = plan.resume;
  const position: Position = {
    generation: run.generation,
    pages: resume?.pages ?? 0,
    maxSeen: new PassStartSeen(resume?.passMaxSeen ?? s.startSeen),
    collectionDone: 0,
    pageEdges: 0,
    pageRows: 0,
  };
  // A new run resuming an incremental pass has read its check-ins again (runner.ts), after the pages
  // an earlier run committed: its changed endpoints are read again from the start, after that read, or
  // an endpoint changed since those pages would have its newer check-in recorded over its older answer.
  const again = plan.mode === 'incremental' && resume !== undefined;
  // A pass whose last page was committed but not completed is completed directly.
  if (!again && resume !== undefined && resume.pages > 0 && resume.cursor === null)
    return {
      mode: plan.mode,
      generation: position.generation,
      passMaxSeen: position.maxSeen.value,
      changesOnly: s.changesOnly,
    };
  const sizer = new PageSizer(plan.pageSize ?? s.sizeOptions.min, s.sizeOptions);
  const streamOptions: StreamOptions = { ...s.streamOptions };
  const reader = passReader(options, run, s, sizer, streamOptions);
  reader.start(again ? null : (resume?.cursor ?? null), again ? null : (resume?.resumeKey ?? null));
  try {
    return await readPages(options, run, s, { reader, sizer, streamOptions }, position);
  } finally {
    reader.close();
  }
}

function passReader(
  options: RunSyncOptions,
  run: StartedRun,
  s: PassState,
  sizer: PageSizer,
  streamOptions: StreamOptions,
): PageReader {
  const streams = s.active.map((name) => STREAMS[name]);
  const since = run.plan.since;
  return new PageReader({
    client: options.client,
    sizer,
    lease: run.lease,
    active: s.active,
    streamOptions,
    since,
    changes: s.changesOnly && since !== null ? (o) => changeFilter(streams, o, since) : undefined,
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
}

/**
 * The pass's pages, read and committed in order (a streamed page chunk by chunk); on PostgreSQL the
 * next chunk is read and mapped while the one before is committed (commitAhead.ts).
 */
async function readPages(
  options: RunSyncOptions,
  run: StartedRun,
  s: PassState,
  tools: { reader: PageReader; sizer: PageSizer; streamOptions: StreamOptions },
  at: Position,
): Promise<PassEnd> {
  const ahead = new CommitAhead(options.store.sync.overlapsCommits === true);
  try {
    return await pageLoop(options, run, s, tools, at, ahead);
  } catch (error) {
    return await ahead.settle(error);
  }
}

async function pageLoop(
  options: RunSyncOptions,
  run: StartedRun,
  s: PassState,
  tools: { reader: PageReader; sizer: PageSizer; streamOptions: StreamOptions },
  at: Position,
  ahead: CommitAhead,
): Promise<PassEnd> {
  const { store, connection } = options;
  const { reader, sizer, streamOptions } = tools;
  for (;;) {
    const received = await reader.next();
    // A resumed collection counts only the endpoints after the resume point (for the ETA), from
    // the first page committed after it.
    const resumed = reader.resumes !== s.summary.resumes;
    s.summary.resumes = reader.resumes;
    s.summary.restarts = reader.restarts;
    if (received.kind === 'restart') {
      if ((await ahead.finish()) && options.signal?.aborted) throw new SyncInterrupted(at.pages);
      s.emit({ event: 'restart', reason: received.reason });
      await restartPass(options, run, s, sizer, at);
      reader.start(null, null);
      continue;
    }
    const { page } = received;
    const mapped = mapPage(page, s.active, streamOptions, at.maxSeen);
    at.maxSeen.settle();
    if (s.written) collectIds(page, s.written);
    at.pageEdges += page.edges.length;
    at.pageRows += mapped.rows;
    sizer.see(page.edges.length, mapped.rows);
    if (!received.more) {
      sizer.observe(received.ms, at.pageEdges, at.pageRows, received.asked, received.streamed);
      at.pageEdges = 0;
      at.pageRows = 0;
    }
    // After a chunk, the checkpoint keeps the cursor the page was asked with: a run that stops there
    // reads the page again (or continues after the last committed id, when that cursor is gone).
    const next = received.more ? received.cursor : page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    reader.follow(page, mapped.lastId, received.more);
    if (next && !received.more) await letRequestLeave();
    // The page before this one is committed first (in order, one at a time); stopping there drops
    // this chunk, which the next run reads again.
    if ((await ahead.finish()) && options.signal?.aborted) throw new SyncInterrupted(at.pages);
    if (resumed) at.collectionDone = 0;
    at.pages++;
    const position = {
      connection,
      runId: run.runId,
      generation: at.generation,
      pages: at.pages,
      cursor: next,
      passMaxSeen: at.maxSeen.value,
      pageSize: sizer.size,
    };
    const pageSize = sizer.streamed;
    await ahead.start(
      () => commitPage(store, run.lease, s.active, mapped, position, s.now()),
      async ({ counts, storeMs }) => {
        // The next page is not here yet: use the wait for the store's housekeeping.
        if (next && reader.waiting) await store.sync.idle();
        at.collectionDone += page.edges.length;
        recordPage(s, {
          page: position.pages,
          edges: page.edges.length,
          rows: mapped.rows,
          counts,
          total: typeof page.totalRecords === 'number' ? page.totalRecords : null,
          done: at.collectionDone,
          pageSize,
          ms: received.ms,
          waitMs: received.waitMs,
          storeMs,
        });
      },
      next === null,
    );
    if (!next)
      return {
        mode: run.plan.mode,
        generation: at.generation,
        passMaxSeen: at.maxSeen.value,
        changesOnly: reader.readsChanges,
      };
    // The next page may be in flight: its answer is dropped (the reader marks it settled either way).
    if (!ahead.overlap && options.signal?.aborted) throw new SyncInterrupted(at.pages);
  }
}

/** A collection that cannot go on after an id begins the pass again, as a new generation. */
async function restartPass(
  options: RunSyncOptions,
  run: StartedRun,
  s: PassState,
  sizer: PageSizer,
  at: Position,
): Promise<void> {
  const { plan } = run;
  at.generation = await options.store.sync.beginPass(
    options.connection,
    s.active,
    { mode: plan.mode, since: plan.since, runId: run.runId, pageSize: sizer.size, lease: run.lease.claim() },
    s.now(),
  );
  at.pages = 0;
  at.collectionDone = 0;
  at.pageEdges = 0;
  at.pageRows = 0;
  at.maxSeen = new PassStartSeen(s.startSeen);
}

/** The ids of a page's endpoints (an incremental pass recomputes their posture facts). */
function collectIds(page: GatewayPage, into: string[]): void {
  for (const edge of page.edges) {
    const id = (edge?.node as { id?: unknown } | null | undefined)?.id;
    if (typeof id === 'string') into.push(id);
  }
}
