import type { QueueName } from './queues.js';

/**
 * A job asked for through the API (`POST …/sync`, `POST …/rotate`) while workers run the jobs: it
 * travels on the same queue as the scheduled jobs, with `request` in its data saying who asked and
 * what. Unlike a scheduled job it leaves the stored schedule alone, as the same request does when
 * serve runs it itself; its result is the queue job's output.
 */
export type RequestedJob =
  | { queue: 'sync'; connection: string; actor: string; full: boolean; streams?: string[] }
  | { queue: 'rotate'; connection: string; actor: string; ifDue: boolean; method?: 'rest' | 'graphql' };

/** The queue job's data: the scheduled job's fields (older workers run it as that) and the request. */
export function requestData(job: RequestedJob): Record<string, unknown> {
  if (job.queue === 'sync') {
    const { queue: _q, connection, full, ...request } = job;
    return { connection, mode: full ? 'full' : 'incremental', request };
  }
  const { queue: _q, connection, ...request } = job;
  return { connection, request };
}

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** The request a queue job carries, or undefined for a scheduled job (or data that is not ours). */
export function requestOf(queue: QueueName, data: unknown): RequestedJob | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { connection, mode, request } = data as { connection?: unknown; mode?: unknown; request?: unknown };
  if (!isText(connection) || typeof request !== 'object' || request === null) return undefined;
  const { actor, streams, ifDue, method } = request as Record<string, unknown>;
  if (!isText(actor)) return undefined;
  if (queue === 'sync') {
    const list = Array.isArray(streams) && streams.every(isText) ? (streams as string[]) : undefined;
    return { queue, connection, actor, full: mode === 'full', ...(list ? { streams: list } : {}) };
  }
  const via = method === 'rest' || method === 'graphql' ? { method: method as 'rest' | 'graphql' } : {};
  return { queue, connection, actor, ifDue: ifDue === true, ...via };
}
