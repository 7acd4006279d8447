import type { PgSession } from './session.js';

/**
 * The statistics target of these analyses (PostgreSQL's default is 100: a sample of 30,000 rows, most of
 * a 20,000-endpoint sync's table pages read each time). What the page statements' plans need from them
 * is the size of the connection's rows, which a sample of 3,000 rows gives as well, for about a tenth of
 * the work (0.12 s of server CPU instead of 0.9-1.2 s for the four tables of a 20,000-endpoint sync).
 * The pass's own analyse at its end uses the database's target, as autovacuum does.
 */
const SAMPLE_TARGET = 10;

/**
 * Statistics for the tables a writer fills, whenever its rows in one have doubled since it last
 * analysed it (after the first page with rows, then the second, fourth…): a first sync's tables have
 * none, and the planner then took a connection's rows as few, finding a page's scopes through a scan
 * of all of them instead of by endpoint, a page costing more with every page.
 *
 * The first analyse of a table runs before the page write returns (the table is small then, and the
 * next page's plans depend on it). Later ones run beside the next pages, on another pooled session,
 * one at a time: on a 20,000-endpoint first sync they took about a fifth of the page transactions' time
 * when the writer waited for them, and ANALYZE takes no lock that a page's writes wait for.
 */
export class GrowthStatistics {
  /** Per table: rows this writer put in it, and the count at which it is analysed next. */
  readonly #grown = new Map<string, { rows: number; next: number }>();
  /** Tables due while an analyse runs: analysed next. */
  readonly #pending = new Set<string>();
  #running: Promise<void> | undefined;
  /** The backend running a background analyse, so that `stop` can cancel it. */
  #backend: number | undefined;
  #stopped = false;

  /**
   * `background`: later analyses may run beside the next pages (a pool session); inside one open
   * transaction's client every analyse runs in turn, before the write returns.
   */
  constructor(
    private readonly session: PgSession,
    private readonly background: boolean,
  ) {}

  /**
   * Counts the rows a committed page put in each table (with the tables analysed along with it);
   * analyses those whose rows doubled, waiting only for tables analysed the first time.
   */
  async wrote(tables: readonly { table: string; rows: number; with?: readonly string[] }[]): Promise<void> {
    const awaited: string[] = [];
    for (const { table, rows, with: alongside = [] } of tables) {
      const grown = this.#grown.get(table) ?? { rows: 0, next: 1 };
      grown.rows += rows;
      this.#grown.set(table, grown);
      if (grown.rows < grown.next) continue;
      const wait = grown.next === 1 || !this.background;
      grown.next = grown.rows * 2;
      for (const name of [table, ...alongside])
        if (wait) awaited.push(name);
        else this.#pending.add(name);
    }
    if (awaited.length > 0) await this.#analyze(awaited);
    if (this.#pending.size > 0 && !this.#running && !this.#stopped) this.#running = this.#drain();
  }

  /** Resolves when no analyse of this writer runs (before a pass's own final analyse). */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /**
   * Before the store's pool ends: no further analyse starts, and the one in flight is cancelled (the
   * pool's end would otherwise wait for it, a lock wait of up to 5 s plus the sampling, inside a
   * worker's shutdown budget). Answers whether it cancelled one.
   */
  async stop(): Promise<boolean> {
    this.#stopped = true;
    this.#pending.clear();
    const backend = this.#backend;
    const cancelled =
      backend !== undefined &&
      (await this.session
        .query<{ cancelled: boolean }>('SELECT pg_cancel_backend($1) AS cancelled', [backend])
        .then(({ rows }) => rows[0]?.cancelled === true)
        .catch(() => false));
    await this.settled();
    return cancelled;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.size > 0 && !this.#stopped) {
        const tables = [...this.#pending];
        this.#pending.clear();
        await this.#analyze(tables, true);
      }
    } finally {
      this.#running = undefined;
    }
  }

  /**
   * Statistics only speed later pages up: a failed or blocked ANALYZE (a lock timeout behind an
   * anti-wraparound vacuum, a cancellation, a lost session) must not fail a page that has committed.
   */
  async #analyze(tables: readonly string[], background = false): Promise<void> {
    try {
      await this.session.atomic(async (client) => {
        if (background) this.#backend = (client as { processID?: number }).processID;
        await client.query(`ANALYZE ${[...new Set(tables)].join(', ')}`);
      }, `SET LOCAL lock_timeout = '5s'; SET LOCAL default_statistics_target = ${SAMPLE_TARGET}`);
    } catch {
      // Tried again when the rows double next; the planner meanwhile has autovacuum's statistics.
    } finally {
      if (background) this.#backend = undefined;
    }
  }
}
