import type { AnswerStatus, StreamBatch } from './stream.js';

/** Tanium gave no answer for this scope this time: what is stored stays, and the endpoint counts as unknown. */
export function keepUnanswered(
  batch: StreamBatch,
  scope: string[],
  status: Exclude<AnswerStatus, 'answered'>,
  at: string | null,
): void {
  batch.kept.push({ scope, status, at });
}

/**
 * Tanium answered this scope. Its rows replace the stored ones, unless a record of the answer was
 * quarantined since `refusedBefore` (the count of quarantined records before reading it): the refused
 * record may be one that is stored, so nothing is removed this time.
 */
export function keepAnswered(
  batch: StreamBatch,
  scope: string[],
  at: string | null,
  refusedBefore: number,
): void {
  const answer = { scope, status: 'answered' as const, at };
  if (batch.quarantined.length > refusedBefore) batch.kept.push(answer);
  else batch.replaced.push(answer);
}
