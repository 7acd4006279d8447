/**
 * The one place a response or a low-level failure becomes a typed error. Everything taken from the
 * wire (Tanium's text, paths, undici messages) is redacted here, with the request's known secrets,
 * before any error object exists.
 */
import {
  AuthenticationError,
  ConnectionError,
  GraphQLError,
  InvalidRequestError,
  type ModuleRef,
  NotFoundError,
  PermissionError,
  RateLimitError,
  SanitizedCause,
  ServerError,
  TaniumError,
  TimeoutError,
  UnexpectedResponseError,
} from './errors.js';
import { redactSecrets } from './redact.js';
import { parseRetryAfter } from './retryPolicy.js';

export interface RequestContext {
  method: string;
  url: URL;
  /** The token in use and any secret in the body (rotation): redacted wherever they appear. */
  secrets: readonly string[];
  module?: ModuleRef | undefined;
  graphql?: boolean | undefined;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function header(res: RawResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Tanium's message from an error body: `text`, then `message`, `error`, `errors[0].detail|message`. */
function taniumText(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const o = body as Record<string, unknown>;
  for (const key of ['text', 'message', 'error']) if (typeof o[key] === 'string') return o[key] as string;
  const first = Array.isArray(o['errors'])
    ? (o['errors'][0] as Record<string, unknown> | undefined)
    : undefined;
  if (first && typeof first['detail'] === 'string') return first['detail'];
  if (first && typeof first['message'] === 'string') return first['message'];
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isHtml(res: RawResponse): boolean {
  const type = header(res, 'content-type') ?? '';
  if (/text\/html|application\/xhtml/i.test(type)) return true;
  return /^\s*<(!doctype html|html)/i.test(res.body.slice(0, 200));
}

/** GraphQL `errors[]` messages, when the body carries them. */
export function graphqlMessages(body: unknown): string[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  return errors.map((e) =>
    typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string'
      ? (e as { message: string }).message
      : 'unknown GraphQL error',
  );
}

/**
 * Gateway `errors[]` worth asking again. Tanium marks a transient failure in its own SystemError
 * (`retryable`, `timedOut`; carried here when an error's `extensions` has them) or words it as an
 * execution failure ("Internal server error") or a timeout. Every error of the answer must be so: a
 * schema or permission error among them answers the same again.
 */
export function isTransientGatewayError(body: unknown): boolean {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return false;
  return errors.every((e) => {
    const error = (e ?? {}) as {
      message?: unknown;
      extensions?: { retryable?: unknown; timedOut?: unknown };
    };
    if (error.extensions?.retryable === true || error.extensions?.timedOut === true) return true;
    const text = typeof error.message === 'string' ? error.message : '';
    return /internal server error|timed out|timeout|temporarily unavailable|try again later/i.test(text);
  });
}

/** The typed error of a Gateway answer with `errors[]` (HTTP 200 or not), or undefined when it has none. */
export function gatewayError(
  body: unknown,
  details: { status: number; method: string; path: string; text?: string | undefined },
  secrets: readonly string[] = [],
): GraphQLError | undefined {
  const messages = graphqlMessages(body)?.map((m) => redactSecrets(m, secrets));
  if (messages === undefined) return undefined;
  return new GraphQLError(messages, { ...details, retryable: isTransientGatewayError(body) });
}

/** Map a response to an error, or undefined when it is a usable 2xx answer. */
export function errorFromResponse(res: RawResponse, ctx: RequestContext): TaniumError | undefined {
  const { status } = res;
  const where = `${ctx.method} ${redactSecrets(ctx.url.pathname, ctx.secrets)}`;
  // A usable answer is parsed once, by the caller: parsing a large page here too doubled the cost.
  if (status >= 200 && status < 300 && !isHtml(res)) return undefined;
  const base = { status, method: ctx.method, path: redactSecrets(ctx.url.pathname, ctx.secrets) };
  const parsed = parseJson(res.body);
  const rawText = taniumText(parsed);
  const text = rawText === undefined ? undefined : redactSecrets(rawText, ctx.secrets);
  const said = text === undefined ? '' : ` Tanium said: ${text}`;

  if (status >= 300 && status < 400) {
    let host = 'an unknown location';
    const location = header(res, 'location');
    if (location !== undefined) {
      try {
        host = new URL(location, ctx.url).host;
      } catch {
        // keep the placeholder: a malformed Location is still a redirect
      }
    }
    return new UnexpectedResponseError(
      `Unexpected redirect to ${host}: usually the console host instead of the -api host (HTTP ${status} for ${where}, not followed). Check the connection's domain.`,
      { ...base, kind: 'redirect', location: host },
    );
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(header(res, 'retry-after'));
    const wait = retryAfterMs === undefined ? '' : ` Retry after ${Math.ceil(retryAfterMs / 1000)} s.`;
    return new RateLimitError(`Rate limited by Tanium (HTTP 429) for ${where}.${wait}${said}`, {
      ...base,
      text,
      retryable: true,
      retryAfterMs,
    });
  }
  if (status === 408) {
    return new TimeoutError(`Tanium timed out waiting for the request (HTTP 408) for ${where}.${said}`, {
      ...base,
      text,
      retryable: true,
      code: 'HTTP_408',
      mayHaveReachedServer: true,
    });
  }
  if (status >= 500) {
    return new ServerError(`Tanium server error (HTTP ${status}) for ${where}.${said}`, {
      ...base,
      text,
      retryable: true,
    });
  }
  if (isHtml(res)) {
    return new UnexpectedResponseError(
      `HTML page instead of JSON: wrong host or a login page (HTTP ${status} for ${where}). Use the <customer>-api host, not the console.`,
      { ...base, kind: 'html' },
    );
  }
  if (ctx.graphql) {
    const error = gatewayError(parsed, { ...base, text }, ctx.secrets);
    if (error !== undefined) return error;
  }
  if (status === 401) {
    return new AuthenticationError(
      `Tanium refused the token (HTTP 401) for ${where}: it may be expired or revoked, lack the "token-" prefix, or this machine's IP address is not in the token's trusted list.${said}`,
      { ...base, text },
    );
  }
  if (status === 403) {
    const mod = ctx.module;
    const needs =
      mod === undefined
        ? "the token's persona lacks permission for this call"
        : `the token's persona may not use ${mod.name}${mod.permission === undefined ? '' : `; it needs the "${mod.permission}" permission`}`;
    return new PermissionError(`Permission denied (HTTP 403) for ${where}: ${needs}.${said}`, {
      ...base,
      text,
      module: mod,
    });
  }
  if (status === 404) {
    const hint = ctx.module === undefined ? '' : ` (is ${ctx.module.name} installed on this tenant?)`;
    return new NotFoundError(`Not found (HTTP 404) for ${where}${hint}.${said}`, { ...base, text });
  }
  return new InvalidRequestError(`Tanium rejected ${where} (HTTP ${status}).${said}`, { ...base, text });
}

/** Codes that mean the request never left this machine: nothing ran on the server. */
const NOT_SENT = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'BLOCKED_ADDRESS',
]);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|EPROTO$)/;

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // autoSelectFamily reports an AggregateError of per-address failures.
  const inner = (error as { errors?: unknown }).errors;
  return Array.isArray(inner) ? codeOf(inner[0]) : undefined;
}

function describe(code: string, host: string): string {
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `DNS lookup for ${host} failed (${code}): check the domain name`;
  if (code === 'ECONNREFUSED') return `${host} refused the connection`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE')
    return `the connection to ${host} was reset`;
  if (code === 'BLOCKED_ADDRESS') return `blocked by the outbound allow-list`;
  if (TLS_CODE.test(code))
    return `TLS failure talking to ${host} (${code}): check the certificate, CA bundle and host name`;
  return `network failure talking to ${host} (${code})`;
}

/** Map a thrown failure (undici, DNS, TLS, our lookup guard) to a typed error. */
export function errorFromFailure(error: unknown, ctx: RequestContext): TaniumError {
  if (error instanceof TaniumError) return error;
  const code = codeOf(error) ?? 'UNKNOWN';
  const name = error instanceof Error ? error.name : 'Error';
  const rawMessage = error instanceof Error ? error.message : String(error);
  const cause = new SanitizedCause(name, code, redactSecrets(rawMessage, ctx.secrets));
  const path = redactSecrets(ctx.url.pathname, ctx.secrets);
  const where = `${ctx.method} ${path}`;
  const base = { method: ctx.method, path, cause };
  if (
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT'
  ) {
    const phase =
      code === 'UND_ERR_CONNECT_TIMEOUT'
        ? 'connecting'
        : code === 'UND_ERR_HEADERS_TIMEOUT'
          ? 'waiting for the response'
          : 'reading the response body';
    return new TimeoutError(`Timed out ${phase} for ${where} on ${ctx.url.host}.`, {
      ...base,
      code,
      retryable: true,
      mayHaveReachedServer: code !== 'UND_ERR_CONNECT_TIMEOUT',
    });
  }
  const detail = code === 'BLOCKED_ADDRESS' ? cause.message : describe(code, ctx.url.host);
  const prefix = code === 'BLOCKED_ADDRESS' ? `Blocked ${where}: ` : `Could not complete ${where}: `;
  return new ConnectionError(`${prefix}${detail}.`, {
    ...base,
    code,
    retryable: !code.startsWith('BLOCKED_') && !TLS_CODE.test(code),
    mayHaveReachedServer: !NOT_SENT.has(code) && !TLS_CODE.test(code),
  });
}
