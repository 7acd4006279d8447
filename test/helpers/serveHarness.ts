import type { ChildProcess } from 'node:child_process';
import { request } from 'undici';
import type { Harness } from './emulatorHarness.js';
import { boundEnv, runCli, tempHome } from './runCli.js';
import { startCliUntilFirstLine, stopChild } from './spawnCli.js';

/** Answers are JSON the tests check by assertion, field by field: typing every route's answer adds nothing. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Json = any;

export interface ApiReply<T = Json> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: T;
}

export interface ApiCallOptions {
  key?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** A real `serve` process on a free port, with its stderr (the logs) kept for searching. */
export interface Served {
  child: ChildProcess;
  url: string;
  logs(): string;
  call<T = Json>(method: string, path: string, options?: ApiCallOptions): Promise<ApiReply<T>>;
  stop(): Promise<number | null>;
}

/** A `serve` of `home`, with the store its CLI runs use (bindHome: test/helpers/dialectHomes.ts). */
export async function serve(home: string, key: string | null, extra: string[] = []): Promise<Served> {
  const { child, firstLine, stderr } = await startCliUntilFirstLine(
    ['serve', '--port', '0', '--json', '--home', home, '--log-level', 'info', ...extra],
    30_000,
    { ...process.env, ...boundEnv(home) },
  );
  const url = (JSON.parse(firstLine) as { url: string }).url;
  const call: Served['call'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    const bearer = options.key === undefined ? key : options.key;
    if (bearer !== null) headers['authorization'] = `Bearer ${bearer}`;
    let body = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await request(`${url}${path}`, {
      method: method as 'GET',
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.body.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, headers: response.headers, text, json } as ApiReply<never>;
  };
  return { child, url, logs: stderr, call, stop: () => stopChild(child) };
}

/**
 * A home (a new one, or `home`: e.g. one of dialectHomes) with the connection `default` to the emulator
 * and an admin and a viewer API key.
 */
export async function homeWithKeys(
  h: Harness,
  token = h.token,
  home = tempHome(),
): Promise<{ home: string; admin: string; viewer: string }> {
  const saved = await runCli(['connect', '--server', h.url], { home, input: `${token}\n` });
  if (saved.code !== 0) throw new Error(`connect failed: ${saved.stderr}`);
  const key = async (name: string, role: string) => {
    const created = await runCli(['apikey', 'create', '--name', name, '--role', role, '--json'], { home });
    if (created.code !== 0) throw new Error(`apikey create failed: ${created.stderr}`);
    return (JSON.parse(created.stdout) as { key: string }).key;
  };
  return { home, admin: await key('admin', 'admin'), viewer: await key('viewer', 'viewer') };
}

/** Reads Server-Sent Events until `until` says stop (or the stream ends); returns them parsed. */
export async function readEvents(
  url: string,
  key: string,
  until: (event: { event: string; [k: string]: unknown }) => boolean,
  timeoutMs = 60_000,
): Promise<{ event: string; [k: string]: unknown }[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const events: { event: string; [k: string]: unknown }[] = [];
  try {
    const response = await request(url, {
      headers: { authorization: `Bearer ${key}` },
      signal: controller.signal,
    });
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += chunk.toString();
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (!data) continue;
        const event = JSON.parse(data.slice(6)) as { event: string };
        events.push(event);
        if (until(event)) {
          controller.abort();
          return events;
        }
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
  }
  return events;
}
