import type { Logger } from 'pino';
import { redactTokens } from '../../common/redact.js';
import { scrubError } from '../../store/postgres/redactUrl.js';

/** One pg-boss error repeated (a database down) is logged once per this many ms. */
const ERROR_LOG_EVERY_MS = 30_000;

/**
 * pg-boss reports polling, maintenance and pool failures as `error` events: each is logged as one
 * warning line, the same message muted for a while after it (an outage would log it every second),
 * without a stack, with the database password and any token masked.
 */
export class QueueErrorLog {
  readonly #last = new Map<string, number>();

  constructor(
    private readonly log: Logger,
    private readonly password: string | undefined,
  ) {}

  report(error: unknown): void {
    const scrubbed = scrubError(error, this.password);
    const message =
      scrubbed instanceof Error
        ? scrubbed.message
        : String((scrubbed as { message?: unknown })?.message ?? scrubbed);
    const key = redactTokens(message.replace(/\(Queue: .*\)$/, '')).slice(0, 200);
    const last = this.#last.get(key) ?? 0;
    if (Date.now() - last < ERROR_LOG_EVERY_MS) return;
    this.#last.set(key, Date.now());
    this.log.warn({ error: key }, 'job queue error');
  }
}
