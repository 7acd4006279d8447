import type { PoolClient } from 'pg';
import { copyRows } from './copyRows.js';
import { copyField } from './copyText.js';
import type { StageColumn } from './stagePage.js';

/** The marks every row a page adds carries: its connection, the pass's generation and the run. */
export interface RowMarks {
  connection: string;
  generation: number;
  runId: number;
}

/**
 * Rows known to be new to a stream's table copied straight into it (`COPY … FROM STDIN`, text
 * format), with the marks of a fresh row (`seen_gen` the pass, `created_run` and `changed_run` the
 * run): what the staging table and the insert from it would have stored, in one step. Only for rows
 * whose every key value is set, whose key occurs once in the page and whose endpoint has no row of
 * the connection in the table (streamTable.ts decides); a row that is not new after all fails the
 * primary key and rolls the page back, it is never stored twice.
 */
export class DirectCopy {
  readonly #copy: string;

  /** `ref`: the shared-table id column after the stream's own columns (streams with details). */
  constructor(
    table: string,
    readonly columns: readonly StageColumn[],
    readonly ref?: string,
  ) {
    const names = ['connection', ...columns.map((c) => c.name), ...(ref ? [ref] : [])];
    this.#copy = `COPY ${table} (${names.join(', ')}, seen_gen, created_run, changed_run) FROM STDIN`;
  }

  /** Copies `rows[i]` for each i of `which`; `ids[i]` is row i's shared-table id (never null then). */
  async copy(
    client: PoolClient,
    rows: readonly Record<string, unknown>[],
    which: readonly number[],
    marks: RowMarks,
    ids?: readonly (number | null)[],
  ): Promise<void> {
    if (which.length === 0) return;
    const columns = this.columns;
    const head = `${copyField(marks.connection, 'text')}\t`;
    const tail = `\t${marks.generation}\t${marks.runId}\t${marks.runId}\n`;
    await copyRows(client, this.#copy, which.length, (w) => {
      const r = which[w]!;
      const row = rows[r]!;
      let text = head;
      for (let c = 0; c < columns.length; c++) {
        const column = columns[c]!;
        text += `${c > 0 ? '\t' : ''}${copyField(row[column.name], column.type)}`;
      }
      if (ids) {
        const id = ids[r];
        if (id === null || id === undefined) throw new Error(`row ${r} has no shared-table id`);
        text += `\t${id}`;
      }
      return text + tail;
    });
  }
}
