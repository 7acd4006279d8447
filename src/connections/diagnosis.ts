/**
 * Why a health check failed, in words a user can act on. Maps an SDK error (or a token that cannot
 * be read) to `{code, message, fix}`. Tanium answers every refused token with the same 401, so where
 * several causes are possible the message names them all, and narrows them when the stored token's
 * shape tells us more (no `token-` prefix).
 */

import type { NextStep } from '../common/nextStep.js';
import { isProblem } from '../common/problem.js';
import { redactTokens } from '../common/redact.js';
import {
  AuthenticationError,
  ClientConfigError,
  ConnectionError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  redactSecrets,
  ServerError,
  TaniumError,
  TimeoutError,
  UnexpectedResponseError,
} from '../sdk/index.js';

/** Stable codes (scripts match on them through `check --json`); new ones may be added. */
export type DiagnosisCode =
  | 'dns'
  | 'blocked-address'
  | 'tls'
  | 'timeout'
  | 'refused'
  | 'network'
  | 'redirect'
  | 'html'
  | 'not-json'
  | 'unauthorized'
  | 'token-prefix'
  | 'forbidden'
  | 'not-found'
  | 'rate-limited'
  | 'server-error'
  | 'token-unreadable'
  | 'token-format'
  | 'unexpected';

export interface Diagnosis {
  code: DiagnosisCode;
  /** What happened, one sentence. */
  message: string;
  /** What to do about it, one or two sentences, for any interface. */
  fix: string;
  /** The step the fix names, when it is one (each interface spells it its own way). */
  next?: NextStep;
}

export interface DiagnosisContext {
  /** The connection's name (to spell the fix's commands). */
  name: string;
  kind: 'cloud' | 'server';
  /** The API domain (cloud) or the server URL origin. */
  address: string;
  /** The stored token, when it could be read: only its shape is used, it is never quoted. */
  token?: string | undefined;
}

/** Codes meaning the name did not resolve. */
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_NONAME', 'EAI_FAIL']);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|EPROTO$|ECONNRESET_TLS)/;

/** The `token-` prefix every Tanium API token starts with (Tanium's API token guidance). */
export const TOKEN_PREFIX = 'token-';

export function diagnose(error: unknown, ctx: DiagnosisContext): Diagnosis {
  const where = ctx.kind === 'cloud' ? ctx.address : new URL(ctx.address).host;
  const fixAddress =
    ctx.kind === 'cloud'
      ? 'Check the API domain: it is <customer>-api.cloud.tanium.com (with -api), e.g. acme-api.cloud.tanium.com; edit the connection to change it.'
      : 'Check the server URL; edit the connection to change it.';
  const replace: NextStep = { step: 'replace_token', connection: ctx.name };
  const edit: NextStep = { step: 'edit_connection', connection: ctx.name, kind: ctx.kind };
  return withStep(diagnoseError(error, ctx, where, fixAddress), replace, edit);
}

/** Which step a diagnosis's fix names: storing the token again, or changing the address. */
function withStep(d: Diagnosis, replace: NextStep, edit: NextStep): Diagnosis {
  if (REPLACE_CODES.has(d.code)) return { ...d, next: replace };
  if (d.fix.includes('edit the connection')) return { ...d, next: edit };
  return d;
}

const REPLACE_CODES = new Set<DiagnosisCode>([
  'token-unreadable',
  'token-format',
  'token-prefix',
  'unauthorized',
]);

function diagnoseError(error: unknown, ctx: DiagnosisContext, where: string, fixAddress: string): Diagnosis {
  if (isProblem(error)) {
    return {
      code: 'token-unreadable',
      message: `The stored token could not be read: ${error.message}`,
      fix: 'Fix the master key, or store the token again (Replace).',
    };
  }
  if (error instanceof ClientConfigError) {
    return {
      code: 'token-format',
      message: `The request could not be sent: ${error.message}`,
      fix: 'Store the token again (Replace), pasting only the token.',
    };
  }
  if (error instanceof ConnectionError) {
    const code = error.code;
    if (DNS_CODES.has(code)) {
      return {
        code: 'dns',
        message: `The name ${where} does not resolve (DNS lookup failed: ${code}).`,
        fix: `${fixAddress} If it is right, check this machine's DNS, VPN or proxy settings.`,
      };
    }
    if (code === 'BLOCKED_ADDRESS' || code === 'BLOCKED_HOST') {
      return {
        code: 'blocked-address',
        message: `${where} resolves to a private, loopback or link-local address (IPv4, or an IPv6 form carrying one: IPv4-mapped ::ffff:, IPv4-compatible ::, NAT64 64:ff9b::, 6to4 2002:, Teredo), so the request was refused before the token was sent.`,
        fix: "A Tanium Cloud name must resolve to a public address: check this machine's DNS (a split-horizon, poisoned or rebound name). An on-prem server on a private network is connected by its server URL instead.",
      };
    }
    if (TLS_CODE.test(code)) {
      return {
        code: 'tls',
        message: `The TLS handshake with ${where} failed (${code}): the certificate is not trusted or does not match the name, or the server does not speak HTTPS.`,
        fix:
          ctx.kind === 'cloud'
            ? 'A TLS-inspecting proxy or firewall is usually the cause: trust its CA (NODE_EXTRA_CA_CERTS=/path/ca.pem) or exempt *.cloud.tanium.com from inspection.'
            : 'Check the port and that the server answers HTTPS; for a private CA, trust it with NODE_EXTRA_CA_CERTS=/path/ca.pem.',
      };
    }
    if (code === 'ECONNREFUSED') {
      return {
        code: 'refused',
        message: `${where} refused the connection (ECONNREFUSED): nothing listens on that address and port.`,
        fix:
          ctx.kind === 'cloud'
            ? `${fixAddress} Check that a firewall or proxy allows outbound HTTPS (port 443).`
            : 'Check the server URL and its port, and that the server (or the emulator) is running.',
      };
    }
    return {
      code: 'network',
      message: `The connection to ${where} failed (${code}).`,
      fix: 'Check the network path (firewall, proxy, VPN) and try again.',
    };
  }
  if (error instanceof TimeoutError) {
    const phase = error.code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connecting to' : 'waiting for an answer from';
    return {
      code: 'timeout',
      message: `Timed out ${phase} ${where} (${error.code}).`,
      fix: `${fixAddress} A firewall that drops (rather than refuses) traffic also looks like this; try again with a longer timeout.`,
    };
  }
  if (error instanceof UnexpectedResponseError) {
    if (error.kind === 'redirect') {
      return {
        code: 'redirect',
        message: `${where} answered with a redirect${error.location === undefined ? '' : ` to ${error.location}`} instead of the API: this is a web or console host, not the API host.`,
        fix: 'Use the API host: <customer>-api.cloud.tanium.com (with -api), not the console host <customer>.cloud.tanium.com.',
      };
    }
    if (error.kind === 'html') {
      return {
        code: 'html',
        message: `${where} answered with an HTML page (HTTP ${error.status ?? '?'}) instead of the API: this is a web or console host (or a login page), not the API host.`,
        fix: 'Use the API host: <customer>-api.cloud.tanium.com (with -api), not the console host <customer>.cloud.tanium.com.',
      };
    }
    return {
      code: 'not-json',
      message: `${where} answered something that is not the Tanium API (HTTP ${error.status ?? '?'}, not JSON).`,
      fix: fixAddress,
    };
  }
  if (error instanceof AuthenticationError) {
    if (ctx.token !== undefined && !ctx.token.startsWith(TOKEN_PREFIX)) {
      return {
        code: 'token-prefix',
        message: `Tanium refused the token (HTTP 401), and the stored token does not start with "${TOKEN_PREFIX}": it was probably copied without its prefix.`,
        fix: `Copy the complete token, "${TOKEN_PREFIX}" included, and store it again (Replace).`,
      };
    }
    return {
      code: 'unauthorized',
      message:
        "Tanium refused the token (HTTP 401): it has expired or was revoked, or this machine's address is not in its trusted IP addresses (Tanium answers all three the same way).",
      fix: `In the Tanium Console (Administration > Permissions > API Tokens), check the token: if it expired or is gone, create a new one and store it (Replace); otherwise add this machine's public address to the token's Trusted IP addresses (or to the api_token_trusted_ip_address_list setting).`,
    };
  }
  if (error instanceof PermissionError) {
    return {
      code: 'forbidden',
      message:
        "Tanium accepted the token but refused the session lookup (HTTP 403): the token's persona lacks permission.",
      fix: "Give the token's persona a role that may use the API (Administration > Token - Use), or create the token with another persona.",
    };
  }
  if (error instanceof NotFoundError) {
    return {
      code: 'not-found',
      message: `${where} has no Tanium session route (HTTP 404 for ${error.path ?? 'the session lookup'}): it is not a Tanium API host.`,
      fix: fixAddress,
    };
  }
  if (error instanceof RateLimitError) {
    const wait = error.retryAfterMs === undefined ? '' : ` after ${Math.ceil(error.retryAfterMs / 1000)} s`;
    return {
      code: 'rate-limited',
      message: 'Tanium is rate limiting this client (HTTP 429), even after retrying.',
      fix: `Run the check again${wait}; if it persists, look for another process using the same token heavily.`,
    };
  }
  if (error instanceof ServerError) {
    return {
      code: 'server-error',
      message: `Tanium answered with a server error (HTTP ${error.status ?? '5xx'}), even after retrying: the tenant may be in maintenance.`,
      fix: 'Try again in a few minutes; if it persists, contact Tanium support.',
    };
  }
  const text =
    error instanceof TaniumError ? error.message : error instanceof Error ? error.message : String(error);
  return {
    code: 'unexpected',
    message: `The session lookup failed: ${oneLine(text)}`,
    fix: fixAddress,
  };
}

/** Every string in a diagnosis, with the token (and anything token-shaped) removed, on one line each. */
export function redactDiagnosis(d: Diagnosis, secrets: readonly string[]): Diagnosis {
  const clean = (s: string) =>
    oneLine(
      redactTokens(
        redactSecrets(
          s,
          secrets.filter((x) => x !== ''),
        ),
      ),
    );
  return { code: d.code, message: clean(d.message), fix: clean(d.fix), ...(d.next ? { next: d.next } : {}) };
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
