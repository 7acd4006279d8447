import type { Checkpoint, PartitionCheckpoint, PassMode, SyncSettings } from '../store/sync.js';
import type { StreamName } from '../streams/stream.js';
import { INTERRUPTIONS_BEFORE_FULL } from './stoppedIncrementals.js';

/** What the next pass is: a resumed one, or a new full or incremental one, and why. */
export interface PassPlan {
  mode: PassMode;
  /** eidLastSeen lower bound (incremental only). */
  since: string | null;
  reason: string;
  resume?: {
    generation: number;
    cursor: string | null;
    /** The last endpoint id committed, where the pass continues when its cursor is gone. */
    resumeKey: string | null;
    pages: number;
    passMaxSeen: string | null;
    /** The disjoint collections the pass reads (1: one), and the positions of those begun. */
    partitions: number;
    parts: PartitionCheckpoint[];
  };
  pageSize: number | undefined;
}

/** Tanium times in whole seconds, as the Gateway prints them. */
export function taniumTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The next pass from the streams' checkpoints: the one in progress resumed, unless `full` asks for a new
 * full pass or the pass in progress is an incremental one interrupted `stoppedIncrementals` times
 * (stoppedIncrementals.ts), else a new incremental pass, or a full one when due.
 */
export function planPass(
  checkpoints: readonly Checkpoint[],
  streams: readonly StreamName[],
  settings: SyncSettings,
  full: boolean,
  stoppedIncrementals = 0,
): PassPlan {
  const mine = streams.map((stream) => checkpoints.find((c) => c.stream === stream));
  const pageSize = mine.find((c) => c !== undefined)?.pageSize;
  const first = mine[0];
  const resumable =
    first !== undefined &&
    mine.every(
      (c) =>
        c !== undefined &&
        c.status === 'running' &&
        c.generation === first.generation &&
        c.mode === first.mode &&
        c.cursor === first.cursor &&
        c.partitions === first.partitions,
    );
  const stuck = first?.mode === 'incremental' && stoppedIncrementals >= INTERRUPTIONS_BEFORE_FULL;
  if (resumable && first && (!full || first.mode === 'full') && !stuck) {
    return {
      mode: first.mode,
      since: first.since,
      reason: `resuming the ${first.mode} pass interrupted after ${first.pages} page(s)`,
      resume: {
        generation: first.generation,
        cursor: first.cursor,
        resumeKey: first.resumeKey,
        pages: first.pages,
        passMaxSeen: first.passMaxSeen,
        partitions: first.partitions,
        parts: first.parts,
      },
      pageSize,
    };
  }
  if (full) return { mode: 'full', since: null, reason: 'full pass requested (--full)', pageSize };
  if (resumable && stuck)
    return {
      mode: 'full',
      since: null,
      reason: `the incremental pass was interrupted ${stoppedIncrementals} times before it ended (each resumed run reads it again from the start); a full pass resumes where it stops`,
      pageSize,
    };
  if (mine.some((c) => c === undefined || c.watermark === null))
    return { mode: 'full', since: null, reason: 'first complete pass for these streams', pageSize };
  const incrementals = Math.max(...mine.map((c) => c!.incrementals));
  if (incrementals >= settings.reconcileEvery)
    return {
      mode: 'full',
      since: null,
      reason: `reconcile: ${incrementals} incremental pass(es) since the last full pass`,
      pageSize,
    };
  const watermark = Math.min(...mine.map((c) => Date.parse(c!.watermark!)));
  const since = taniumTime(watermark - settings.marginMs);
  return {
    mode: 'incremental',
    since,
    reason: `what changed since ${since} (watermark minus ${Math.round(settings.marginMs / 1000)} s)`,
    pageSize,
  };
}
