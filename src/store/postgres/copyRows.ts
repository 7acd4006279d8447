import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import copyStreams from 'pg-copy-streams';

/** Rows per chunk handed to COPY: bounds the text built at once. */
const CHUNK_ROWS = 2000;

/** Sends `lines` (COPY text, whole lines per chunk) to a `COPY … FROM STDIN` statement. */
export async function copyLines(client: PoolClient, copy: string, lines: Iterable<string>): Promise<void> {
  await pipeline(Readable.from(lines), client.query(copyStreams.from(copy)));
}

/**
 * Sends `count` rows to a `COPY … FROM STDIN` statement, `line(i)` being row i's line (COPY text,
 * copyText.ts, with its newline), built a chunk of rows at a time.
 */
export async function copyRows(
  client: PoolClient,
  copy: string,
  count: number,
  line: (i: number) => string,
): Promise<void> {
  function* chunks(): Generator<string> {
    for (let start = 0; start < count; start += CHUNK_ROWS) {
      let text = '';
      const end = Math.min(count, start + CHUNK_ROWS);
      for (let i = start; i < end; i++) text += line(i);
      yield text;
    }
  }
  await copyLines(client, copy, chunks());
}
