import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import copyStreams from 'pg-copy-streams';
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

/** Rows per chunk handed to COPY: bounds the text built at once. */
const CHUNK_ROWS = 2000;

/**
 * A per-session temporary table a page's records are copied into before one upsert moves them into
 * the stream's table. Created on first use in each database session and emptied at every commit (ON
 * COMMIT DELETE ROWS), so pages pay no catalog change; a creation rolled back is made again next time.
 */
export class StageTable {
  readonly #create: string;
  readonly #copy: string;

  constructor(
    readonly name: string,
    readonly columns: readonly StageColumn[],
  ) {
    this.#create = `CREATE TEMP TABLE IF NOT EXISTS ${name} (
      round integer NOT NULL,
      ${columns.map((c) => `${c.name} ${c.pgType}`).join(',\n      ')}
    ) ON COMMIT DELETE ROWS`;
    this.#copy = `COPY ${name} (round, ${columns.map((c) => c.name).join(', ')}) FROM STDIN`;
  }

  /**
   * Copies `rows` (values by column name) into the table, inside the caller's transaction. `round[r]`
   * is row r's round: the how-manieth time its key occurs in the page (0 when absent), so that an
   * upsert per round applies repeated keys one after the other, as SQLite does row by row.
   */
  async fill(
    client: PoolClient,
    rows: readonly Record<string, unknown>[],
    round?: readonly number[],
  ): Promise<void> {
    await client.query(this.#create);
    // Empty already unless this transaction staged a page before (DELETE: TRUNCATE would change the catalog).
    await client.query(`DELETE FROM ${this.name}`);
    if (rows.length === 0) return;
    const columns = this.columns;
    function* lines(): Generator<string> {
      for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
        let text = '';
        const end = Math.min(rows.length, start + CHUNK_ROWS);
        for (let r = start; r < end; r++) {
          const row = rows[r]!;
          text += String(round?.[r] ?? 0);
          for (let c = 0; c < columns.length; c++) {
            const column = columns[c]!;
            text += `\t${copyField(row[column.name], column.type)}`;
          }
          text += '\n';
        }
        yield text;
      }
    }
    await pipeline(Readable.from(lines()), client.query(copyStreams.from(this.#copy)));
  }
}
