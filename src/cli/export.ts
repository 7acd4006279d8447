import { once } from 'node:events';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { writeFileAtomicStreaming } from '../common/atomicFile.js';
import { pathProblem } from '../common/pathProblem.js';
import { UserError } from '../common/userError.js';
import { requireConnection } from '../connections/editConnection.js';
import { DEFAULT_CONNECTION, validateConnectionName } from '../connections/name.js';
import type { Store } from '../store/store.js';
import { isStreamName, STREAM_NAMES, type StreamName } from '../streams/index.js';
import { type ExportFormat, exportRows } from '../streams/rowExport.js';
import { withConnections } from './context.js';
import { type GlobalOptions, printResult } from './output.js';

export { csvField } from '../streams/rowExport.js';

/**
 * Writes a stream's rows (src/streams/rowExport.ts) to `out`, honouring back-pressure; a reader that
 * stops early (`| head`) closes the pipe and the export stops quietly. Returns the rows written.
 */
async function writeRows(
  store: Store,
  connection: string,
  stream: StreamName,
  format: ExportFormat,
  out: Writable,
) {
  let closed = false;
  let failure: unknown;
  out.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') closed = true;
    else failure = error;
    out.emit('drain');
  });
  let rows = 0;
  for await (const chunk of exportRows(store, { connection, stream, filters: [] }, format)) {
    if (closed) break;
    rows += chunk.rows;
    if (!out.write(chunk.text)) await once(out, 'drain');
    if (failure) throw failure;
  }
  return rows;
}

/**
 * Writes through the atomic-file helper (src/common/atomicFile.ts): never a truncated file under
 * `path`, and the file is 0600 even when it replaces one with another mode. A path that cannot be
 * written becomes one `output_unusable` problem naming it.
 */
async function toFile(path: string, write: (out: Writable) => Promise<number>): Promise<number> {
  try {
    return await writeFileAtomicStreaming(resolve(path), write);
  } catch (error) {
    throw pathProblem(error, { code: 'output_unusable', what: 'the output file', path });
  }
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
        await requireConnection(ctx, name);
        if (options.out === undefined) {
          const rows = await writeRows(ctx.store, name, stream, format, process.stdout);
          process.stderr.write(`Exported ${rows} ${stream} rows.\n`);
          return;
        }
        const out = options.out;
        const rows = await toFile(out, (file) => writeRows(ctx.store, name, stream, format, file));
        printResult(
          global,
          { stream, format, rows, out },
          `Exported ${rows} ${stream} rows to ${out} (${format}).`,
        );
      });
    });
}
