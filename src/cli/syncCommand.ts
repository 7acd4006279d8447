import cliProgress from 'cli-progress';
import { parseDuration } from '../common/duration.js';
import { UserError } from '../common/userError.js';
import { clientForConnection } from '../connections/client.js';
import { type ConnectionContext, readToken } from '../connections/connections.js';
import { isTaniumError } from '../sdk/index.js';
import { LeaseLostError } from '../store/leases.js';
import type { SyncSettings } from '../store/sync.js';
import { isStreamName, STREAM_NAMES, type StreamName } from '../streams/index.js';
import type { SyncEvent, SyncSummary } from '../sync/events.js';
import { runSync } from '../sync/runner.js';
import { GatewaySchemaError } from '../sync/streamPlan.js';
import { describeHolder, SyncRunningError } from '../sync/syncStatus.js';
import { printJson } from './output.js';
import { parseSeconds } from './parseNumber.js';
import { requestTimeouts } from './requestTimeouts.js';

/** Exit code of `sync` when another process is syncing the connection (EX_TEMPFAIL: try again later). */
export const SYNC_RUNNING_EXIT = 75;
/** `sync --wait` without a duration. */
export const DEFAULT_WAIT = '10m';

/** `--streams a,b`: known stream names, in the order given. */
export function parseStreams(text: string | undefined): StreamName[] {
  if (text === undefined) return [...STREAM_NAMES];
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !isStreamName(name));
  if (names.length === 0 || unknown.length > 0)
    throw new UserError(
      `Unknown stream "${unknown[0] ?? text}": use a comma-separated list of ${STREAM_NAMES.join(', ')}.`,
    );
  return names as StreamName[];
}

/** `--sensors "A,B"`: sensor names; an empty value clears the list. */
export function parseSensors(text: string): string[] {
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
  streams: StreamName[];
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
  json: boolean;
}

/** Stores changed sync settings with the connection, then returns them. */
export async function updateSettings(
  ctx: ConnectionContext,
  name: string,
  options: Pick<
    SyncCommandOptions,
    'sensors' | 'margin' | 'reconcileEvery' | 'headerTimeout' | 'bodyTimeout'
  >,
): Promise<SyncSettings> {
  const settings = await ctx.store.sync.settings(name);
  let changed = false;
  if (options.sensors !== undefined) {
    settings.sensors = parseSensors(options.sensors);
    changed = true;
  }
  if (options.margin !== undefined) {
    settings.marginMs = parseDuration(options.margin);
    changed = true;
  }
  if (options.reconcileEvery !== undefined) {
    const every = Number(options.reconcileEvery);
    if (!Number.isInteger(every) || every < 1 || every > 10_000)
      throw new UserError(
        `Invalid --reconcile-every "${options.reconcileEvery}": use a whole number from 1 to 10000.`,
      );
    settings.reconcileEvery = every;
    changed = true;
  }
  if (options.headerTimeout !== undefined) {
    settings.headersTimeoutMs = parseSeconds(options.headerTimeout, '--header-timeout');
    changed = true;
  }
  if (options.bodyTimeout !== undefined) {
    settings.bodyTimeoutMs = parseSeconds(options.bodyTimeout, '--body-timeout');
    changed = true;
  }
  if (changed) await ctx.store.sync.saveSettings(name, settings, new Date().toISOString());
  return settings;
}

/** A terminal progress bar on stderr (pages, rows, rate, ETA from totalRecords); nothing when not a TTY. */
function progressBar(): { onEvent: (event: SyncEvent) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { onEvent: () => undefined, stop: () => undefined };
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

/** Runs one sync for a connection: JSON events on stdout with --json, else a progress bar. */
export async function syncConnection(
  ctx: ConnectionContext,
  options: SyncCommandOptions,
  extra: { onEvent?: (event: SyncEvent) => void } = {},
): Promise<SyncSummary> {
  const settings = await updateSettings(ctx, options.name, options);
  const waitMs =
    options.wait === undefined ? 0 : parseDuration(options.wait === true ? DEFAULT_WAIT : options.wait);
  await readToken(ctx, options.name); // fails early, with the fix, when the token cannot be read
  const { client } = await clientForConnection(ctx, options.name, {
    timeouts: requestTimeouts(settings, options.timeout),
  });
  const bar = options.json ? undefined : progressBar();
  try {
    return await runSync({
      store: ctx.store,
      client,
      connection: options.name,
      streams: options.streams,
      full: options.full,
      settings,
      waitMs,
      onEvent: (event) => {
        if (options.json) printJson(event);
        else if (event.event === 'warning') process.stderr.write(`Warning: ${event.message}\n`);
        else bar?.onEvent(event);
        extra.onEvent?.(event);
      },
    });
  } catch (error) {
    throw syncFailure(options.name, error);
  } finally {
    bar?.stop();
    await client.close();
  }
}

/** One line for the user: who holds the lease, the lease lost, or the run's failure. */
function syncFailure(name: string, error: unknown): unknown {
  if (error instanceof SyncRunningError) {
    const line = describeHolder(error.holder);
    return new UserError(
      `${line[0]!.toUpperCase()}${line.slice(1)}: wait for it with sync --wait, or try again later.`,
      {
        exitCode: SYNC_RUNNING_EXIT,
        cause: error,
      },
    );
  }
  // The tenant's schema lacks a field a stream needs: the message names it, the solution and the fix.
  if (error instanceof GatewaySchemaError) return new UserError(error.message, { cause: error });
  if (error instanceof LeaseLostError)
    return new UserError(
      `Sync of "${name}" stopped: it stalled past its lease and another sync took the connection over; pages already stored are kept.`,
      { cause: error },
    );
  if (isTaniumError(error) || error instanceof Error)
    return new UserError(
      `Sync of "${name}" failed: ${error.message.replace(/\.$/, '')}. Pages already stored are kept; run sync again to resume.`,
      { cause: error },
    );
  return error;
}
