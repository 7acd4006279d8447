import type { PoolClient } from 'pg';
import { copyRows } from './copyRows.js';
import { type CopyType, copyField } from './copyText.js';

/**
 * A column of a staging table: its name, how its values are encoded, its PostgreSQL type. Every stage
 * also has a leading `round` column (see `StageTable.fill`).
 */
export interface StageColumn {
  name: string;
  type: CopyType;
  pgType: string;
}

/** Each row's shared-table id, or (null id) the key of its values (an MD5 in hex). */
export interface StagedRefs {
  ids: readonly (number | null)[];
  keys: readonly (string | null)[];
}

/**
 * A per-session temporary table a page's records are copied into before one upsert moves them into
 * the stream's table. Created on first use in each database session and emptied at every commit (ON
 * COMMIT DELETE ROWS), so pages pay no catalog change; a creation rolled back is made again next time.
 */
export class StageTable {
  /** Creates the table in the session when absent and empties it (two statements, no parameters). */
  readonly prepare: string;
  /** The same statements one by one (a batch hands out one result per statement). */
  readonly preparing: readonly string[];
  readonly #copy: string;

  /**
   * `ref`: a trailing integer column of that name, and `${ref}_key` after it, whose values `fill`
   * takes apart from the records: the shared-table id of each row's descriptive values, or when the
   * writer does not know it yet the key they are found by (sharedDetails.ts).
   */
  constructor(
    readonly name: string,
    readonly columns: readonly StageColumn[],
    readonly ref?: string,
  ) {
    const all = [
      'round integer NOT NULL',
      ...columns.map((c) => `${c.name} ${c.pgType}`),
      ...(ref ? [`${ref} integer`, `${ref}_key text`] : []),
    ];
    // Empty already unless this transaction staged a page before (DELETE: TRUNCATE changes the catalog).
    this.preparing = [
      `CREATE TEMP TABLE IF NOT EXISTS ${name} (${all.join(', ')}) ON COMMIT DELETE ROWS`,
      `DELETE FROM ${name}`,
    ];
    this.prepare = this.preparing.join(';\n');
    const names = ['round', ...columns.map((c) => c.name), ...(ref ? [ref, `${ref}_key`] : [])];
    this.#copy = `COPY ${name} (${names.join(', ')}) FROM STDIN`;
  }

  /**
   * Copies `rows` (values by column name) into the table, inside the caller's transaction, after
   * `prepare` ran in it. `round[r]`
   * is row r's round: the how-manieth time its key occurs in the page (0 when absent), so that an
   * upsert per round applies repeated keys one after the other, as SQLite does row by row.
   */
  async fill(
    client: PoolClient,
    rows: readonly Record<string, unknown>[],
    extra: { round?: readonly number[]; refs?: StagedRefs } = {},
  ): Promise<void> {
    const { round, refs } = extra;
    if (rows.length === 0) return;
    const columns = this.columns;
    await copyRows(client, this.#copy, rows.length, (r) => {
      const row = rows[r]!;
      let text = String(round?.[r] ?? 0);
      for (let c = 0; c < columns.length; c++) {
        const column = columns[c]!;
        text += `\t${copyField(row[column.name], column.type)}`;
      }
      if (refs) text += `\t${refs.ids[r] ?? '\\N'}\t${refs.keys[r] ?? '\\N'}`;
      return `${text}\n`;
    });
  }
}
