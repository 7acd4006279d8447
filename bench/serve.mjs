// Service benchmark: the HTTP API against a floor measured in the same run.
// 1. GET of one asset and of a 100-row page from `tanium-bridge serve`, against a bare fastify route
//    (its own process) that returns the same JSON object, both loaded by autocannon on loopback: the
//    ratio serve / bare is what authentication, validation, the store read and the error shape cost.
// 2. NDJSON export of every vulnerability row of a SERVE_ENDPOINTS-endpoint store (default 100,000):
//    rows per second, and the serve process's peak RSS before and after (flat memory means the export
//    streams rather than buffers).
// Run with `npm run bench:serve` (SERVE_ENDPOINTS, SERVE_SECONDS override the sizes).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, serveBare } from './httpFloor.mjs';
import { cli, memory, run, start, startServe } from './processes.mjs';

const ENDPOINTS = Number(process.env.SERVE_ENDPOINTS ?? 100_000);
const SECONDS = Number(process.env.SERVE_SECONDS ?? 10);
const MiB = 1024 * 1024;
const self = fileURLToPath(import.meta.url);

if (process.argv[2] === '--bare') await bare(process.argv[3]);
else await orchestrate();

/** The floor: fastify with one route per recorded answer, returning the parsed object. */
async function bare(file) {
  const answers = JSON.parse(readFileSync(file, 'utf8'));
  await serveBare({ '/asset': answers.asset, '/page': answers.page });
}

async function orchestrate() {
  const home = mkdtempSync(join(tmpdir(), 'tb-bench-serve-'));
  const children = [];
  try {
    console.log(`bench:serve — ${ENDPOINTS.toLocaleString('en-US')} endpoints, ${SECONDS} s per load`);
    const emulator = start([cli, 'emulator', '--port', '0', '--endpoints', String(ENDPOINTS), '--json']);
    children.push(emulator.child);
    const { url, token } = await emulator.first;
    await run(['connect', '--server', url, '--home', home], `${token}\n`);
    let t0 = performance.now();
    await run(['sync', '--streams', 'assets,vulnerabilities', '--full', '--home', home]);
    console.log(
      `  prepared the store: full sync of assets and vulnerabilities in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const { key } = JSON.parse(
      await run(['apikey', 'create', '--name', 'bench', '--role', 'viewer', '--json', '--home', home]),
    );
    const served = startServe(home);
    children.push(served.child);
    const api = (await served.first).url;
    const headers = { authorization: `Bearer ${key}` };
    const get = async (path) => {
      const res = await fetch(`${api}${path}`, { headers });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    const page = await get('/v1/connections/default/assets?limit=100');
    const id = page.rows[42].endpoint_id;
    const asset = await get(`/v1/connections/default/assets?endpoint=${id}&limit=1`);
    const file = join(home, 'answers.json');
    writeFileSync(file, JSON.stringify({ asset, page }));
    const floor = start([self, '--bare', file]);
    children.push(floor.child);
    const bareUrl = (await floor.first).url;

    const results = {};
    for (const [label, servePath, barePath] of [
      ['one asset', `/v1/connections/default/assets?endpoint=${id}&limit=1`, '/asset'],
      ['100-row page', '/v1/connections/default/assets?limit=100', '/page'],
    ]) {
      const b = await load(`${bareUrl}${barePath}`, {}, SECONDS);
      const s = await load(`${api}${servePath}`, headers, SECONDS);
      results[label] = { serve: s, bare: b, ratio: s.rps / b.rps };
      console.log(
        `  GET ${label.padEnd(13)} serve ${s.rps.toFixed(0).padStart(6)} req/s (p99 ${s.p99} ms)  bare ${b.rps.toFixed(0).padStart(6)} req/s (p99 ${b.p99} ms)  ratio ${(s.rps / b.rps).toFixed(2)} (goal >= 0.8)`,
      );
    }

    const before = memory(served.child.pid);
    t0 = performance.now();
    const res = await fetch(`${api}/v1/connections/default/vulnerabilities?format=ndjson`, { headers });
    let rows = 0;
    let bytes = 0;
    const decoder = new TextDecoder();
    for await (const chunk of res.body) {
      bytes += chunk.length;
      const text = decoder.decode(chunk, { stream: true });
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) rows++;
    }
    const seconds = (performance.now() - t0) / 1000;
    const after = memory(served.child.pid);
    console.log(
      `  NDJSON export of every vulnerability row: ${rows.toLocaleString('en-US')} rows, ${(bytes / MiB).toFixed(0)} MiB in ${seconds.toFixed(1)} s = ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s (goal >= 100,000)`,
    );
    console.log(
      `  serve RSS: peak ${(before.peak / MiB).toFixed(0)} MiB before the export, ${(after.peak / MiB).toFixed(0)} MiB after (flat memory: the export adds ${((after.peak - before.peak) / MiB).toFixed(0)} MiB for ${(bytes / MiB).toFixed(0)} MiB sent)`,
    );
  } finally {
    for (const child of children) child.kill('SIGTERM');
    rmSync(home, { recursive: true, force: true });
  }
}
