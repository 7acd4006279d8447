// Posture benchmark, every figure against a floor measured in the same run (docs/posture.md, "Speed").
// 1. In-process decision for a 5-check policy on a POSTURE_ENDPOINTS-endpoint synced store (default
//    100,000), looked up by serial number: p50 and p99 per decision, against a bare primary-key read of
//    the same endpoint's asset row (better-sqlite3, prepared).
// 2. GET /v1/posture/:device from `tanium-bridge serve` against a bare fastify route (its own process)
//    returning the same JSON, both loaded by autocannon on loopback: requests per second and the ratio.
// 3. A Cloudflare posture batch of 1,000 devices (token verified, each device matched and scored):
//    milliseconds per batch, against 1,000 bare primary-key reads.
// Run with `npm run bench:posture` (POSTURE_ENDPOINTS, POSTURE_SECONDS override the sizes).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, serveBare } from './httpFloor.mjs';
import { cli, run, start, startServe } from './processes.mjs';

const ENDPOINTS = Number(process.env.POSTURE_ENDPOINTS ?? 100_000);
const SECONDS = Number(process.env.POSTURE_SECONDS ?? 10);
const self = fileURLToPath(import.meta.url);

const POLICY = `
name: bench-five
rules:
  - name: five-checks
    action: allow
    include:
      - managed: true
    require:
      - lastSeenWithin: 30d
      - riskLevel: { atMost: high }
      - diskEncrypted: true
    exclude:
      - kevCves: { atLeast: 5 }
`;

async function bare(file) {
  const answer = JSON.parse(readFileSync(file, 'utf8'));
  await serveBare({ '/posture': answer });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const us = (ns) => (Number(ns) / 1000).toFixed(1);

/** p50 and p99 of `fn` over `rounds` calls cycling through `items`, after a warm-up. */
async function timeEach(items, rounds, fn) {
  for (let i = 0; i < 2000; i++) await fn(items[i % items.length]);
  const times = new Array(rounds);
  for (let i = 0; i < rounds; i++) {
    const item = items[i % items.length];
    const t0 = process.hrtime.bigint();
    await fn(item);
    times[i] = process.hrtime.bigint() - t0;
  }
  times.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

/** A stand-in for Cloudflare Access on loopback: one RS256 key, served as the team's key set. */
async function accessStandIn() {
  const { exportJWK, generateKeyPair, SignJWT } = await import('jose');
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256' };
  const server = createServer((_req, res) => res.end(JSON.stringify({ keys: [jwk] })));
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${server.address().port}`;
  const aud = randomBytes(32).toString('hex');
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: 'bench' })
    .setIssuer(url)
    .setAudience(aud)
    .setExpirationTime('2h')
    .sign(privateKey);
  return { server, url, aud, token };
}

async function orchestrate() {
  const { SqliteStore } = await import('../dist/store/sqlite/sqliteStore.js');
  const { PostureService } = await import('../dist/posture/service.js');
  const { parsePolicy } = await import('../dist/posture/parsePolicy.js');
  const home = mkdtempSync(join(tmpdir(), 'tb-bench-posture-'));
  const children = [];
  const access = await accessStandIn();
  try {
    console.log(`bench:posture — ${ENDPOINTS.toLocaleString('en-US')} endpoints, ${SECONDS} s per load`);
    const emulator = start([cli, 'emulator', '--port', '0', '--endpoints', String(ENDPOINTS), '--json']);
    children.push(emulator.child);
    const { url, token } = await emulator.first;
    await run(['connect', '--server', url, '--home', home], `${token}\n`);
    let t0 = performance.now();
    await run(['sync', '--streams', 'assets,vulnerabilities,compliance', '--full', '--home', home]);
    console.log(
      `  prepared the store: full sync of assets, vulnerabilities, compliance in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const store = SqliteStore.open(join(home, 'bridge.db'));
    t0 = performance.now();
    const facts = await store.posture.refreshFacts('default', new Date().toISOString());
    console.log(
      `  posture facts of ${facts.toLocaleString('en-US')} endpoints recomputed in ${((performance.now() - t0) / 1000).toFixed(2)} s (what each complete sync run adds)`,
    );
    const sample = store.db
      .prepare(
        'SELECT endpoint_id, serial_number FROM assets WHERE connection = ? ORDER BY random() LIMIT 1000',
      )
      .all('default');
    const policy = parsePolicy(POLICY, 'yaml');
    const service = new PostureService(store);
    const bareRead = store.db.prepare('SELECT * FROM assets WHERE connection = ? AND endpoint_id = ?');
    const rounds = 50_000;
    const floor = await timeEach(sample, rounds, async (s) => bareRead.get('default', s.endpoint_id));
    const decided = await timeEach(sample, rounds, (s) =>
      service.decide({ connection: 'default', device: s.serial_number, by: 'serial', policy }),
    );
    console.log(
      `  in-process decision (5 checks, by serial): p50 ${us(decided.p50)} µs, p99 ${us(decided.p99)} µs (goal p50 <= 20, p99 <= 100); bare primary-key read p50 ${us(floor.p50)} µs, p99 ${us(floor.p99)} µs; ratio p50 ${(Number(decided.p50) / Number(floor.p50)).toFixed(1)}x`,
    );
    await store.close();

    const { key } = JSON.parse(
      await run(['apikey', 'create', '--name', 'bench', '--role', 'admin', '--json', '--home', home]),
    );
    const served = startServe(home, ['--cloudflare-team', access.url, '--cloudflare-aud', access.aud]);
    children.push(served.child);
    const api = (await served.first).url;
    const headers = { authorization: `Bearer ${key}` };
    const put = await fetch(`${api}/v1/policies/bench-five`, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ format: 'yaml', source: POLICY }),
    });
    if (!put.ok) throw new Error(`PUT policy: ${put.status} ${await put.text()}`);
    const path = `/v1/posture/${encodeURIComponent(sample[42].serial_number)}?by=serial&policy=bench-five`;
    const answer = await (await fetch(`${api}${path}`, { headers })).json();
    const file = join(home, 'answer.json');
    writeFileSync(file, JSON.stringify(answer));
    const floorServer = start([self, '--bare', file]);
    children.push(floorServer.child);
    const bareUrl = (await floorServer.first).url;
    const b = await load(`${bareUrl}/posture`, {}, SECONDS);
    const s = await load(`${api}${path}`, headers, SECONDS);
    console.log(
      `  GET /v1/posture/:device  serve ${s.rps.toFixed(0)} req/s (p99 ${s.p99} ms)  bare ${b.rps.toFixed(0)} req/s (p99 ${b.p99} ms)  ratio ${(s.rps / b.rps).toFixed(2)} (goal >= 0.8)`,
    );

    const devices = sample.map((d, i) => ({ device_id: `cf-${i}`, serial_number: d.serial_number }));
    const batch = JSON.stringify({ devices });
    const cfHeaders = { 'content-type': 'application/json', 'cf-access-jwt-assertion': access.token };
    const times = [];
    for (let i = 0; i < 23; i++) {
      const t = performance.now();
      const res = await fetch(`${api}/v1/integrations/cloudflare/posture`, {
        method: 'POST',
        headers: cfHeaders,
        body: batch,
      });
      const body = await res.json();
      if (!res.ok || Object.keys(body.result).length !== 1000) throw new Error(`batch: ${res.status}`);
      if (i >= 3) times.push(performance.now() - t);
    }
    times.sort((x, y) => x - y);
    const reads = await (async () => {
      const st = SqliteStore.open(join(home, 'bridge.db'));
      const read = st.db.prepare('SELECT * FROM assets WHERE connection = ? AND serial_number = ?');
      const t = performance.now();
      for (const d of sample) read.get('default', d.serial_number);
      const ms = performance.now() - t;
      await st.close();
      return ms;
    })();
    console.log(
      `  Cloudflare batch of 1,000 devices: p50 ${times[Math.floor(times.length / 2)].toFixed(1)} ms, worst ${times.at(-1).toFixed(1)} ms (goal < 50 ms); 1,000 bare reads by serial ${reads.toFixed(1)} ms`,
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
    access.server.close();
    rmSync(home, { recursive: true, force: true });
  }
}

// Last: the helpers above are constants, defined only once the module body has run this far.
if (process.argv[2] === '--bare') await bare(process.argv[3]);
else await orchestrate();
