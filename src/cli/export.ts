import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { UserError } from '../common/userError.js';
import { noSuchConnection } from '../connections/connections.js';
import { DEFAULT_CONNECTION, validateConnectionName } from '../connections/name.js';
import type { Store } from '../store/store.js';
import { isStreamName, readColumns, STREAM_NAMES, STREAMS, type StreamName } from '../streams/index.js';
import { withConnections } from './context.js';
import { type GlobalOptions, printResult } from './output.js';

/** A CSV field: quoted when it holds a comma, quote, line break or outer spaces; quotes doubled. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A row for NDJSON: JSON columns parsed, booleans as true/false. */
function jsonRow(stream: StreamName, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of readColumns(STREAMS[stream])) {
    const value = row[column.name];
    if (value === null || value === undefined) out[column.name] = null;
    else if (column.type === 'json') out[column.name] = JSON.parse(value as string);
    else if (column.type === 'boolean') out[column.name] = value === 1;
    else out[column.name] = value;
  }
  return out;
}

/** Streams a stream's rows to `out` a chunk at a time, honouring back-pressure. Returns the row count. */
export async function exportRows(
  store: Store,
  connection: string,
  stream: StreamName,
  format: 'ndjson' | 'csv',
  out: Writable,
): Promise<number> {
  const columns = readColumns(STREAMS[stream]).map((c) => c.name);
  // A reader that stops early (`| head`) closes the pipe: stop quietly rather than fail.
  let closed = false;
  let failure: unknown;
  out.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') closed = true;
    else failure = error;
    out.emit('drain');
  });
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
    if (failure) throw failure;
  };
  if (format === 'csv') await write(`${columns.join(',')}\r\n`);
  let rows = 0;
  let buffer = '';
  for await (const row of store.sync.rows(connection, stream)) {
    if (closed) break;
    buffer +=
      format === 'csv'
        ? `${columns.map((c) => csvField(row[c])).join(',')}\r\n`
        : `${JSON.stringify(jsonRow(stream, row))}\n`;
    rows++;
    if (buffer.length > 64 * 1024) {
      await write(buffer);
      buffer = '';
    }
  }
  if (buffer && !closed) await write(buffer);
  return rows;
}

/** `tanium-bridge export <stream>`: a stream's rows as NDJSON or CSV, to stdout or a file. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description(`write a synced stream's rows as NDJSON or CSV (${STREAM_NAMES.join(', ')})`)
    .argument('<stream>', STREAM_NAMES.join(' | '))
    .option('--format <format>', 'ndjson or csv', 'ndjson')
    .option('--out <file>', 'write to this file instead of standard output')
    .option('--name <name>', 'connection name', DEFAULT_CONNECTION)
    .action(async (stream: string, options: { format: string; out?: string; name: string }, command) => {
      const global = (command as Command).optsWithGlobals<GlobalOptions>();
      if (!isStreamName(stream))
        throw new UserError(`Unknown stream "${stream}": use one of ${STREAM_NAMES.join(', ')}.`);
      if (options.format !== 'ndjson' && options.format !== 'csv')
        throw new UserError(`Unknown format "${options.format}": use ndjson or csv.`);
      const format = options.format;
      const name = validateConnectionName(options.name);
      await withConnections(global, async (ctx) => {
        if (!(await ctx.store.connections.get(name))) throw noSuchConnection(name);
        if (options.out === undefined) {
          const rows = await exportRows(ctx.store, name, stream, format, process.stdout);
          process.stderr.write(`Exported ${rows} ${stream} rows.\n`);
          return;
        }
        const file = createWriteStream(options.out, { mode: 0o600 });
        const rows = await exportRows(ctx.store, name, stream, format, file);
        file.end();
        await once(file, 'close');
        printResult(
          global,
          { stream, format, rows, out: options.out },
          `Exported ${rows} ${stream} rows to ${options.out} (${format}).`,
        );
      });
    });
}
