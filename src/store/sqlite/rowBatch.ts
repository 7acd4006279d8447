import type { Database, Statement } from 'better-sqlite3';

/** Rows per statement: past a few dozen the per-statement saving is spent and binding grows. */
export const ROWS_PER_STATEMENT = 48;

/**
 * Many rows of one INSERT run as `VALUES (…), (…), …`: the binding call and statement start and reset
 * are paid once per `ROWS_PER_STATEMENT` rows instead of once per row (a third of a finding's insert
 * time). SQLite inserts the rows in order, each with the statement's conflict clause, as one-row
 * statements would; a failing row fails the statement, and so the page transaction, either way.
 * Push one row's values onto `values`, then call `row()`; `flush()` runs what is left.
 */
export class RowBatch {
  readonly values: unknown[] = [];
  readonly #db: Database;
  readonly #sql: (rows: number) => string;
  /** Statements by row count, prepared when first needed (at most `ROWS_PER_STATEMENT`). */
  readonly #byRows = new Map<number, Statement>();
  #rows = 0;

  /** `sql(n)` is the statement for `n` rows. */
  constructor(db: Database, sql: (rows: number) => string) {
    this.#db = db;
    this.#sql = sql;
  }

  row(): void {
    if (++this.#rows === ROWS_PER_STATEMENT) this.flush();
  }

  flush(): void {
    if (this.#rows === 0) return;
    this.#statement(this.#rows).run(this.values);
    this.values.length = 0;
    this.#rows = 0;
  }

  /** Drops rows not yet run (after a failed statement, with the transaction rolled back). */
  clear(): void {
    this.values.length = 0;
    this.#rows = 0;
  }

  #statement(rows: number): Statement {
    let statement = this.#byRows.get(rows);
    if (!statement) {
      statement = this.#db.prepare(this.#sql(rows));
      this.#byRows.set(rows, statement);
    }
    return statement;
  }
}

/** `(?, ?, …)` for one row of `width` values, `rows` times: a multi-row VALUES list. */
export function valueRows(width: number, rows: number): string {
  const one = `(${new Array(width).fill('?').join(', ')})`;
  return new Array(rows).fill(one).join(', ');
}
