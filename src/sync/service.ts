import { parseDuration } from '../common/duration.js';
import { Problem } from '../common/problem.js';
import { clientForConnection } from '../connections/client.js';
import { type ConnectionContext, noSuchConnection, readToken } from '../connections/connections.js';
import { validateConnectionName } from '../connections/name.js';
import type { SyncSettings } from '../store/sync.js';
import { isStreamName, STREAM_NAMES, type StreamName } from '../streams/index.js';
import type { SyncEvent, SyncSummary } from './events.js';
import { runSync } from './runner.js';

/** Settings a sync request may change; they are saved with the connection. */
export interface SettingsChange {
  /** Sensor names for the sensors stream; an empty list clears it. */
  sensors?: string[];
  /** Incremental safety margin, e.g. `10m`. */
  margin?: string;
  /** A full pass after this many incremental ones. */
  reconcileEvery?: number;
}

export interface SyncRequest {
  /** Default: every stream. */
  streams?: readonly string[] | undefined;
  full?: boolean | undefined;
  settings?: SettingsChange | undefined;
  onEvent?: ((event: SyncEvent) => void) | undefined;
  /** Stops the run at the next page boundary; what was committed stays and the next run resumes. */
  signal?: AbortSignal | undefined;
}

export function parseStreamList(names: readonly string[] | undefined): StreamName[] {
  if (names === undefined) return [...STREAM_NAMES];
  const unknown = names.filter((name) => !isStreamName(name));
  if (names.length === 0 || unknown.length > 0)
    throw new Problem({
      code: 'unknown_stream',
      kind: 'invalid',
      message: `Unknown stream "${String(unknown[0] ?? '').slice(0, 40)}".`,
      fix: `Choose from ${STREAM_NAMES.join(', ')}.`,
    });
  return [...new Set(names)] as StreamName[];
}

/** Applies and stores changed sync settings, then returns them. */
export async function updateSyncSettings(
  ctx: ConnectionContext,
  name: string,
  change: SettingsChange = {},
): Promise<SyncSettings> {
  const settings = await ctx.store.sync.settings(name);
  let changed = false;
  if (change.sensors !== undefined) {
    settings.sensors = [...new Set(change.sensors.map((s) => s.trim()).filter(Boolean))];
    changed = true;
  }
  if (change.margin !== undefined) {
    settings.marginMs = parseDuration(change.margin);
    changed = true;
  }
  if (change.reconcileEvery !== undefined) {
    const every = change.reconcileEvery;
    if (!Number.isInteger(every) || every < 1 || every > 10_000)
      throw new Problem({
        code: 'invalid_reconcile_every',
        kind: 'invalid',
        message: `Invalid reconcile interval ${every}.`,
        fix: 'Use a whole number of incremental passes from 1 to 10000.',
      });
    settings.reconcileEvery = every;
    changed = true;
  }
  if (changed) await ctx.store.sync.saveSettings(name, settings, (ctx.now?.() ?? new Date()).toISOString());
  return settings;
}

/**
 * One sync of a stored connection: saves changed settings, then runs the pass (resume, full or
 * incremental) with the rotation-safe client. Tanium failures are rethrown typed; pages already
 * stored are kept and the next run resumes from them.
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
  const { client } = await clientForConnection(ctx, name);
  try {
    return await runSync({
      store: ctx.store,
      client,
      connection: name,
      streams,
      full: request.full === true,
      settings,
      ...(request.onEvent ? { onEvent: request.onEvent } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } finally {
    await client.close();
  }
}
