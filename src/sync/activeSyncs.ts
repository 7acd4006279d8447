import { EventEmitter } from 'node:events';
import { Problem } from '../common/problem.js';
import type { ConnectionContext } from '../connections/connections.js';
import type { SyncEvent, SyncSummary } from './events.js';
import { type SyncRequest, syncConnection } from './service.js';

/** What an interface shows of a sync this process runs. */
export interface ActiveSync {
  connection: string;
  runId: number | null;
  startedAt: string;
  /** Who asked: `scheduler`, `apikey:<name>`, `admin`. */
  actor: string;
  /** The last page event, for "run 12, page 40". */
  lastPage: Extract<SyncEvent, { event: 'page' }> | null;
}

/** A sync event as streamed: the run's events, and `error` when the run failed. */
export type StreamedEvent = SyncEvent | { event: 'error'; code: string; message: string; fix: string };

interface Running extends ActiveSync {
  controller: AbortController;
  done: Promise<SyncSummary>;
}

const busy = (running: ActiveSync) =>
  new Problem({
    code: 'sync_running',
    kind: 'conflict',
    message: `A sync of "${running.connection}" is running (run ${running.runId ?? 'starting'}, page ${running.lastPage?.page ?? 0}).`,
    fix: 'Wait for it to finish, follow its progress stream, or cancel it.',
    details: { connection: running.connection, runId: running.runId, page: running.lastPage?.page ?? 0 },
  });

/**
 * The syncs this process runs in the background (the service's API and scheduler), one per
 * connection, each with its progress events for live streams and an AbortController that stops it
 * at the next page boundary. The store's sync lease keeps other processes out as well.
 */
export class ActiveSyncs {
  readonly #running = new Map<string, Running>();
  readonly #events = new EventEmitter().setMaxListeners(0);

  constructor(private readonly ctx: ConnectionContext) {}

  current(connection: string): ActiveSync | undefined {
    const running = this.#running.get(connection);
    return running && this.#view(running);
  }

  list(): ActiveSync[] {
    return [...this.#running.values()].map((r) => this.#view(r));
  }

  /**
   * Starts a sync and resolves once it has a run id (its `start` event), or rejects when it cannot
   * start (a sync already running, no such connection, the lease held by another process).
   */
  start(
    connection: string,
    request: Omit<SyncRequest, 'onEvent' | 'signal'>,
    actor: string,
  ): Promise<ActiveSync> {
    const existing = this.#running.get(connection);
    if (existing) return Promise.reject(busy(existing));
    const controller = new AbortController();
    const running = {
      connection,
      runId: null,
      startedAt: new Date().toISOString(),
      actor,
      lastPage: null,
      controller,
    } as unknown as Running;
    let started: (value: ActiveSync) => void = () => undefined;
    const whenStarted = new Promise<ActiveSync>((resolve) => {
      started = resolve;
    });
    running.done = syncConnection(this.ctx, connection, {
      ...request,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.event === 'start') {
          running.runId = event.runId;
          started(this.#view(running));
        }
        if (event.event === 'page') running.lastPage = event;
        this.#events.emit(connection, event);
      },
    });
    this.#running.set(connection, running);
    running.done
      .catch((error: unknown) => {
        const problem =
          error instanceof Problem
            ? error
            : {
                code: 'sync_failed',
                message: error instanceof Error ? error.message : String(error),
                fix: '',
              };
        this.#events.emit(connection, {
          event: 'error',
          code: problem.code,
          message: problem.message,
          fix: problem.fix || 'Pages already stored are kept; the next sync resumes from them.',
        } satisfies StreamedEvent);
      })
      .finally(() => {
        if (this.#running.get(connection) === running) this.#running.delete(connection);
        this.#events.emit(`${connection}:end`);
      });
    return Promise.race([whenStarted, running.done.then(() => this.#view(running))]);
  }

  /** The summary of the run in progress, when it ends (rejects as the run does). */
  finished(connection: string): Promise<SyncSummary> | undefined {
    return this.#running.get(connection)?.done;
  }

  /** Asks the run to stop at the next page boundary; false when none runs here. */
  cancel(connection: string): boolean {
    const running = this.#running.get(connection);
    if (!running) return false;
    running.controller.abort();
    return true;
  }

  /** Every event of the connection's syncs until `unsubscribe` is called. */
  subscribe(connection: string, listener: (event: StreamedEvent) => void, onEnd: () => void): () => void {
    this.#events.on(connection, listener);
    this.#events.on(`${connection}:end`, onEnd);
    return () => {
      this.#events.off(connection, listener);
      this.#events.off(`${connection}:end`, onEnd);
    };
  }

  /** Stops every run at its next page boundary and waits for them to end (SIGTERM). */
  async stopAll(): Promise<void> {
    const runs = [...this.#running.values()];
    for (const run of runs) run.controller.abort();
    await Promise.allSettled(runs.map((r) => r.done));
  }

  #view(running: Running): ActiveSync {
    const { controller: _c, done: _d, ...view } = running;
    return { ...view };
  }
}
