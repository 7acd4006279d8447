import type { Logger } from 'pino';
import { redactTokens } from '../../common/redact.js';
import { scrubError } from '../../store/postgres/redactUrl.js';

/** One pg-boss error repeated (a database down) is logged once per this many ms. */
export const ERROR_LOG_EVERY_MS = 30_000;

/**
 * pg-boss reports polling, maintenance and pool failures as `error` events: each is logged as one
 * warning line, the same message muted for a while after it (an outage would log it every second),
 * without a stack, with the database password and any token masked. A message is remembered only
 * while it is muted: each report first forgets those logged longer ago than the mute window, so
 * messages that never repeat (each naming another job or session) do not pile up over a worker's life.
 */
export class QueueErrorLog {
  /** When each message still muted was last logged (ms); Map keeps them oldest first. */
  readonly #last = new Map<string, number>();

  constructor(
    private readonly log: Logger,
    private readonly password: string | undefined,
    /** The clock the mute window is measured on: monotonic, so a wall-clock jump neither mutes nor floods (a test passes its own). */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** How many messages are remembered (muted) now. */
  get remembered(): number {
    return this.#last.size;
  }

  report(error: unknown): void {
    const now = this.now();
    this.#forget(now);
    const key = messageOf(error, this.password);
    if (this.#last.has(key)) return;
    this.#last.set(key, now);
    this.log.warn({ error: key }, 'job queue error');
  }

  /** Drops the messages logged a whole window ago or longer, oldest first, so the map stays small. */
  #forget(now: number): void {
    for (const [key, at] of this.#last) {
      if (now - at < ERROR_LOG_EVERY_MS) break;
      this.#last.delete(key);
    }
  }
}

/** The message as logged and muted: scrubbed, without pg-boss's `(Queue: …)` suffix, at most 200 characters. */
function messageOf(error: unknown, password: string | undefined): string {
  const scrubbed = scrubError(error, password);
  const message =
    scrubbed instanceof Error
      ? scrubbed.message
      : String((scrubbed as { message?: unknown })?.message ?? scrubbed);
  return redactTokens(message.replace(/\(Queue: .*\)$/, '')).slice(0, 200);
}
