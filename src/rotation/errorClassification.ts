/**
 * How rotation reads a failed call to Tanium: one redacted line for people, and which kind of answer
 * it was, so the state machine knows whether anything may have happened on the server. Only definite
 * answers count as "nothing happened"; anything that may have reached the server without a usable
 * answer is unknown and is investigated, never retried blindly.
 */
import { redactTokens } from '../common/redact.js';
import {
  AuthenticationError,
  ClientConfigError,
  ConnectionError,
  GraphQLError,
  InvalidRequestError,
  InvalidRequestPathError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  redactSecrets,
  TaniumError,
  TimeoutError,
} from '../sdk/index.js';
import type { ProbeResult, RevokeResult, RotateResult } from './driver.js';

/** A one-line, redacted description of a failure (never the token, even when not token-shaped). */
export function describeError(error: unknown, secrets: readonly (string | undefined)[] = []): string {
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
  let text: string;
  if (error instanceof ConnectionError || error instanceof TimeoutError)
    text = `${error.message} (${error.code})`;
  else if (error instanceof Error) text = error.message;
  else text = String(error);
  return redactTokens(redactSecrets(text, known)).replace(/\s+/g, ' ').slice(0, 500);
}

/** Tanium refused the token: 401 on REST (AuthenticationError) or the Gateway (errors[] with HTTP 401). */
export function isRefusal(error: unknown): boolean {
  return error instanceof AuthenticationError || (error instanceof TaniumError && error.status === 401);
}

/** A Gateway payload `error` of `operation` (Tanium's own answer), not one that timed out. */
function isDefinitePayloadError(error: GraphQLError, operation: string): boolean {
  return (
    error.status === undefined &&
    error.messages.every((m) => m.startsWith(`${operation}: `) && !m.endsWith('(timed out)'))
  );
}

/** Words with which Tanium (and the emulator) say that the persona lacks a permission. */
const PERMISSION_WORDS = /permission|privilege|not authori[sz]ed|forbidden/i;

type Failure = Exclude<RotateResult['kind'], 'answered'>;

/** What did not reach Tanium, or may have: the part of the classification every mutation shares. */
function transportKind(error: unknown): Failure | undefined {
  if (isRefusal(error)) return 'refused';
  if (error instanceof ConnectionError || error instanceof TimeoutError)
    return error.mayHaveReachedServer ? 'no_answer' : 'not_sent';
  if (error instanceof ClientConfigError || error instanceof InvalidRequestPathError) return 'not_sent';
  return undefined;
}

const definiteRest = (error: unknown): boolean =>
  error instanceof InvalidRequestError ||
  error instanceof PermissionError ||
  error instanceof NotFoundError ||
  error instanceof RateLimitError;

/** How the exchange (or the grant, with `operation: 'apiTokenGrant'`) ended. */
export function classifyRotateError(error: unknown, operation = 'apiTokenRotate'): Failure {
  const transport = transportKind(error);
  if (transport !== undefined) return transport;
  if (error instanceof GraphQLError)
    return isDefinitePayloadError(error, operation) ? 'rejected' : 'no_answer';
  return definiteRest(error) ? 'rejected' : 'no_answer';
}

/**
 * How a grant ended: as the exchange, except that a definite permission refusal (REST 403, or a
 * Gateway payload error that names a permission) is `forbidden`: the persona may not create tokens.
 */
export function classifyGrantError(error: unknown): Failure {
  const kind = classifyRotateError(error, 'apiTokenGrant');
  if (kind !== 'rejected') return kind;
  if (error instanceof PermissionError) return 'forbidden';
  if (error instanceof GraphQLError && error.messages.some((m) => PERMISSION_WORDS.test(m)))
    return 'forbidden';
  return 'rejected';
}

/** How revoking the old token ended: 404 (or a Gateway "not found") means it is already gone. */
export function classifyRevokeError(error: unknown): Exclude<RevokeResult['kind'], 'revoked'> {
  if (error instanceof NotFoundError) return 'gone';
  const kind = transportKind(error);
  if (kind === 'refused') return 'refused';
  if (kind !== undefined) return 'unreachable';
  if (error instanceof GraphQLError) {
    if (!isDefinitePayloadError(error, 'apiTokenRevoke')) return 'unreachable';
    return error.messages.some((m) => /not ?found|no (active )?api token/i.test(m)) ? 'gone' : 'rejected';
  }
  return definiteRest(error) ? 'rejected' : 'unreachable';
}

/** A probe: 401 means the token is refused; any other answer from Tanium (even 403) means it works. */
export function classifyProbeError(error: unknown): ProbeResult['kind'] {
  if (isRefusal(error)) return 'refused';
  if (
    error instanceof TaniumError &&
    error.status !== undefined &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 408 &&
    error.status !== 429
  )
    return 'ok';
  return 'unreachable';
}
