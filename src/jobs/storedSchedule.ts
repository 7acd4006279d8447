import { JOB_KINDS, type JobKind, type JobRecord, newJob } from '../store/jobs.js';
import type { Store } from '../store/store.js';
import { everyOf } from './runJob.js';
import type { JobView } from './scheduler.js';

/** Order of preference when several jobs are due: a full pass makes the incremental one redundant. */
export const DUE_ORDER: readonly JobKind[] = ['rotate', 'reconcile', 'sync'];

/**
 * The schedule as the store's jobs table holds it, shared by every process on one store: each
 * connection's own intervals, the last and next run of each job. Schedulers read what is due here and
 * record each run here (runJob.ts), so serve and any number of workers see one schedule.
 */
export class StoredSchedule {
  constructor(
    private readonly store: Store,
    private readonly defaults: Record<JobKind, number>,
    private readonly only?: readonly JobKind[],
  ) {}

  #runs(kind: JobKind): boolean {
    return this.only === undefined || this.only.includes(kind);
  }

  /** Every job of every connection; `running` says which run now (each scheduler knows its own way). */
  async list(running: (record: JobRecord) => Promise<boolean> | boolean): Promise<JobView[]> {
    const views: JobView[] = [];
    for (const connection of await this.store.connections.list()) {
      for (const kind of JOB_KINDS) {
        if (!this.#runs(kind)) continue;
        const record = (await this.store.jobs.get(connection.name, kind)) ?? newJob(connection.name, kind);
        views.push({
          ...record,
          effectiveEveryMs: everyOf(record, this.defaults),
          running: await running(record),
        });
      }
    }
    return views;
  }

  /**
   * Sets a connection's own interval. The next run moves with it, counted from the moment the old
   * interval was counted from (a shorter interval can make the job due at once); a job never run
   * stays due, and a job backing off after failures, or due again after an interruption, keeps its time.
   */
  async setEvery(connection: string, job: JobKind, everyMs: number | null): Promise<void> {
    const record = (await this.store.jobs.get(connection, job)) ?? newJob(connection, job);
    const changed = { ...record, everyMs };
    const moves = record.nextRunAt !== null && record.failures === 0 && record.lastOutcome !== 'interrupted';
    const nextRunAt = moves
      ? record.nextRunAt! - everyOf(record, this.defaults) + everyOf(changed, this.defaults)
      : record.nextRunAt;
    await this.store.jobs.put({ ...changed, nextRunAt });
  }

  /** The first job of `kinds` (in DUE_ORDER) that is due at `nowMs`; a job never run is due. */
  async dueJob(
    connection: string,
    nowMs: number,
    kinds: readonly JobKind[] = DUE_ORDER,
  ): Promise<JobRecord | undefined> {
    for (const kind of DUE_ORDER) {
      if (!kinds.includes(kind) || !this.#runs(kind)) continue;
      const record = (await this.store.jobs.get(connection, kind)) ?? newJob(connection, kind);
      if (record.nextRunAt === null || record.nextRunAt <= nowMs) return record;
    }
    return undefined;
  }
}
