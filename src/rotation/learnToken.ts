/**
 * Learning the server's clock and the connection's token from Tanium: `query { now }` and
 * `myAPITokens` (which of the caller's tokens is this connection's, see pickToken), with the token's
 * expiry and the settings grant-then-revoke copies (notes, trusted addresses, lifetime).
 */
import type { ConnectionContext } from '../connections/connections.js';
import type { TaniumClient } from '../sdk/index.js';
import { initialRotationRecord, type RotationRecord } from '../store/rotation.js';
import { DAY_MS, pickToken } from './schedule.js';

/** The tenant's clock: Gateway `now`, Tanium's connectivity test. */
export const SERVER_NOW_QUERY = 'query ServerNow { now }';

export interface LearnedTokenInfo {
  id: string;
  created: string;
  expiration: string;
  notes: string;
  trustedIpAddresses: string[];
  /** Whole days from created (or last rotated) to expiry, at least 1. */
  lifetimeDays: number;
}

export interface LearnedToken {
  serverNowMs: number;
  clockOffsetMs: number;
  token: LearnedTokenInfo | null;
  /** False when several tokens could be this connection's and the earliest expiry was taken. */
  certain: boolean;
}

function lifetimeDays(created: string, expiration: string): number {
  const days = Math.round((Date.parse(expiration) - Date.parse(created)) / DAY_MS);
  return Number.isFinite(days) && days >= 1 ? days : 1;
}

export async function learnToken(
  client: TaniumClient,
  knownId: string | null,
  now: () => Date,
): Promise<LearnedToken> {
  const before = now().getTime();
  const data = await client.graphql<{ now: string }>(SERVER_NOW_QUERY);
  const after = now().getTime();
  const serverNowMs = Date.parse(data.now);
  if (!Number.isFinite(serverNowMs)) throw new Error('Tanium answered `now` with an unreadable time');
  const clockOffsetMs = serverNowMs - Math.round((before + after) / 2);
  const mine = await client.tokens.mine();
  const picked = pickToken(
    mine.map((t) => ({
      id: String(t.id),
      created: t.created,
      expiration: t.expiration,
      lastUsed: t.lastUsed ?? null,
    })),
    knownId,
    serverNowMs,
  );
  const full = picked && mine.find((t) => String(t.id) === picked.token.id);
  return {
    serverNowMs,
    clockOffsetMs,
    token:
      picked && full
        ? {
            id: picked.token.id,
            created: picked.token.created,
            expiration: picked.token.expiration,
            notes: full.notes ?? '',
            trustedIpAddresses: [...(full.trustedIPAddresses ?? [])],
            lifetimeDays: lifetimeDays(picked.token.created, picked.token.expiration),
          }
        : null,
    certain: picked?.certain ?? false,
  };
}

/** Records what was learned about the active token (only while no attempt is in progress). */
export async function saveLearned(
  ctx: ConnectionContext,
  name: string,
  learned: LearnedToken,
  at: string,
): Promise<RotationRecord> {
  return ctx.store.transaction(async (tx) => {
    const record = (await tx.rotation.get(name)) ?? initialRotationRecord(at);
    if (record.phase !== 'idle') return record;
    const updated: RotationRecord = {
      ...record,
      clockOffsetMs: learned.clockOffsetMs,
      ...(learned.token
        ? {
            tokenId: learned.certain ? learned.token.id : record.tokenId,
            tokenCreated: learned.token.created,
            tokenExpiration: learned.token.expiration,
          }
        : {}),
      updatedAt: at,
    };
    await tx.rotation.put(name, updated);
    return updated;
  });
}
