/**
 * The exchange (`rest`: PATCH /api/v2/api_tokens, `graphql`: apiTokenRotate) and the probe: the calls
 * to Tanium whose answers the state machine reads. The old token dies when Tanium issues the new one.
 */
import type { ConnectionRecord } from '../store/connections.js';
import { rotationClient } from './client.js';
import type { ProbeResult, RotateResult } from './driver.js';
import { classifyProbeError, classifyRotateError, describeError } from './errorClassification.js';

/** A cheap call (`GET /api/v2/session/current`) with `token`. */
export async function probe(connection: ConnectionRecord, token: string | undefined): Promise<ProbeResult> {
  if (token === undefined) return { kind: 'refused', error: 'no token stored in this slot' };
  const client = rotationClient(connection, token);
  try {
    await client.session.current();
    return { kind: 'ok' };
  } catch (error) {
    const kind = classifyProbeError(error);
    return kind === 'ok' ? { kind } : { kind, error: describeError(error, [token]) };
  } finally {
    await client.close();
  }
}

/** The answer of a call that issued a token, as the machine wants it. */
export function issuedResult(
  issued: { id: string; secret: string | undefined; created: string | null; expiration: string | null },
  receivedMs: number,
): RotateResult {
  if (issued.secret === undefined || issued.secret === '')
    return { kind: 'no_answer', error: 'Tanium answered without a token string' };
  const clockOffsetMs = issued.created === null ? null : Date.parse(issued.created) - receivedMs;
  return {
    kind: 'answered',
    token: { id: issued.id, created: issued.created, expiration: issued.expiration },
    secret: issued.secret,
    clockOffsetMs: Number.isFinite(clockOffsetMs) ? clockOffsetMs : null,
  };
}

/** Exchanges `token` for a new one. Never retried. */
export async function exchange(
  connection: ConnectionRecord,
  token: string | undefined,
  method: 'rest' | 'graphql',
  now: () => Date,
): Promise<RotateResult> {
  if (token === undefined) return { kind: 'not_sent', error: 'no token stored' };
  const client = rotationClient(connection, token);
  try {
    const issued =
      method === 'rest'
        ? await client.tokens.rotateRest(token).then((t) => ({
            id: String(t.id),
            secret: t.token_string,
            created: t.created_time ?? null,
            expiration: t.expiration ?? null,
          }))
        : await client.tokens.rotateGraphql(token).then((t) => ({
            id: String(t.id),
            secret: t.tokenString ?? undefined,
            created: t.created,
            expiration: t.expiration,
          }));
    return issuedResult(issued, now().getTime());
  } catch (error) {
    return { kind: classifyRotateError(error), error: describeError(error, [token]) };
  } finally {
    await client.close();
  }
}
