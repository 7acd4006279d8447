import { Problem } from '../common/problem.js';
import { clientForConnection } from '../connections/client.js';
import { type ConnectionContext, noSuchConnection, readToken } from '../connections/connections.js';
import { validateConnectionName } from '../connections/name.js';
import { requestTimeouts } from '../connections/requestTimeouts.js';
import type { SyncSettings } from '../store/sync.js';
import { isStreamName, STREAM_NAMES, type StreamName } from '../streams/index.js';
import type { SyncEvent, SyncSummary } from './events.js';
import { runSync } from './runner.js';
import { syncProblem } from './syncProblem.js';

/** Settings a sync request may change; they are saved with the connection. */
export interface SettingsChange {
  /** Sensor names for the sensors stream; an empty list clears it. */
  sensors?: string[] | undefined;
  /** Incremental safety margin before the watermark. */
  marginMs?: number | undefined;
  /** A full pass after this many incremental ones. */
  reconcileEvery?: number | undefined;
  /** Saved request timeouts of the connection. */
  headersTimeoutMs?: number | undefined;
  bodyTimeoutMs?: number | undefined;
}

export interface SyncRequest {
  /** Default: every stream. */
  streams?: readonly string[] | undefined;
  full?: boolean | undefined;
  settings?: SettingsChange | undefined;
  /** Both request timeouts, for this run only. */
  timeoutMs?: number | undefined;
  /** When another process syncs the connection, wait this long for it (default: do not wait). */
  waitMs?: number | undefined;
  onEvent?: ((event: SyncEvent) => void) | undefined;
  /** Stops the run at the next page boundary; what was committed stays and the next run resumes. */
  signal?: AbortSignal | undefined;
  /** Parallel cursors: a new full pass read as this many disjoint collections; `auto`: chosen (default: one). */
  parallel?: number | 'auto' | undefined;
}

export function parseStreamList(names: readonly string[] | undefined): StreamName[] {
  if (names === undefined) return [...STREAM_NAMES];
  const unknown = names.filter((name) => !isStreamName(name));
  if (names.length === 0 || unknown.length > 0)
    throw new Problem({
      code: 'unknown_stream',
      kind: 'invalid',
      message: `Unknown stream "${String(unknown[0] ?? '').slice(0, 40)}"`,
      fix: `use one of ${STREAM_NAMES.join(', ')}.`,
    });
  return [...new Set(names)] as StreamName[];
}

/** Control characters (a NUL, a tab, a line break) and lone surrogates: no sensor name holds them. */
const NOT_IN_A_NAME = /[\p{Cc}\p{Cs}]/u;

/**
 * Sensor names as given, trimmed, without blanks and repeats; a name no sensor can have is refused
 * before anything is saved (it would fail every later sync, and PostgreSQL's jsonb cannot hold a NUL).
 */
function sensorNames(names: readonly string[]): string[] {
  const trimmed = [...new Set(names.map((s) => s.trim()).filter(Boolean))];
  const bad = trimmed.find((name) => NOT_IN_A_NAME.test(name));
  if (bad !== undefined)
    throw new Problem({
      code: 'invalid_sensor_name',
      kind: 'invalid',
      message: `Invalid sensor name ${JSON.stringify(bad.slice(0, 60))}`,
      fix: "use each sensor's name as Tanium shows it, without control characters.",
    });
  return trimmed;
}

/** Applies and stores changed sync settings, then returns them. */
export async function updateSyncSettings(
  ctx: ConnectionContext,
  name: string,
  change: SettingsChange = {},
): Promise<SyncSettings> {
  const settings = await ctx.store.sync.settings(name);
  const { reconcileEvery } = change;
  if (
    reconcileEvery !== undefined &&
    (!Number.isInteger(reconcileEvery) || reconcileEvery < 1 || reconcileEvery > 10_000)
  )
    throw new Problem({
      code: 'invalid_reconcile_every',
      kind: 'invalid',
      message: `Invalid reconcile interval "${reconcileEvery}"`,
      fix: 'use a whole number of incremental passes from 1 to 10000.',
    });
  const sensors = change.sensors === undefined ? undefined : sensorNames(change.sensors);
  const changed: Partial<SyncSettings> = {
    ...(sensors === undefined ? {} : { sensors }),
    ...(change.marginMs === undefined ? {} : { marginMs: change.marginMs }),
    ...(reconcileEvery === undefined ? {} : { reconcileEvery }),
    ...(change.headersTimeoutMs === undefined ? {} : { headersTimeoutMs: change.headersTimeoutMs }),
    ...(change.bodyTimeoutMs === undefined ? {} : { bodyTimeoutMs: change.bodyTimeoutMs }),
  };
  if (Object.keys(changed).length === 0) return settings;
  const updated = { ...settings, ...changed };
  await ctx.store.sync.saveSettings(name, updated, (ctx.now?.() ?? new Date()).toISOString());
  return updated;
}

/**
 * One sync of a stored connection: saves changed settings, then runs the pass (resume, full or
 * incremental) under the connection's sync lease with the rotation-safe client. Failures are problems
 * (`sync_running`, `sync_failed`, …); pages already stored are kept and the next run resumes from them.
 */
export async function syncConnection(
  ctx: ConnectionContext,
  name: string,
  request: SyncRequest = {},
): Promise<SyncSummary> {
  validateConnectionName(name);
  const streams = parseStreamList(request.streams);
  if (!(await ctx.store.connections.get(name))) throw noSuchConnection(name);
  const settings = await updateSyncSettings(ctx, name, request.settings);
  await readToken(ctx, name); // fails early, with the fix, when the token cannot be read
  const { client } = await clientForConnection(ctx, name, {
    timeouts: requestTimeouts(settings, request.timeoutMs),
  });
  try {
    return await runSync({
      store: ctx.store,
      client,
      connection: name,
      streams,
      full: request.full === true,
      settings,
      waitMs: request.waitMs ?? 0,
      ...(request.onEvent ? { onEvent: request.onEvent } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.parallel === undefined ? {} : { parallel: request.parallel }),
    });
  } catch (error) {
    throw syncProblem(name, error);
  } finally {
    await client.close();
  }
}
