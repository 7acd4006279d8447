/** Waits after a failure: 30 s, doubling per failure in a row, never longer than the job's interval. */
export function backoffMs(failures: number, everyMs: number): number {
  return Math.min(everyMs, 30_000 * 2 ** Math.max(0, Math.min(failures - 1, 20)));
}

/**
 * When a job runs next. After a success: one interval after it started, or at once when that moment
 * has passed already (a run that took longer than its interval); a missed run runs once after
 * downtime, never once per missed interval, because only the next moment is ever stored. After a
 * failure: the backoff. After an interruption (shutdown): at once, so the next start resumes it.
 */
export function nextRunAt(
  result: 'ok' | 'failed' | 'interrupted',
  startedMs: number,
  finishedMs: number,
  everyMs: number,
  failures: number,
): number {
  if (result === 'interrupted') return finishedMs;
  if (result === 'failed') return finishedMs + backoffMs(failures, everyMs);
  return Math.max(finishedMs, startedMs + everyMs);
}
