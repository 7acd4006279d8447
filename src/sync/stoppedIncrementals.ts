import type { StoreTx } from '../store/store.js';
import type { StreamName } from '../streams/stream.js';

/**
 * Interrupted incremental runs of these streams before a full pass begins instead. A resumed
 * incremental pass reads its check-ins and its changed endpoints again from the start (docs/sync.md,
 * "Resumed, restarted, fallen back"), so one stopped every time before it ends (a job time limit shorter
 * than the pass, a process killed on a schedule) would never complete; a full pass resumes after its last
 * committed page, so each run moves it on.
 */
export const INTERRUPTIONS_BEFORE_FULL = 3;

/** Runs read back at most: enough to find that many among runs of other stream sets and failed ones. */
const LOOK_BACK = 50;

/**
 * How many runs of exactly these streams ended `interrupted` (stopped, lease lost, process gone) as
 * incremental runs since the connection's last complete run of them, counting up to
 * INTERRUPTIONS_BEFORE_FULL. A failed run (Tanium unreachable, an error) is not counted: another run meets
 * the same error whatever its mode. A full run ends the count: the incremental pass it began after is gone.
 * Runs do not record their pass, so a pass that completed in a run not recorded `complete` (its posture
 * facts refresh failed, or its process died before recording it) does not end the count: the next
 * pass's interruptions add to its own, and at worst a full pass comes sooner than it needed to.
 */
export async function stoppedIncrementals(
  tx: StoreTx,
  connection: string,
  streams: readonly StreamName[],
): Promise<number> {
  const mine = sameStreams(streams);
  let count = 0;
  for (const run of await tx.sync.runs(connection, LOOK_BACK)) {
    if (!mine(run.streams)) continue;
    if (run.status === 'complete' || run.mode === 'full') break;
    if (run.status === 'interrupted' && ++count >= INTERRUPTIONS_BEFORE_FULL) break;
  }
  return count;
}

function sameStreams(streams: readonly StreamName[]): (other: readonly StreamName[]) => boolean {
  const want = [...new Set(streams)].sort().join(',');
  return (other) => [...new Set(other)].sort().join(',') === want;
}
