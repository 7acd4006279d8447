import cliProgress from 'cli-progress';
import { parseDuration } from '../common/duration.js';
import type { ConnectionContext } from '../connections/connections.js';
import type { SyncEvent, SyncSummary } from '../sync/events.js';
import { MAX_PARTITIONS } from '../sync/partitions.js';
import { type SettingsChange, syncConnection } from '../sync/service.js';
import { printJson } from './output.js';
import { parseSeconds, parseWhole } from './parseNumber.js';

/** Exit code of `sync` when another process is syncing the connection (EX_TEMPFAIL: try again later). */
export const SYNC_RUNNING_EXIT = 75;
/** `sync --wait` without a duration. */
export const DEFAULT_WAIT = '10m';

/** A comma-separated list from the command line, blanks dropped (`--streams`, `--sensors`). */
export function parseList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

export interface SyncCommandOptions {
  name: string;
  streams?: string;
  full: boolean;
  sensors?: string;
  margin?: string;
  reconcileEvery?: string;
  /** `--header-timeout` / `--body-timeout` (seconds): saved with the connection. */
  headerTimeout?: string;
  bodyTimeout?: string;
  /** `--timeout` (seconds): both timeouts, this run only. */
  timeout?: string;
  /** `--wait [duration]`: wait for a sync of the connection that is running (true: the default wait). */
  wait?: string | true;
  /** `--parallel K|auto`: a new full pass read as K disjoint collections (1 to MAX_PARTITIONS), or chosen. */
  parallel?: string;
  json: boolean;
}

/** The settings the flags change, parsed; the service validates and saves them. */
function settingsChange(options: SyncCommandOptions): SettingsChange {
  return {
    ...(options.sensors === undefined ? {} : { sensors: parseList(options.sensors) }),
    ...(options.margin === undefined ? {} : { marginMs: parseDuration(options.margin) }),
    ...(options.reconcileEvery === undefined ? {} : { reconcileEvery: Number(options.reconcileEvery) }),
    ...(options.headerTimeout === undefined
      ? {}
      : { headersTimeoutMs: parseSeconds(options.headerTimeout, '--header-timeout') }),
    ...(options.bodyTimeout === undefined
      ? {}
      : { bodyTimeoutMs: parseSeconds(options.bodyTimeout, '--body-timeout') }),
  };
}

/** Progress on stderr: a bar on a terminal, else lines (a log or CI keeps them; bars would garble it). */
function progressBar(): { onEvent: (event: SyncEvent) => void; stop: () => void } {
  if (!process.stderr.isTTY) return progressLines();
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format:
        '{bar} {percentage}% | {value}/{total} endpoints | {pages} pages | {rows} rows | {rate} endpoints/s | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let rows = 0;
  return {
    onEvent(event) {
      if (event.event !== 'page') return;
      rows += event.rows;
      const payload = { pages: event.page, rows, rate: event.endpointsPerSecond };
      if (!started) {
        bar.start(event.totalRecords ?? event.endpoints, 0, payload);
        started = true;
      }
      if (event.totalRecords !== null) bar.setTotal(event.totalRecords);
      bar.update(event.endpoints, payload);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** At most one line a second (and the first page at once): pages, endpoints of the total, rows. */
function progressLines(): { onEvent: (event: SyncEvent) => void; stop: () => void } {
  let rows = 0;
  let last = 0;
  return {
    onEvent(event) {
      if (event.event !== 'page') return;
      rows += event.rows;
      const now = performance.now();
      if (last !== 0 && now - last < 1_000) return;
      last = now;
      const total = event.totalRecords === null ? '' : ` of ${event.totalRecords.toLocaleString('en-US')}`;
      process.stderr.write(
        `Progress: ${event.endpoints.toLocaleString('en-US')}${total} endpoints, ${event.page} pages, ${rows.toLocaleString('en-US')} rows\n`,
      );
    },
    stop: () => undefined,
  };
}

/** Runs one sync through the sync service: JSON events on stdout with --json, else a progress bar. */
export async function runSyncCommand(
  ctx: ConnectionContext,
  options: SyncCommandOptions,
): Promise<SyncSummary> {
  const waitMs =
    options.wait === undefined ? 0 : parseDuration(options.wait === true ? DEFAULT_WAIT : options.wait);
  const timeoutMs = options.timeout === undefined ? undefined : parseSeconds(options.timeout, '--timeout');
  const bar = options.json ? undefined : progressBar();
  try {
    return await syncConnection(ctx, options.name, {
      ...(options.streams === undefined ? {} : { streams: parseList(options.streams) }),
      full: options.full,
      settings: settingsChange(options),
      timeoutMs,
      waitMs,
      ...(options.parallel === undefined
        ? {}
        : {
            parallel:
              options.parallel === 'auto'
                ? 'auto'
                : parseWhole(options.parallel, '--parallel', 1, MAX_PARTITIONS),
          }),
      onEvent: (event) => {
        if (options.json) printJson(event);
        else if (event.event === 'warning') process.stderr.write(`Warning: ${event.message}\n`);
        else bar?.onEvent(event);
      },
    });
  } finally {
    bar?.stop();
  }
}
