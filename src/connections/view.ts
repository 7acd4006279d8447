import { type RotationSummary, rotationSummary } from '../rotation/health.js';
import type { ConnectionRecord } from '../store/connections.js';
import { type ConnectionContext, maskedToken } from './connections.js';

/**
 * The public shape of a connection in `status --json` and the HTTP API. Stable: fields are added,
 * never renamed. It never holds the token, only its mask. `rotation` says what rotation knows (ids
 * and server-clock expiry, docs/rotation.md).
 */
export interface ConnectionView {
  name: string;
  kind: 'cloud' | 'server';
  /** The API domain for `cloud`, else null. */
  domain: string | null;
  /** The server URL origin for `server`, else null. */
  url: string | null;
  token: { masked: string | null; error: string | null };
  rotation: RotationSummary;
  /** The newest sync run, or null before the first. */
  lastSync: LastSync | null;
  createdAt: string;
  updatedAt: string;
}

export interface LastSync {
  runId: number;
  mode: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

async function lastSync(ctx: ConnectionContext, name: string): Promise<LastSync | null> {
  const [run] = await ctx.store.sync.runs(name, 1);
  if (!run) return null;
  return {
    runId: run.id,
    mode: run.mode,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    error: run.error,
  };
}

export async function viewConnection(
  ctx: ConnectionContext,
  record: ConnectionRecord,
): Promise<ConnectionView> {
  return {
    name: record.name,
    kind: record.kind,
    domain: record.kind === 'cloud' ? record.address : null,
    url: record.kind === 'server' ? record.address : null,
    token: await maskedToken(ctx, record.name),
    rotation: await rotationSummary(ctx.store, record.name, ctx.now?.() ?? new Date()),
    lastSync: await lastSync(ctx, record.name),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
