import { api } from './api';

/**
 * A job that `serve --no-scheduler` queued for the workers (the 202 of `POST …/sync` or `…/rotate`):
 * it runs elsewhere, so the page follows it through its `status` URL (docs/server.md).
 */
export interface QueuedReply {
  queued: true;
  id: string;
  state: string;
  status: string;
  result:
    | { outcome: string; error?: { message: string; fix: string } }
    | { message: string; outcome?: undefined }
    | null;
}

const ENDED = new Set(['completed', 'failed', 'cancelled']);
/** How often the page asks how a queued job goes: a job takes seconds to minutes. */
const POLL_MS = 1_500;

export const isQueued = (answer: unknown): answer is QueuedReply =>
  typeof answer === 'object' && answer !== null && (answer as { queued?: unknown }).queued === true;

/** Polls the job's status until it ends (or `cancelled()` says the page went away); the last state. */
export async function untilEnded(job: QueuedReply, cancelled: () => boolean): Promise<QueuedReply> {
  let current = job;
  while (!ENDED.has(current.state) && !cancelled()) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    current = await api<QueuedReply>('GET', job.status);
  }
  return current;
}

/** How an ended job went: its outcome, or the problem that ended it (message and fix). */
export function endedAs(job: QueuedReply): { ok: true; outcome: string } | { ok: false; error: string } {
  const result = job.result;
  if (job.state === 'completed' && result && result.outcome !== undefined && result.outcome !== 'failed')
    return { ok: true, outcome: result.outcome };
  if (result && 'error' in result && result.error)
    return { ok: false, error: `${result.error.message} ${result.error.fix}` };
  if (result && 'message' in result) return { ok: false, error: result.message };
  return { ok: false, error: `the job ended ${job.state}.` };
}
