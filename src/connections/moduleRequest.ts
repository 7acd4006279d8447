import { createHash } from 'node:crypto';
import { Problem } from '../common/problem.js';
import { redactTokens } from '../common/redact.js';
import {
  type HttpMethod,
  isModuleKey,
  isTaniumError,
  MODULE_KEYS,
  type ModuleKey,
  REDACTED,
  redactSecrets,
} from '../sdk/index.js';
import { clientForConnection } from './client.js';
import { type ConnectionContext, readToken } from './connections.js';
import { validateConnectionName } from './name.js';
import { requestTimeouts } from './requestTimeouts.js';

export const REQUEST_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type RequestMethod = (typeof REQUEST_METHODS)[number];

export interface ModuleRequest {
  module: string;
  method: string;
  /** Relative to the module's base, e.g. `/v1/assets?limit=1`; checked before anything is sent. */
  path: string;
  query?: Record<string, string | number | boolean> | undefined;
  body?: unknown;
  /** Who asks, for the audit log: `cli`, `apikey:<name>`, `admin`. */
  actor: string;
  /** Header and body timeout of this call; default: the connection's saved ones. */
  timeoutMs?: number | undefined;
}

export interface ModuleAnswer {
  status: number;
  /** Tanium's JSON answer, with the connection's own token replaced by a marker if it was quoted. */
  data: unknown;
  durationMs: number;
  auditId: number;
}

function parseModule(text: string): ModuleKey {
  if (!isModuleKey(text))
    throw new Problem({
      code: 'unknown_module',
      kind: 'invalid',
      message: `Unknown module "${text.slice(0, 40)}"`,
      fix: `use one of ${MODULE_KEYS.join(', ')}.`,
    });
  return text;
}

export function parseMethod(text: string): RequestMethod {
  const found = REQUEST_METHODS.find((m) => m === text.toUpperCase());
  if (found === undefined)
    throw new Problem({
      code: 'invalid_method',
      kind: 'invalid',
      message: `Invalid method "${text.slice(0, 20)}"`,
      fix: `use one of ${REQUEST_METHODS.join(', ')}.`,
    });
  return found satisfies HttpMethod;
}

/** The connection's own token never leaves in an answer; other token strings are what was asked for. */
function withoutToken(data: unknown, token: string): unknown {
  if (token.length < 4) return data;
  const text = JSON.stringify(data ?? null);
  return text.includes(token) ? JSON.parse(text.split(token).join(REDACTED)) : data;
}

const bodyFacts = (body: unknown) => {
  if (body === undefined) return { requestBytes: 0, requestSha256: null };
  const text = JSON.stringify(body);
  return {
    requestBytes: Buffer.byteLength(text),
    requestSha256: createHash('sha256').update(text).digest('hex'),
  };
};

/**
 * One call to a module's API (the "Tanium <module> API request" actions), through the same allow-list
 * and path guard as every SDK call, written to the audit log whatever happens: when, who, connection,
 * module, method, path, status, duration, and the body only as size and hash. A Tanium error is
 * rethrown (typed) after it is logged.
 */
export async function sendModuleRequest(
  ctx: ConnectionContext,
  name: string,
  request: ModuleRequest,
): Promise<ModuleAnswer> {
  validateConnectionName(name);
  const module = parseModule(request.module);
  const method = parseMethod(request.method);
  if (request.body !== undefined && method === 'GET')
    throw new Problem({
      code: 'body_with_get',
      kind: 'invalid',
      message: 'A body cannot be sent with GET.',
      fix: 'Use POST, PUT, PATCH or DELETE, or send no body.',
    });
  const token = await readToken(ctx, name);
  const settings = await ctx.store.sync.settings(name);
  const { client } = await clientForConnection(ctx, name, {
    timeouts: requestTimeouts(settings, request.timeoutMs),
  });
  const started = performance.now();
  const at = (ctx.now?.() ?? new Date()).toISOString();
  const audit = async (status: number | null, responseBytes: number | null, error: string | null) =>
    ctx.store.requestAudit.append({
      at,
      actor: request.actor,
      connection: name,
      module,
      method,
      path: redactSecrets(request.path, [token]),
      status,
      durationMs: Math.round(performance.now() - started),
      ...bodyFacts(request.body),
      responseBytes,
      outcome: error === null ? 'ok' : 'error',
      error,
    });
  try {
    const answer = await client.module(module).send(method, request.path, {
      ...(request.body === undefined ? {} : { data: request.body }),
      ...(request.query === undefined ? {} : { query: request.query }),
    });
    const data = withoutToken(answer.body, token);
    const auditId = await audit(answer.status, Buffer.byteLength(JSON.stringify(data ?? null)), null);
    return { status: answer.status, data, durationMs: Math.round(performance.now() - started), auditId };
  } catch (error) {
    const line = redactTokens(redactSecrets(error instanceof Error ? error.message : String(error), [token]));
    await audit(isTaniumError(error) ? (error.status ?? null) : null, null, line.slice(0, 500));
    throw error;
  } finally {
    await client.close();
  }
}
