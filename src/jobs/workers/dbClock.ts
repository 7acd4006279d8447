/** Runs one SQL statement (pg-boss's own pool: `boss.getDb()`). */
export interface SqlRunner {
  executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * The database's clock, as workers on several machines must share one (docs/scale.md): the offset
 * between PostgreSQL's `clock_timestamp()` and this process's clock, measured at every dispatch tick
 * and applied between ticks. A failed measurement keeps the last offset.
 */
export class DbClock {
  #offsetMs = 0;

  constructor(private readonly db: SqlRunner) {}

  async measure(): Promise<void> {
    const before = Date.now();
    const { rows } = await this.db.executeSql(
      'SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms',
      [],
    );
    const after = Date.now();
    const ms = Number((rows[0] as { ms?: unknown } | undefined)?.ms);
    if (Number.isFinite(ms)) this.#offsetMs = Math.round(ms - (before + after) / 2);
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }
}
