// Emulator benchmark: endpoints served per second over real HTTP, pages of 1,000 with
// CVE fields, against a floor measured in the same run: building the same endpoints and findings in
// process, without GraphQL or HTTP. Then the 500,000-endpoint start-up: time until the emulator
// announces itself and its RSS after serving a first page, in a child process.
// Run with `npm run bench:emulator` (EMULATOR_ENDPOINTS, BENCH_PAGES and BIG_ENDPOINTS override sizes).
import { spawn } from 'node:child_process';
import { request } from 'undici';
import { startEmulator } from '../dist/emulator/index.js';

const ENDPOINTS = Number(process.env.EMULATOR_ENDPOINTS ?? 20_000);
const PAGES = Number(process.env.BENCH_PAGES ?? 10);
const BIG = Number(process.env.BIG_ENDPOINTS ?? 500_000);
const MiB = 1024 * 1024;
const QUERY = `query ($after: Cursor) { endpoints(first: 1000, after: $after) {
  pageInfo { hasNextPage endCursor }
  edges { node { id name serialNumber computerID ipAddress eidLastSeen os { name platform }
    compliance { cveFindings { cveId cvssScore cvssScoreV3 severity severityV3 summary firstFound lastFound isCisaKev } } } }
} }`;

async function served() {
  const emulator = await startEmulator({ endpoints: ENDPOINTS, seed: 1 });
  const post = async (after) => {
    const reply = await request(`${emulator.url}/plugin/products/gateway/graphql`, {
      method: 'POST',
      headers: { session: emulator.token, 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY, variables: { after } }),
    });
    return reply.body.json();
  };
  await post(null); // warm-up
  let after = null;
  let endpoints = 0;
  let findings = 0;
  const start = performance.now();
  for (let page = 0; page < PAGES; page++) {
    const body = await post(after);
    const connection = body.data.endpoints;
    endpoints += connection.edges.length;
    for (const edge of connection.edges) findings += edge.node.compliance.cveFindings.length;
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  const ms = performance.now() - start;

  // Floor: the same endpoints and findings built in process.
  const view = emulator.state.fleet.view(emulator.state.now());
  const live = view.live();
  const floorStart = performance.now();
  let floorFindings = 0;
  for (let k = 0; k < endpoints; k++) {
    const i = live[k % live.length];
    view.endpoint(i);
    floorFindings += view.cveFindings(i).length;
  }
  const floorMs = performance.now() - floorStart;
  await emulator.close();
  return { endpoints, findings, ms, floorMs, floorFindings };
}

function bigStart() {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ['bin/tanium-bridge.js', 'emulator', '--port', '0', '--json', '--endpoints', String(BIG)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', async (chunk) => {
      out += chunk;
      if (!out.includes('\n')) return;
      child.stdout.removeAllListeners('data');
      const announcedMs = performance.now() - started;
      const { url, token } = JSON.parse(out.split('\n')[0]);
      const truthStart = performance.now();
      const truth = await (await request(`${url}/__emulator/truth`)).body.json();
      const truthMs = performance.now() - truthStart;
      const page = await request(`${url}/plugin/products/gateway/graphql`, {
        method: 'POST',
        headers: { session: token, 'content-type': 'application/json' },
        body: JSON.stringify({ query: QUERY, variables: { after: null } }),
      });
      await page.body.json();
      const rss =
        Number(
          (await import('node:fs'))
            .readFileSync(`/proc/${child.pid}/status`, 'utf8')
            .match(/VmHWM:\s+(\d+)/)[1],
        ) * 1024;
      child.kill('SIGTERM');
      resolve({ announcedMs, truthMs, truth, rss });
    });
    child.on('error', reject);
  });
}

const s = await served();
const rate = (s.endpoints / s.ms) * 1000;
const floorRate = (s.endpoints / s.floorMs) * 1000;
console.log(
  `served over HTTP: ${s.endpoints} endpoints with ${s.findings} CVE findings in ${s.ms.toFixed(0)} ms`,
);
console.log(`  ${rate.toFixed(0)} endpoints/s (${((s.findings / s.ms) * 1000).toFixed(0)} findings/s)`);
console.log(`floor (same endpoints and findings built in process): ${floorRate.toFixed(0)} endpoints/s`);
console.log(`ratio served/floor: ${(rate / floorRate).toFixed(2)} (1.00 = HTTP and GraphQL cost nothing)`);

const big = await bigStart();
console.log(
  `\n${BIG} endpoints: announced after ${(big.announcedMs / 1000).toFixed(2)} s; truth (${big.truth.endpoints} endpoints, ${big.truth.cveFindings} CVE findings) in ${(big.truthMs / 1000).toFixed(2)} s`,
);
console.log(`  peak RSS ${(big.rss / MiB).toFixed(0)} MiB (limit 1024 MiB)`);
