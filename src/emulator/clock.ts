import { parseDuration } from '../common/duration.js';

/**
 * Emulator time: real time plus an offset that only moves forward. Tests advance it
 * (`POST /__emulator/clock`) to expire tokens and cursors without waiting.
 */
export class EmulatorClock {
  #offsetMs: number;
  readonly #realNow: () => number;

  constructor(offsetMs = 0, realNow: () => number = Date.now) {
    this.#offsetMs = offsetMs;
    this.#realNow = realNow;
  }

  now(): number {
    return this.#realNow() + this.#offsetMs;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Moves time forward by a duration such as `8d`; time never runs backwards. */
  advance(duration: string | number): number {
    const ms = typeof duration === 'number' ? duration : parseDuration(duration);
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    this.#offsetMs += ms;
    return this.now();
  }
}

/** Tanium's REST time format: UTC without fractional seconds, e.g. `2026-05-01T12:00:00Z`. */
export function taniumTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const DAY_MS = 86_400_000;
