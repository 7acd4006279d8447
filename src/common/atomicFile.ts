import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, createWriteStream, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';

/**
 * Every file the product writes goes through here: into a private (0600) temporary file in the same
 * folder, flushed to disk, then renamed over the final name. A reader (or a crash, or Ctrl+C) sees the
 * old file or the whole new one, never a truncated one, and the new file is owner-only whatever mode an
 * earlier file of that name had (docs/cli.md).
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = tempPath(path);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
  } catch (error) {
    closeQuietly(fd);
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * The streaming form: `write` gets a stream into the temporary file; once it resolves the stream is
 * ended, the file flushed and renamed into place. If `write` throws, the temporary file is removed and
 * the final name is untouched.
 */
export async function writeFileAtomicStreaming<T>(
  path: string,
  write: (out: Writable) => Promise<T>,
): Promise<T> {
  const temp = tempPath(path);
  const out = createWriteStream(temp, { flags: 'wx', mode: 0o600, autoClose: false });
  try {
    await once(out, 'open');
    const result = await write(out);
    out.end();
    await once(out, 'finish');
    const fd = fdOf(out);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
    return result;
  } catch (error) {
    if (typeof fdOf(out) === 'number') closeQuietly(fdOf(out));
    out.destroy();
    rmSync(temp, { force: true });
    throw error;
  }
}

/** A hidden name beside the final one (same folder, so the rename stays on one file system). */
function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed after a successful write
  }
}

/** The descriptor of an opened file stream (typed in Node's docs, missing from @types/node 20). */
function fdOf(stream: Writable): number {
  return (stream as unknown as { fd: number }).fd;
}
