import { setImmediate } from 'node:timers/promises';
import { LeaseLostError } from '../store/leases.js';
import type { CheckIn, CheckInRequest, CheckInResult } from './checkIns.js';

/**
 * Check-ins recorded per transaction, the event loop let run between two (`setImmediate`). A SQLite
 * transaction holds the loop, and the computer group read begun before the pass sends its next request
 * only once it has taken an answer (src/posture/readGroups.ts), so one transaction for a whole
 * fleet's check-ins (0.3-0.4 s for 20,000) left the Gateway with nothing to do meanwhile and the run
 * waiting for the read at its end (docs/sync.md, "Computer group membership: when it can change").
 * SQLite commits each as a sync page, with no log flush (docs/store.md, "Durability of sync pages");
 * PostgreSQL flushes its log at each commit, five for 20,000 check-ins.
 * A crash between two leaves the pass uncompleted, as a crash inside the one transaction did: the next
 * run resumes it and records them all (src/sync/runner.ts); a recorded time never moves backwards.
 */
export const CHECK_INS_PER_TRANSACTION = 4_000;

export interface RecordedCheckIns {
  /** stored assets whose check-in was recorded */
  touched: number;
  /** check-ins handed to the recording beside the pass's pages (those of endpoints not stored change nothing) */
  early: number;
}

/**
 * Records an incremental pass's check-ins (`SyncRepository.touchSeen`): what a full read of an
 * endpoint whose data did not change would write. Those of endpoints outside `changed` (the ids the
 * pass's change filter matched, read after the check-ins: src/sync/changedIds.ts) are recorded at
 * once, beside the pass's pages: no data of theirs changed up to that read, which is after their
 * check-in was read, so their answer at that check-in is the one stored. The others wait for the
 * pass's full reads (`finish`), which write those endpoints with this check-in or a later one; a
 * recorded time never moves backwards. Without `changed`, every check-in waits. docs/sync.md,
 * "Check-ins recorded while the pages are read".
 */
export class CheckInRecorder {
  readonly #r: CheckInRequest;
  readonly #read: CheckInResult;
  readonly #started = performance.now();
  readonly #late: CheckIn[];
  readonly #early: CheckIn[];
  #stopped = false;
  readonly #recording: Promise<number>;

  constructor(r: CheckInRequest, read: CheckInResult, changed: ReadonlySet<string> | undefined) {
    this.#r = r;
    this.#read = read;
    this.#early = changed ? read.seen.filter((s) => !changed.has(s.endpointId)) : [];
    this.#late = changed ? read.seen.filter((s) => changed.has(s.endpointId)) : read.seen;
    // After a turn of the event loop: the pass's first page is asked for before the first transaction.
    this.#recording = setImmediate().then(() => this.#record(this.#early));
    // Awaited in finish() or stop(): never an unhandled rejection meanwhile.
    this.#recording.catch(() => undefined);
  }

  /** After the pass's full reads: the early ones' end (their failure is the pass's), then the rest. */
  async finish(): Promise<RecordedCheckIns> {
    const early = await this.#recording;
    const touched = early + (await this.#record(this.#late));
    this.#r.emit({
      event: 'check-ins',
      endpoints: this.#read.endpoints,
      touched,
      early: this.#early.length,
      pages: this.#read.pages,
      ms: Math.round(this.#read.durationMs + performance.now() - this.#started),
    });
    return { touched, early: this.#early.length };
  }

  /** The pass failed: no transaction after the one running; resolves once it has ended. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#recording.catch(() => undefined);
  }

  async #record(seen: readonly CheckIn[]): Promise<number> {
    const r = this.#r;
    const asked = r.perTransaction ?? CHECK_INS_PER_TRANSACTION;
    const chunk = Number.isSafeInteger(asked) && asked > 0 ? asked : CHECK_INS_PER_TRANSACTION;
    let touched = 0;
    for (let k = 0; k < seen.length && !this.#stopped; k += chunk) {
      if (k > 0) await setImmediate();
      if (this.#stopped) break;
      touched += await r.store.sync
        .touchSeen(
          {
            connection: r.connection,
            runId: r.runId,
            streams: r.streams,
            sensors: r.sensors,
            seen: seen.slice(k, k + chunk),
            lease: r.lease.claim(),
          },
          r.now(),
        )
        .catch((error: unknown) => {
          // The pass's next page then stops at once instead of reading on (src/sync/lease.ts).
          if (error instanceof LeaseLostError) r.lease.markLost();
          throw error;
        });
    }
    return touched;
  }
}
