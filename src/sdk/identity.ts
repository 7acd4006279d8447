import { randomBytes, verify, X509Certificate } from 'node:crypto';
import { request } from 'undici';

/**
 * Endpoint identity verification (docs/posture.md, "Endpoint identity"). Tanium's own wire format for
 * reading device data from the Tanium Client on port 17472 is not public; this is tanium-bridge's
 * design: the verifier sends a fresh random nonce, the client answers a signed assertion, and the
 * signature, certificate, nonce and freshness are each checked. Any failure is a named reason.
 */
export type IdentityReason =
  | 'verified'
  | 'bad_certificate'
  | 'unreachable'
  | 'timeout'
  | 'malformed_response'
  | 'bad_signature'
  | 'nonce_mismatch'
  | 'expired'
  | 'not_yet_valid';

export interface AssertedIdentity {
  computerId: string;
  eid: string;
  serialNumber: string;
}

export interface IdentityResult {
  verified: boolean;
  reason: IdentityReason;
  /** One sentence saying what was checked or what failed. */
  message: string;
  /** The identity the client asserted (only when verified). */
  endpoint: AssertedIdentity | null;
}

export interface VerifyIdentityOptions {
  host?: string;
  /** The Tanium Client's port (17472 by default). */
  port?: number;
  /** The PEM certificate whose key must have signed the assertion. */
  certificate: string;
  timeoutMs?: number;
  /** Clock of the verifier (tests); the assertion must be valid now, within `maxSkewMs`. */
  now?: () => number;
  maxSkewMs?: number;
}

export const IDENTITY_PORT = 17472;
const MAX_SKEW_MS = 60_000;

const fail = (reason: IdentityReason, message: string): IdentityResult => ({
  verified: false,
  reason,
  message,
  endpoint: null,
});

/** Asks the client at host:port to prove its identity, and checks every part of the answer. */
export async function verifyEndpointIdentity(options: VerifyIdentityOptions): Promise<IdentityResult> {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(options.certificate);
  } catch {
    return fail('bad_certificate', 'the certificate is not a PEM X.509 certificate');
  }
  const now = options.now ?? Date.now;
  if (now() < Date.parse(certificate.validFrom) || now() > Date.parse(certificate.validTo))
    return fail('bad_certificate', 'the certificate is not valid now');
  const nonce = randomBytes(32).toString('base64url');
  const answer = await challenge(options, nonce);
  if ('reason' in answer) return answer;
  const { payload, signature } = answer;
  if (!verify(null, payload, certificate.publicKey, signature))
    return fail('bad_signature', "the signature does not verify with the certificate's key");
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
  } catch {
    return fail('malformed_response', 'the signed payload is not JSON');
  }
  const { computerId, eid, serialNumber, issuedAt, expiresAt } = claims;
  if (
    ![computerId, eid, serialNumber, issuedAt, expiresAt, claims['nonce']].every((v) => typeof v === 'string')
  )
    return fail(
      'malformed_response',
      'the signed payload lacks computerId, eid, serialNumber, nonce or times',
    );
  if (claims['nonce'] !== nonce)
    return fail('nonce_mismatch', 'the assertion answers another nonce (a replay)');
  const skew = options.maxSkewMs ?? MAX_SKEW_MS;
  const t = now();
  if (!(Date.parse(issuedAt as string) <= t + skew))
    return fail('not_yet_valid', 'the assertion was issued in the future (clock skew over 60 s)');
  if (!(Date.parse(expiresAt as string) + skew >= t)) return fail('expired', 'the assertion has expired');
  return {
    verified: true,
    reason: 'verified',
    message: 'signature, certificate, nonce and freshness verified',
    endpoint: { computerId: computerId as string, eid: eid as string, serialNumber: serialNumber as string },
  };
}

async function challenge(
  options: VerifyIdentityOptions,
  nonce: string,
): Promise<{ payload: Buffer; signature: Buffer } | IdentityResult> {
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${options.port ?? IDENTITY_PORT}/identity`;
  const timeout = options.timeoutMs ?? 5_000;
  let text: string;
  try {
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nonce }),
      headersTimeout: timeout,
      bodyTimeout: timeout,
      signal: AbortSignal.timeout(timeout),
    });
    text = await response.body.text();
    if (response.statusCode !== 200)
      return fail('malformed_response', `the client answered HTTP ${response.statusCode}`);
  } catch (error) {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (/timeout|abort/i.test(`${String(code)} ${String(name)}`))
      return fail('timeout', `the client did not answer within ${timeout} ms`);
    return fail('unreachable', `nothing answers on ${host}:${options.port ?? IDENTITY_PORT}`);
  }
  try {
    const body = JSON.parse(text) as { alg?: unknown; payload?: unknown; signature?: unknown };
    if (body.alg !== 'Ed25519' || typeof body.payload !== 'string' || typeof body.signature !== 'string')
      throw new Error('shape');
    return {
      payload: Buffer.from(body.payload, 'base64url'),
      signature: Buffer.from(body.signature, 'base64url'),
    };
  } catch {
    return fail('malformed_response', 'the answer is not {"alg":"Ed25519","payload","signature"}');
  }
}
