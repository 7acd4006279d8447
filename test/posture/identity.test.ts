import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentityKey } from '../../src/emulator/identity/identityListener.js';
import { parsePolicy } from '../../src/posture/parsePolicy.js';
import { PostureService } from '../../src/posture/service.js';
import { type VerifyIdentityOptions, verifyEndpointIdentity } from '../../src/sdk/index.js';
import { type Harness, startHarness, tempDir } from '../helpers/emulatorHarness.js';
import { runCli } from '../helpers/runCli.js';
import { type SyncTarget, syncTarget } from '../helpers/syncHarness.js';

let h: Harness;
let t: SyncTarget;
let certificate: string;
let identityPort: number;
const servers: Server[] = [];

/** A stand-in client on loopback that answers every challenge with `answer(nonce)`. */
async function standIn(answer: (nonce: string) => Promise<unknown> | undefined): Promise<number> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', async () => {
      const reply = answer((JSON.parse(body) as { nonce: string }).nonce);
      if (reply === undefined) return; // never answers
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(await reply));
    });
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return (server.address() as AddressInfo).port;
}

/** The real listener's answer to a nonce. */
async function realAnswer(nonce: string): Promise<{ alg: string; payload: string; signature: string }> {
  const res = await request(`http://127.0.0.1:${identityPort}/identity`, {
    method: 'POST',
    body: JSON.stringify({ nonce }),
  });
  return (await res.body.json()) as { alg: string; payload: string; signature: string };
}

const verifyAt = (port: number, more: Partial<VerifyIdentityOptions> = {}) =>
  verifyEndpointIdentity({ port, certificate, timeoutMs: 2_000, ...more });

beforeAll(async () => {
  h = await startHarness({ endpoints: 60, seed: 15, realism: 0, identityPort: 0 });
  identityPort = h.emulator.identityPort!;
  const served = await request(`${h.url}/__emulator/identity/certificate`);
  certificate = await served.body.text();
  t = await syncTarget(h.emulator);
  await t.sync({ streams: ['assets'] });
}, 120_000);

afterAll(async () => {
  for (const s of servers) s.close();
  await t.close();
  await h.close();
});

describe('endpoint identity', () => {
  it('the emulated client proves its identity; the endpoint is in the synced store', async () => {
    const result = await verifyAt(identityPort);
    expect(result).toMatchObject({ verified: true, reason: 'verified' });
    const stored = await t.store.posture.endpoint('default', result.endpoint!.eid);
    expect(stored).toMatchObject({
      computerId: result.endpoint!.computerId,
      serialNumber: result.endpoint!.serialNumber,
    });
    // A policy can require a verified identity: it allows only with the proof.
    const policy = parsePolicy(
      'rules: [{name: proven, action: allow, include: [{managed: true}], require: [{identityVerified: true}]}]',
      'yaml',
    );
    const service = new PostureService(t.store);
    const query = { connection: 'default', device: result.endpoint!.eid, by: 'eid' as const, policy };
    expect((await service.decide({ ...query, identityVerified: true })).verdict).toBe('allow');
    expect((await service.decide(query)).verdict).toBe('deny');
  });

  it('every failure is a named reason, never a verified identity', async () => {
    const tampered = await standIn(async (nonce) => {
      const real = await realAnswer(nonce);
      const payload = Buffer.from(real.payload, 'base64url')
        .toString('utf8')
        .replace(/"eid":"(\d)/, '"eid":"9');
      return { ...real, payload: Buffer.from(payload).toString('base64url') };
    });
    const recorded = await realAnswer('A'.repeat(43));
    const replay = await standIn(async () => recorded);
    const silent = await standIn(() => undefined);
    const garbage = await standIn(async () => ({ hello: 'world' }));
    const closed = await standIn(async () => ({}));
    servers.at(-1)!.close();
    const another = new IdentityKey(Date.now()).certificate;
    const cases: [Promise<Awaited<ReturnType<typeof verifyAt>>>, string][] = [
      [verifyAt(tampered), 'bad_signature'],
      [verifyAt(identityPort, { certificate: another }), 'bad_signature'],
      [verifyAt(replay), 'nonce_mismatch'],
      [verifyAt(identityPort, { now: () => Date.now() + 5 * 60_000 }), 'expired'],
      [verifyAt(identityPort, { now: () => Date.now() - 5 * 60_000 }), 'not_yet_valid'],
      [verifyAt(closed), 'unreachable'],
      [verifyAt(silent, { timeoutMs: 300 }), 'timeout'],
      [verifyAt(garbage), 'malformed_response'],
      [verifyAt(identityPort, { certificate: 'not a certificate' }), 'bad_certificate'],
    ];
    for (const [pending, reason] of cases) {
      const result = await pending;
      expect({ reason: result.reason, verified: result.verified, endpoint: result.endpoint }).toEqual({
        reason,
        verified: false,
        endpoint: null,
      });
    }
  });

  it('posture verify: the CLI answers {verified, reason, endpoint, decision}; not verified exits 5', async () => {
    const dir = tempDir();
    const file = join(dir, 'identity.pem');
    writeFileSync(file, certificate);
    const ok = await runCli(
      ['posture', 'verify', '--port', String(identityPort), '--certificate', file, '--json'],
      { home: t.home },
    );
    expect(ok.code).toBe(0);
    const answer = JSON.parse(ok.stdout);
    expect(Object.keys(answer)).toEqual(['verified', 'reason', 'endpoint', 'decision']);
    expect(answer).toMatchObject({
      verified: true,
      reason: 'verified',
      decision: { verdict: 'allow', rule: 'managed' },
    });
    const otherFile = join(dir, 'other.pem');
    writeFileSync(otherFile, new IdentityKey(Date.now()).certificate);
    const refused = await runCli(
      ['posture', 'verify', '--port', String(identityPort), '--certificate', otherFile],
      { home: t.home },
    );
    expect(refused.code).toBe(5);
    expect(refused.stdout).toBe(
      "identity not verified (bad_signature): the signature does not verify with the certificate's key\n",
    );
    const missing = await runCli(['posture', 'verify', '--certificate', join(dir, 'nope.pem')], {
      home: t.home,
    });
    expect(missing).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^Cannot read the certificate file .*nope\.pem\./),
    });
  });
});
