import type { RowQuery } from '../store/rowQuery.js';
import type { Store } from '../store/store.js';
import { STREAMS } from './index.js';
import { readFields } from './stream.js';

export type ExportFormat = 'ndjson' | 'csv';

/** A page of the export: its text, and how many rows it holds (a CSV field may hold line breaks). */
export interface ExportChunk {
  text: string;
  rows: number;
}

/** The export as text only (an HTTP body). */
export async function* exportText(chunks: AsyncIterable<ExportChunk>): AsyncGenerator<string> {
  for await (const chunk of chunks) yield chunk.text;
}

/** A CSV field: quoted when it holds a comma, quote, line break or outer spaces; quotes doubled. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Every row a query selects, as NDJSON lines or CSV (header first), a page at a time: memory stays
 * bounded by one page whatever the size of the result. The caller writes the chunks with
 * back-pressure.
 */
export async function* exportRows(
  store: Store,
  query: Omit<RowQuery, 'after' | 'limit'>,
  format: ExportFormat,
  pageSize = 1000,
): AsyncGenerator<ExportChunk> {
  const columns = readFields(STREAMS[query.stream]).map((f) => f.name);
  if (format === 'csv') yield { text: `${columns.join(',')}\r\n`, rows: 0 };
  let after: unknown[] | undefined;
  for (;;) {
    const page = await store.rowQuery.page({ ...query, limit: pageSize, ...(after ? { after } : {}) });
    let chunk = '';
    for (const row of page.rows)
      chunk +=
        format === 'csv'
          ? `${columns.map((c) => csvField(row[c])).join(',')}\r\n`
          : `${JSON.stringify(row)}\n`;
    if (chunk) yield { text: chunk, rows: page.rows.length };
    if (page.next === null) return;
    after = page.next;
  }
}
