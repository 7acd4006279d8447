import { isProblem, Problem } from '../common/problem.js';
import { resetRotationInTx } from '../rotation/reset.js';
import type { ConnectionRecord } from '../store/connections.js';
import type { Store } from '../store/store.js';
import { maskToken } from './mask.js';
import { openVault } from './openVault.js';
import { requiredError } from './required.js';
import type { Target } from './target.js';
import { validateTokenShape } from './tokenShape.js';
import type { Vault } from './vault.js';

/** What the connection functions need: the store, and where the master key comes from. */
export interface ConnectionContext {
  store: Store;
  home: string;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

function vaultFor(ctx: ConnectionContext, create: boolean): Vault {
  return openVault(ctx, create);
}

function nowIso(ctx: ConnectionContext): string {
  return (ctx.now?.() ?? new Date()).toISOString();
}

function needsTarget(name: string): Problem {
  return new Problem({
    code: 'connection_target_required',
    kind: 'invalid',
    message: `Connection "${name}" is new: it needs an API domain (<customer>-api.cloud.tanium.com) or a server URL.`,
    fix: 'Give the Tanium Cloud API domain, or the URL of an on-prem server or the emulator.',
    details: { name },
  });
}

export function noSuchConnection(name: string): Problem {
  return new Problem({
    code: 'connection_not_found',
    kind: 'not_found',
    message: `No connection named "${name}".`,
    fix: 'Save the connection first, with its API domain (or server URL) and API token.',
    details: { name },
  });
}

function noStoredToken(name: string): Problem {
  return new Problem({
    code: 'token_missing',
    kind: 'invalid',
    message: `Connection "${name}" has no stored token.`,
    fix: 'Store an API token for it (Replace).',
    details: { name },
  });
}

/** Fails early, before a token is asked for, when a new connection has no address. */
export async function assertCanSave(ctx: ConnectionContext, name: string, target: Target | undefined) {
  const existing = await ctx.store.connections.get(name);
  if (!existing && !target) throw needsTarget(name);
  return existing;
}

export interface SaveResult {
  record: ConnectionRecord;
  created: boolean;
  tokenReplaced: boolean;
}

/**
 * Creates or edits a connection without contacting Tanium (the workflow integration guide: the token is not tested at save
 * time). Editing keeps the address when no target is given and keeps the stored token when `token`
 * is empty; a new connection needs both.
 */
export async function saveConnection(
  ctx: ConnectionContext,
  input: { name: string; target?: Target | undefined; token: string },
): Promise<SaveResult> {
  const hasToken = input.token.trim() !== '';
  // Seal before the transaction: loading (or creating) the master key touches the file system.
  const sealed = hasToken ? vaultFor(ctx, true).seal(input.name, validateTokenShape(input.token)) : undefined;
  const now = nowIso(ctx);
  return ctx.store.transaction(async (tx) => {
    const existing = await tx.connections.get(input.name);
    const target = input.target ?? existing;
    if (!target) throw needsTarget(input.name);
    if (!existing && !sealed) throw requiredError();
    const { record, created } = await tx.connections.upsert(
      { name: input.name, kind: target.kind, address: target.address },
      now,
    );
    if (sealed) {
      await tx.secrets.put(input.name, 'active', sealed, now);
      if (!created) await resetRotationInTx(tx, input.name, now);
    }
    return { record, created, tokenReplaced: sealed !== undefined };
  });
}

/**
 * `token replace`: an empty token keeps the stored one (the connect form's Replace rule) and returns
 * false; a new token and the rotation state that starts over from it are saved in one transaction.
 */
export async function replaceToken(ctx: ConnectionContext, name: string, token: string): Promise<boolean> {
  if (!(await ctx.store.connections.get(name))) throw noSuchConnection(name);
  if (token.trim() === '') return false;
  const sealed = vaultFor(ctx, true).seal(name, validateTokenShape(token));
  const now = nowIso(ctx);
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.connections.get(name))) throw noSuchConnection(name);
    await tx.secrets.put(name, 'active', sealed, now);
    await tx.connections.touch(name, now);
    await resetRotationInTx(tx, name, now);
  });
  return true;
}

export async function removeConnection(ctx: ConnectionContext, name: string): Promise<void> {
  if (!(await ctx.store.connections.remove(name))) throw noSuchConnection(name);
}

/** The decrypted token, for the client. Throws a UserError naming the fix when it cannot be read. */
export async function readToken(ctx: ConnectionContext, name: string): Promise<string> {
  const sealed = await ctx.store.secrets.get(name, 'active');
  if (!sealed) {
    if (!(await ctx.store.connections.get(name))) throw noSuchConnection(name);
    throw noStoredToken(name);
  }
  return vaultFor(ctx, false).open(name, sealed);
}

/** The masked token, or the reason it cannot be shown (wrong master key, missing key file). */
export async function maskedToken(
  ctx: ConnectionContext,
  name: string,
): Promise<{ masked: string | null; error: string | null }> {
  try {
    return { masked: maskToken(await readToken(ctx, name)), error: null };
  } catch (error) {
    if (isProblem(error)) return { masked: null, error: error.message };
    throw error;
  }
}
