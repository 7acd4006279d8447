import { Problem } from '../common/problem.js';
import type { ConnectionRecord } from '../store/connections.js';
import { type ConnectionContext, noSuchConnection, removeConnection, saveConnection } from './connections.js';
import { validateCloudDomain } from './domain.js';
import { validateConnectionName } from './name.js';
import { requiredError } from './required.js';
import { validateServerUrl } from './serverUrl.js';
import type { Target } from './target.js';
import { type ConnectionView, viewConnection } from './view.js';

/** A connection as an interface submits it: the connect form's fields. */
export interface ConnectionFields {
  /** Tanium Cloud API domain, `<customer>-api.cloud.tanium.com`. */
  domain?: string | undefined;
  /** On-prem server or emulator URL: the explicit, advanced choice. */
  server?: string | undefined;
  /** Blank or absent keeps the stored token (the form's Replace rule). */
  token?: string | undefined;
}

export interface SavedConnection {
  connection: ConnectionView;
  created: boolean;
  tokenReplaced: boolean;
}

function targetOf(fields: ConnectionFields): Target | undefined {
  if (fields.domain !== undefined && fields.server !== undefined)
    throw new Problem({
      code: 'target_conflict',
      kind: 'invalid',
      message: 'Both an API domain and a server URL were given.',
      fix: 'Give the API domain for Tanium Cloud, or the server URL for an on-prem server or the emulator, not both.',
    });
  if (fields.domain !== undefined) return { kind: 'cloud', address: validateCloudDomain(fields.domain) };
  if (fields.server !== undefined) return { kind: 'server', address: validateServerUrl(fields.server) };
  return undefined;
}

/**
 * Creates a connection: a name, a target and a token, all required. The token is not tested here
 * (the connect form saves without contacting Tanium); the check does that.
 */
export async function createConnection(
  ctx: ConnectionContext,
  name: string,
  fields: ConnectionFields,
): Promise<SavedConnection> {
  validateConnectionName(name);
  if (await ctx.store.connections.get(name))
    throw new Problem({
      code: 'connection_exists',
      kind: 'conflict',
      message: `A connection named "${name}" exists already.`,
      fix: 'Edit it instead, or choose another name.',
      details: { name },
    });
  const target = targetOf(fields);
  if (!target) throw requiredError();
  if ((fields.token ?? '').trim() === '') throw requiredError();
  const result = await saveConnection(ctx, { name, target, token: fields.token ?? '' });
  return { connection: await viewConnection(ctx, result.record), created: true, tokenReplaced: true };
}

/**
 * Edits a connection with the connect form's rules: an absent target keeps the address, an empty
 * domain is a validation error (not a change); a blank or absent token keeps the stored one; a new
 * token resets the rotation state in the same transaction.
 */
export async function updateConnection(
  ctx: ConnectionContext,
  name: string,
  fields: ConnectionFields,
): Promise<SavedConnection> {
  validateConnectionName(name);
  if (!(await ctx.store.connections.get(name))) throw noSuchConnection(name);
  const target = targetOf(fields);
  const result = await saveConnection(ctx, { name, target, token: fields.token ?? '' });
  return {
    connection: await viewConnection(ctx, result.record),
    created: false,
    tokenReplaced: result.tokenReplaced,
  };
}

export async function deleteConnection(ctx: ConnectionContext, name: string): Promise<void> {
  validateConnectionName(name);
  await removeConnection(ctx, name);
}

/** The connection's record, or the not-found problem: the cheap existence check of every route. */
export async function requireConnection(ctx: ConnectionContext, name: string): Promise<ConnectionRecord> {
  validateConnectionName(name);
  const record = await ctx.store.connections.get(name);
  if (!record) throw noSuchConnection(name);
  return record;
}

export async function getConnection(ctx: ConnectionContext, name: string): Promise<ConnectionView> {
  validateConnectionName(name);
  const record = await ctx.store.connections.get(name);
  if (!record) throw noSuchConnection(name);
  return viewConnection(ctx, record);
}

export async function listConnections(ctx: ConnectionContext): Promise<ConnectionView[]> {
  const records = await ctx.store.connections.list();
  return Promise.all(records.map((record) => viewConnection(ctx, record)));
}
