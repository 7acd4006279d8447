/**
 * Grant-then-revoke's calls to Tanium (Tanium's console documentation: "request new tokens and revoke
 * the current ones"). The new token is requested WITH the current token, so Tanium binds it to the same
 * user and persona (a token is "bound to the user and persona that sent the request"); the notes,
 * trusted addresses and lifetime are copied from the current token as `myAPITokens` lists it, with the
 * attempt's marker in the notes (notesMarker.ts). REST: POST and DELETE /api/v2/api_tokens; Gateway
 * (`grant-graphql`): apiTokenGrant and apiTokenRevoke.
 */
import type { TaniumClient } from '../sdk/index.js';
import type { ConnectionRecord } from '../store/connections.js';
import type { RotationMethod } from '../store/rotation.js';
import { rotationClient } from './client.js';
import type { OrphanResult, RevokeResult, RotateResult } from './driver.js';
import { classifyGrantError, classifyRevokeError, describeError, isRefusal } from './errorClassification.js';
import { issuedResult } from './exchange.js';
import { learnToken } from './learnToken.js';
import { hasMarker, markedNotes } from './notesMarker.js';

const overGateway = (method: RotationMethod) => method === 'grant-graphql';

async function withClient<T>(
  connection: ConnectionRecord,
  token: string,
  fn: (client: TaniumClient) => Promise<T>,
): Promise<T> {
  const client = rotationClient(connection, token);
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** Creates the new token. `knownId` is the stored id of the current token, if known. */
export async function grant(
  connection: ConnectionRecord,
  token: string | undefined,
  method: RotationMethod,
  attempt: { attemptId: string; knownId: string | null },
  now: () => Date,
): Promise<RotateResult> {
  if (token === undefined) return { kind: 'not_sent', error: 'no token stored' };
  return withClient(connection, token, async (client) => {
    let learned: Awaited<ReturnType<typeof learnToken>>;
    try {
      learned = await learnToken(client, attempt.knownId, now);
    } catch (error) {
      // Nothing was created yet: a failed look-up is "not sent", a refused token is refused.
      return {
        kind: isRefusal(error) ? 'refused' : 'not_sent',
        error: `learning the current token: ${describeError(error, [token])}`,
      };
    }
    const current = learned.token;
    if (current === null)
      return {
        kind: 'not_sent',
        error: 'Tanium lists no token of this user, so its settings cannot be copied',
      };
    const spec = {
      notes: markedNotes(current.notes, attempt.attemptId),
      expireInDays: current.lifetimeDays,
      trustedIpAddresses: current.trustedIpAddresses,
    };
    const old = { id: learned.certain ? current.id : null, expiration: current.expiration };
    try {
      const issued = overGateway(method)
        ? await client.tokens.grantGraphql(spec).then((t) => ({
            id: String(t.id),
            secret: t.tokenString ?? undefined,
            created: t.created,
            expiration: t.expiration,
          }))
        : await client.tokens.grantRest(spec).then((t) => ({
            id: String(t.id),
            secret: t.token_string,
            created: t.created_time ?? null,
            expiration: t.expiration ?? null,
          }));
      const result = issuedResult(issued, now().getTime());
      return result.kind === 'answered' ? { ...result, old } : result;
    } catch (error) {
      return { kind: classifyGrantError(error), error: describeError(error, [token]) };
    }
  });
}

async function revokeWith(client: TaniumClient, method: RotationMethod, id: string): Promise<void> {
  if (overGateway(method)) await client.tokens.revokeGraphql(id);
  else await client.tokens.revokeRest(id);
}

/** Revokes the old token by id, with the new (active) token. */
export async function revokeOld(
  connection: ConnectionRecord,
  token: string | undefined,
  method: RotationMethod,
  tokenId: string,
): Promise<RevokeResult> {
  if (token === undefined) return { kind: 'refused', error: 'no token stored' };
  return withClient(connection, token, async (client) => {
    try {
      await revokeWith(client, method, tokenId);
      return { kind: 'revoked' };
    } catch (error) {
      const kind = classifyRevokeError(error);
      return kind === 'gone' ? { kind } : { kind, error: describeError(error, [token]) };
    }
  });
}

/**
 * With the active (old) token: lists the caller's tokens, and revokes each one marked with this
 * attempt (a token whose creation answer was lost, or a new token that failed verification).
 */
export async function findOrphans(
  connection: ConnectionRecord,
  token: string | undefined,
  method: RotationMethod,
  attemptId: string,
): Promise<OrphanResult> {
  if (token === undefined) return { kind: 'refused', error: 'no token stored' };
  return withClient(connection, token, async (client) => {
    let marked: string[];
    try {
      marked = (await client.tokens.mine())
        .filter((t) => hasMarker(t.notes ?? '', attemptId))
        .map((t) => String(t.id));
    } catch (error) {
      return { kind: isRefusal(error) ? 'refused' : 'unreachable', error: describeError(error, [token]) };
    }
    for (const id of marked) {
      try {
        await revokeWith(client, method, id);
      } catch (error) {
        const kind = classifyRevokeError(error);
        if (kind === 'refused') return { kind, error: describeError(error, [token]) };
        // Not revoked (unreachable, or refused for another reason): keep looking next run.
        if (kind !== 'gone')
          return {
            kind: 'unreachable',
            error: `revoking the orphan token id ${id}: ${describeError(error, [token])}`,
          };
      }
    }
    return { kind: 'ok', revoked: marked };
  });
}
