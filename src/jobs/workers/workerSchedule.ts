import type { JobKind } from '../../store/jobs.js';
import type { Store } from '../../store/store.js';
import type { JobView, Scheduler } from '../scheduler.js';
import { StoredSchedule } from '../storedSchedule.js';

/**
 * The schedule as `serve --no-scheduler` shows it on PostgreSQL while workers run the jobs: the same
 * stored jobs (last and next run, outcome, each connection's intervals), read and set through the API;
 * this process runs none of them. A job counts as running from the start its worker recorded until
 * the end it recorded (a worker killed mid-job shows running until another worker retries it).
 */
export class WorkerSchedule implements Scheduler {
  readonly #schedule: StoredSchedule;

  constructor(store: Store, defaults: Record<JobKind, number>, only?: readonly JobKind[]) {
    this.#schedule = new StoredSchedule(store, defaults, only);
  }

  start(): void {}

  async stop(): Promise<void> {}

  list(): Promise<JobView[]> {
    return this.#schedule.list((record) => record.lastStartedAt !== null && record.lastFinishedAt === null);
  }

  setEvery(connection: string, job: JobKind, everyMs: number | null): Promise<void> {
    return this.#schedule.setEvery(connection, job, everyMs);
  }
}
