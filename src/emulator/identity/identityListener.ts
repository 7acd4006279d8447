import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorState } from '../emulatorState.js';
import { selfSignedCertificate } from './certificate.js';

/** How long an assertion is valid after it is issued. */
const ASSERTION_TTL_MS = 60_000;
const MAX_BODY = 4096;
const NONCE = /^[A-Za-z0-9_-]{22,128}$/;

/** The emulated Tanium Client identity key and its certificate (one per emulator process). */
export class IdentityKey {
  readonly #keys = generateKeyPairSync('ed25519');
  readonly certificate: string;

  constructor(now: number) {
    this.certificate = selfSignedCertificate(
      this.#keys.privateKey,
      this.#keys.publicKey,
      'Tanium Client identity (tanium-bridge emulator)',
      now - 86_400_000,
      now + 365 * 86_400_000,
    );
  }

  sign(payload: Buffer): Buffer {
    return sign(null, payload, this.#keys.privateKey);
  }
}

export interface IdentityListenerOptions {
  host: string;
  port: number;
  /** The emulated endpoint that answers, by computer ID; the fleet's first live endpoint by default. */
  computerId?: string;
}

/**
 * The emulated Tanium Client identity listener (docs/posture.md, "Endpoint identity"; Tanium's wire
 * format is not public, so this one is ours): `POST /identity` with `{"nonce"}` answers a signed
 * assertion of the endpoint's computer ID, EID and serial number, the nonce, and its validity.
 */
export async function startIdentityListener(
  state: EmulatorState,
  key: IdentityKey,
  options: IdentityListenerOptions,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/identity') return reply(404, { error: 'not found' });
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) req.destroy();
    });
    req.on('end', () => {
      let nonce: unknown;
      try {
        nonce = (JSON.parse(body) as { nonce?: unknown }).nonce;
      } catch {
        return reply(400, { error: 'the body must be JSON: {"nonce": "<base64url>"}' });
      }
      if (typeof nonce !== 'string' || !NONCE.test(nonce))
        return reply(400, { error: 'nonce must be 16 to 96 random bytes in base64url' });
      const endpoint = chosenEndpoint(state, options.computerId);
      if (!endpoint) return reply(503, { error: 'no emulated endpoint to answer for' });
      const now = state.now();
      const payload = Buffer.from(
        JSON.stringify({
          v: 1,
          computerId: endpoint.computerID,
          eid: endpoint.id,
          serialNumber: endpoint.serialNumber,
          nonce,
          issuedAt: new Date(now).toISOString(),
          expiresAt: new Date(now + ASSERTION_TTL_MS).toISOString(),
        }),
        'utf8',
      );
      reply(200, {
        alg: 'Ed25519',
        payload: payload.toString('base64url'),
        signature: key.sign(payload).toString('base64url'),
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

function chosenEndpoint(state: EmulatorState, computerId: string | undefined) {
  const view = state.fleet.view(state.now());
  for (const i of view.live()) {
    const endpoint = view.endpoint(i);
    if (computerId === undefined || endpoint.computerID === computerId) return endpoint;
  }
  return undefined;
}
