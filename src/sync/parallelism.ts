import { cpuUsage } from 'node:process';

/** Pages observed between two decisions (one page says little: sizes and latencies vary). */
const WINDOW_PAGES = 4;
/** Open another partition when the writer waited for pages at least this share of the time… */
const WAITING_SHARE = 0.3;
/** …and the process used less than this share of one core (the writer is one thread). */
const CPU_SHARE = 0.8;
/** An opened partition must raise rows per second by this factor to count as paying. */
const PAYING_GAIN = 1.15;

/**
 * How many partitions of a pass read at once. Asked for (`sync --parallel K`): K from the start.
 * Chosen (the default): one at first; one more when a few pages show the writer waiting on the Gateway
 * (latency: round trips dominate) while the process has CPU to spare; the next window then tells
 * whether it paid (rows per second up by 15%): if not, the number goes back down and stays (a Gateway
 * that builds pages no faster when asked more at once, or a machine with no core to spare). A partition
 * once opened reads to its end (a paused collection would let its cursor expire): going down only means
 * no new partition opens until fewer are reading.
 */
export class Parallelism {
  #open: number;
  #window = Parallelism.#newWindow();
  /** Rows per millisecond before the last opening, while its effect is being measured. */
  #trial: number | undefined;
  #settled = false;
  readonly fixed: boolean;

  /** `asked`: `sync --parallel K` (at most the pass's split); undefined: chosen as pages arrive. */
  constructor(
    readonly partitions: number,
    asked: number | undefined,
  ) {
    this.fixed = asked !== undefined;
    this.#open = Math.max(1, Math.min(partitions, asked ?? 1));
  }

  static #newWindow() {
    return { pages: 0, waitMs: 0, rows: 0, started: performance.now(), cpu: cpuUsage() };
  }

  /** Partitions that may be reading at once. */
  get open(): number {
    return this.#open;
  }

  /**
   * The row cap of each page while `reading` partitions read at once: up to reading+1 pages are held
   * (one arriving per partition, one being stored), so each gets 2/(reading+1) of the cap that keeps
   * one sequential reader (two pages) within its memory bound.
   */
  static rowCap(base: number, reading: number): number {
    return reading <= 1 ? base : Math.floor((base * 2) / (reading + 1));
  }

  /** After a committed page: how long the writer waited for it, and its rows. True when `open` changed. */
  observe(waitMs: number, rows: number): boolean {
    if (this.fixed || this.#settled) return false;
    const w = this.#window;
    w.pages++;
    w.waitMs += waitMs;
    w.rows += rows;
    if (w.pages < WINDOW_PAGES) return false;
    const wallMs = Math.max(1, performance.now() - w.started);
    const cpu = cpuUsage(w.cpu);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    this.#window = Parallelism.#newWindow();
    const rate = w.rows / wallMs;
    if (this.#trial !== undefined) {
      const paid = rate >= this.#trial * PAYING_GAIN;
      this.#trial = undefined;
      if (!paid) {
        this.#open--;
        this.#settled = true;
        return true;
      }
    }
    if (this.#open >= this.partitions) return false;
    if (w.waitMs / wallMs < WAITING_SHARE || cpuMs / wallMs >= CPU_SHARE) return false;
    this.#trial = rate;
    this.#open++;
    return true;
  }
}
