// Side by side, against one emulator per fleet size: the floor (fetch and parse only, tanium-bridge's
// reader and page sizing), a full tanium-bridge sync (runSync, what `tanium-bridge sync --full` runs:
// one collection, the default; and parallel cursors chosen from latency and CPU, `--parallel auto`), the
// plain reference client (bench/plainClient.mjs) with pages of 100 and of 500, at 0, 50 and 200 ms of
// injected latency per Gateway request (the emulator's `latency:MS` fault, docs/emulator-faults.md).
// Each run is its own process (its own peak RSS and CPU). Figures: min/median/max wall time of the
// repeats, CPU milliseconds per 1,000 rows (median), peak RSS (the largest), Gateway requests (round
// trips, from the emulator's stats; median), and ratios of medians.
// SIDE_ENDPOINTS (20,000), SIDE_BIG_ENDPOINTS (100,000, no latency; 0 skips), SIDE_LATENCIES (0,50,200),
// SIDE_REPEATS (3), SIDE_BIG_REPEATS (as SIDE_REPEATS) override.
const ENDPOINTS = Number(process.env.SIDE_ENDPOINTS ?? 20_000);
const BIG = Number(process.env.SIDE_BIG_ENDPOINTS ?? 100_000);
const LATENCIES = (process.env.SIDE_LATENCIES ?? '0,50,200').split(',').map(Number);
const REPEATS = Number(process.env.SIDE_REPEATS ?? 3);
const BIG_REPEATS = Number(process.env.SIDE_BIG_REPEATS ?? REPEATS);
const MiB = 1024 * 1024;
const CLIENTS = [
  { name: 'floor (fetch + parse)', kind: 'floor' },
  { name: 'tanium-bridge sync --full', kind: 'sync' },
  { name: 'tanium-bridge --parallel auto', kind: 'sync:auto' },
  { name: 'plain, pages of 100', kind: 'plain:100' },
  { name: 'plain, pages of 500', kind: 'plain:500' },
];

async function setLatency(url, ms) {
  const rules = ms > 0 ? [{ path: '/plugin/products/gateway/graphql', fault: `latency:${ms}`, rate: 1 }] : [];
  const reply = await fetch(`${url}/__emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rules }),
  });
  if (!reply.ok) throw new Error(`installing latency ${ms} ms: ${reply.status} ${await reply.text()}`);
}

async function gatewayRequests(url) {
  const stats = await (await fetch(`${url}/__emulator/stats`)).json();
  return stats.requests.byRoute['POST /plugin/products/gateway/graphql'] ?? 0;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function rowsOf(result) {
  return result.rows ?? Object.values(result.counts).reduce((a, b) => a + b, 0);
}

function summarise(runs) {
  const ms = runs.map((r) => r.ms);
  return {
    min: Math.min(...ms),
    median: median(ms),
    max: Math.max(...ms),
    cpuPerK: median(runs.map((r) => r.cpuMs / (rowsOf(r) / 1000))),
    rss: Math.max(...runs.map((r) => r.maxRss)),
    pages: median(runs.map((r) => r.pages ?? 0)),
    requests: median(runs.map((r) => r.requests)),
    largestPage: Math.max(...runs.map((r) => r.largestPage ?? 0)),
    rows: rowsOf(runs[0]),
  };
}

const s = (ms) => (ms / 1000).toFixed(2);

async function setting(run, self, emulator, latency, repeats) {
  await setLatency(emulator.url, latency);
  const byClient = new Map(CLIENTS.map((c) => [c.kind, []]));
  // Interleaved repeats: a slow minute of the shared machine hits every client alike.
  for (let r = 0; r < repeats; r++)
    for (const c of CLIENTS) {
      const before = await gatewayRequests(emulator.url);
      const result = await run([self, '--worker', c.kind, emulator.url, emulator.token]);
      byClient.get(c.kind).push({ ...result, requests: (await gatewayRequests(emulator.url)) - before });
    }
  const figures = new Map([...byClient].map(([kind, runs]) => [kind, summarise(runs)]));
  const tb = figures.get('sync');
  const plains = CLIENTS.filter((c) => c.kind.startsWith('plain')).map((c) => figures.get(c.kind));
  const best = plains.reduce((a, b) => (a.median <= b.median ? a : b));
  const bestCpu = Math.min(...plains.map((p) => p.cpuPerK));
  console.log(
    `\n${emulator.endpoints.toLocaleString()} endpoints, ${latency} ms per request (${repeats} runs each):`,
  );
  for (const c of CLIENTS) {
    const f = figures.get(c.kind);
    console.log(
      `  ${c.name.padEnd(27)} wall ${s(f.min)}/${s(f.median)}/${s(f.max)} s (min/median/max)  CPU ${f.cpuPerK.toFixed(1)} ms per 1,000 rows  peak RSS ${(f.rss / MiB).toFixed(0)} MiB  ${f.pages} pages  ${f.requests} requests${f.largestPage ? ` (pages up to ${f.largestPage})` : ''}  ${f.rows} rows`,
    );
  }
  const goal = latency >= 200 ? 0.5 : latency === 0 ? 1.0 : undefined;
  const ratio = tb.median / best.median;
  console.log(
    `  tanium-bridge / best plain: wall ${ratio.toFixed(2)}${goal === undefined ? '' : ` (goal <= ${goal.toFixed(1)}: ${ratio <= goal ? 'met' : 'MISSED'})`}, CPU per row ${(tb.cpuPerK / bestCpu).toFixed(2)} (goal <= 1.00: ${tb.cpuPerK <= bestCpu ? 'met' : 'MISSED'}); tanium-bridge / floor: wall ${(tb.median / figures.get('floor').median).toFixed(2)}`,
  );
  const auto = figures.get('sync:auto');
  console.log(
    `  --parallel auto / default: wall ${(auto.median / tb.median).toFixed(2)}, CPU per row ${(auto.cpuPerK / tb.cpuPerK).toFixed(2)}; --parallel auto / best plain: wall ${(auto.median / best.median).toFixed(2)}`,
  );
  const worst = Math.max(...[...figures.values()].map((f) => f.rss));
  console.log(
    `  peak RSS of tanium-bridge ${(tb.rss / MiB).toFixed(0)} MiB (goal <= 256 MiB: ${tb.rss <= 256 * MiB ? 'met' : 'MISSED'}); largest of all ${(worst / MiB).toFixed(0)} MiB`,
  );
}

export async function sideBySide({ run, startEmulator, self }) {
  console.log('side by side: floor, tanium-bridge, plain reference client (bench/plainClient.mjs)');
  const fleets = [
    { endpoints: ENDPOINTS, latencies: LATENCIES, repeats: REPEATS },
    ...(BIG > 0 ? [{ endpoints: BIG, latencies: [0], repeats: BIG_REPEATS }] : []),
  ];
  for (const fleet of fleets) {
    const emulator = await startEmulator(fleet.endpoints);
    try {
      for (const latency of fleet.latencies)
        await setting(run, self, { ...emulator, endpoints: fleet.endpoints }, latency, fleet.repeats);
    } finally {
      emulator.child.kill('SIGTERM');
    }
  }
}
