import { cpuUsage } from 'node:process';

/** Pages observed between two decisions (one page says little: sizes and latencies vary). */
const WINDOW_PAGES = 3;
/** Open another partition when the writer waited for pages at least this share of the time… */
const WAITING_SHARE = 0.3;
/** …and the process used less than this share of one core (the writer is one thread). */
const CPU_SHARE = 0.8;

/**
 * How many partitions of a pass read at once. Asked for (`sync --parallel K`): all K from the start.
 * Chosen (the default): one at first, one more each time a few pages show the writer waiting on the
 * Gateway (latency: round trips dominate) while the process has CPU to spare; never more than the split.
 * A partition once opened reads to its end (a paused collection would let its cursor expire), so the
 * number only grows. Memory: with n open, up to n+1 pages are held (n arriving, one being stored), so
 * each page gets 2/(n+1) of the row cap that keeps one sequential reader within its memory bound.
 */
export class Parallelism {
  #open: number;
  #window = { pages: 0, waitMs: 0, started: performance.now(), cpu: cpuUsage() };

  readonly fixed: boolean;

  /** `asked`: `sync --parallel K` (at most the pass's split); undefined: chosen as pages arrive. */
  constructor(
    readonly partitions: number,
    asked: number | undefined,
  ) {
    this.fixed = asked !== undefined;
    this.#open = Math.max(1, Math.min(partitions, asked ?? 1));
  }

  /** Partitions that may be reading at once. */
  get open(): number {
    return this.#open;
  }

  /** The row cap of each page while `open` partitions read at once. */
  rowCap(base: number): number {
    return this.#open <= 1 ? base : Math.floor((base * 2) / (this.#open + 1));
  }

  /** After a committed page: how long the writer waited for it. True when one more partition opens. */
  observe(waitMs: number): boolean {
    if (this.fixed || this.#open >= this.partitions) return false;
    const w = this.#window;
    w.pages++;
    w.waitMs += waitMs;
    if (w.pages < WINDOW_PAGES) return false;
    const wallMs = Math.max(1, performance.now() - w.started);
    const cpu = cpuUsage(w.cpu);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    this.#window = { pages: 0, waitMs: 0, started: performance.now(), cpu: cpuUsage() };
    if (w.waitMs / wallMs < WAITING_SHARE || cpuMs / wallMs >= CPU_SHARE) return false;
    this.#open++;
    return true;
  }
}
