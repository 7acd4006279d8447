// Sync benchmark: a full sync of a 100,000-endpoint emulator (assets, CVE findings,
// compliance findings) into SQLite, against a floor measured in the same run: fetching and parsing the
// same pages (same query, same adaptive page size) without storing them. Then the same sync at 300,000
// endpoints, to show that memory does not grow with fleet size. The emulator runs in its own process,
// as Tanium would; the floor and each sync run in their own process too, so each peak RSS is its own.
// Run with `npm run bench:sync` (SYNC_ENDPOINTS, SYNC_BIG_ENDPOINTS override sizes; SYNC_BIG_ENDPOINTS=0
// skips the second fleet). It first runs the side-by-side section (bench/sideBySide.mjs: floor,
// tanium-bridge and a plain reference client at injected latencies) and ends with the incremental section
// (bench/incremental.mjs: an incremental pass after 1% data churn under frequent check-ins);
// SYNC_SECTIONS=side, =scale or =incremental (or a comma-separated list) runs those.
// `--db postgres://…` syncs into PostgreSQL instead (scale section only unless SYNC_SECTIONS says
// otherwise): each sync gets a schema of its own, dropped after, unless the URL names one (?schema=).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { incremental, incrementalWorker } from './incremental.mjs';
import { plainSync } from './plainClient.mjs';
import { sideBySide } from './sideBySide.mjs';

const SMALL = Number(process.env.SYNC_ENDPOINTS ?? 100_000);
const BIG = Number(process.env.SYNC_BIG_ENDPOINTS ?? 300_000);
const STREAMS = ['assets', 'vulnerabilities', 'compliance'];
/** Overrides the runner's row cap per page (SYNC_MAX_ROWS), for both the floor and the sync. */
const MAX_ROWS = process.env.SYNC_MAX_ROWS ? { maxRowsPerPage: Number(process.env.SYNC_MAX_ROWS) } : {};
const MiB = 1024 * 1024;
const self = fileURLToPath(import.meta.url);
const cli = fileURLToPath(new URL('../bin/tanium-bridge.js', import.meta.url));
const dbArg = process.argv.indexOf('--db');
/** The PostgreSQL URL to sync into (the orchestrator passes it on to each sync worker). */
const DB = dbArg > 1 ? process.argv[dbArg + 1] : process.env.BENCH_SYNC_DB;
const STORE_NAME = DB ? 'PostgreSQL' : 'SQLite';
/** BENCH_CPU_PROF=DIR writes a CPU profile of every measured process (floor, syncs, clients) into DIR. */
const PROFILE = process.env.BENCH_CPU_PROF
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
  : [];

if (process.argv[2] === '--worker') await worker(process.argv[3], process.argv[4], process.argv[5]);
else {
  if (dbArg > 1 && !DB?.startsWith('postgres')) {
    console.error('--db needs a PostgreSQL URL, e.g. --db postgres://postgres@127.0.0.1:5432/test');
    process.exit(2);
  }
  if (DB) process.env.BENCH_SYNC_DB = DB;
  const sections = (process.env.SYNC_SECTIONS ?? (DB ? 'scale' : 'side,scale,incremental')).split(',');
  if (sections.includes('side')) await sideBySide({ run, startEmulator, self });
  if (sections.includes('scale')) await orchestrate();
  if (sections.includes('incremental')) await incremental({ run, startEmulator, self });
}

async function worker(kind, url, token) {
  if (kind.startsWith('plain:')) return plainWorker(Number(kind.slice(6)), url, token);
  if (kind === 'incremental') return incrementalWorker(url, token);
  const { createTaniumClient } = await import('../dist/sdk/index.js');
  const { PageSizer, DEFAULT_PAGE_SIZE } = await import('../dist/sync/pageSize.js');
  const client = createTaniumClient({ baseUrl: url, token });
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, 50);
  const started = performance.now();
  let result;
  let uncounted = { ms: 0, cpuMs: 0 };
  if (kind === 'floor') {
    // The sync's own reader (streamed pages, chunks, the next page asked for at pageInfo), nothing stored.
    const { PageReader } = await import('../dist/sync/fetchPages.js');
    const sizer = new PageSizer(DEFAULT_PAGE_SIZE.min, { ...DEFAULT_PAGE_SIZE, ...MAX_ROWS });
    const lease = { check() {}, claim: () => null };
    const reader = new PageReader({
      client,
      sizer,
      lease,
      active: STREAMS,
      streamOptions: { sensors: [] },
      since: null,
      emit() {},
      onRefused: async () => undefined,
      maxPageFailures: 5,
      maxRestarts: 0,
      stream: true,
    });
    reader.start(null, null);
    let endpoints = 0;
    let rows = 0;
    let pages = 0;
    let pageEdges = 0;
    let pageRows = 0;
    for (;;) {
      const received = await reader.next();
      const page = received.page;
      let chunkRows = page.edges.length;
      for (const { node } of page.edges)
        chunkRows += node.compliance.cveFindings.length + node.compliance.complianceFindings.length;
      pageEdges += page.edges.length;
      pageRows += chunkRows;
      sizer.see(page.edges.length, chunkRows);
      if (!received.more) {
        sizer.observe(received.ms, pageEdges, pageRows, received.asked, received.streamed);
        pageEdges = 0;
        pageRows = 0;
        pages++;
      }
      endpoints += page.edges.length;
      rows += chunkRows;
      sample();
      reader.follow(page, page.edges.at(-1)?.node.id ?? null, received.more);
      if (!received.more && !page.pageInfo.hasNextPage) break;
    }
    result = { endpoints, rows, pages };
  } else {
    const { runSync } = await import('../dist/sync/runner.js');
    const { store, dispose } = await openBenchStore();
    await store.connections.upsert({ name: 'bench', kind: 'server', address: url }, new Date().toISOString());
    const rssAt = [];
    let waitMs = 0;
    let storeMs = 0;
    const sizes = [];
    // `sync`: the default (`sync --full`, one collection); `sync:auto`: `--parallel auto`; `sync:K`: K.
    const pinned = kind.startsWith('sync:') ? kind.slice(5) : undefined;
    const parallel = pinned === undefined ? undefined : pinned === 'auto' ? 'auto' : Number(pinned);
    const summary = await runSync({
      store,
      client,
      connection: 'bench',
      streams: STREAMS,
      full: true,
      pageSize: MAX_ROWS,
      ...(parallel === undefined ? {} : { parallel }),
      onEvent: (event) => {
        if (event.event === 'page') {
          sample();
          rssAt.push([event.endpoints, process.memoryUsage.rss()]);
          waitMs += event.waitMs;
          sizes.push(event.pageSize);
          storeMs += event.storeMs;
        }
      },
    });
    // Counting the stored rows checks the result; it is not part of the sync, and the plain client
    // counts nothing: its time and CPU are taken out of the figures below.
    const countStarted = performance.now();
    const countCpu = process.cpuUsage();
    const counts = {};
    for (const s of STREAMS) counts[s] = await store.sync.count('bench', s);
    const counted = process.cpuUsage(countCpu);
    uncounted = { ms: performance.now() - countStarted, cpuMs: (counted.user + counted.system) / 1000 };
    await dispose();
    result = {
      endpoints: summary.endpoints,
      pages: summary.pages,
      counts,
      streams: summary.streams,
      waitMs,
      storeMs,
      largestPage: Math.max(...sizes),
      rssQuarter: rssAt[Math.floor(rssAt.length / 4)]?.[1] ?? 0,
      rssEnd: rssAt.at(-1)?.[1] ?? 0,
    };
  }
  const ms = performance.now() - started - uncounted.ms;
  const cpu = process.cpuUsage();
  result.cpuMs = (cpu.user + cpu.system) / 1000 - uncounted.cpuMs;
  clearInterval(timer);
  sample();
  await client.close();
  process.stdout.write(
    `${JSON.stringify({ ...result, ms, peakRss: peak, maxRss: process.resourceUsage().maxRSS * 1024 })}\n`,
  );
}

/** A fresh store for one sync: a SQLite file in a temporary folder, or a PostgreSQL schema of its own. */
async function openBenchStore() {
  if (!DB) {
    const { SqliteStore } = await import('../dist/store/sqlite/sqliteStore.js');
    const dir = mkdtempSync(join(tmpdir(), 'tb-bench-sync-'));
    const store = SqliteStore.open(join(dir, 'bridge.db'));
    return {
      store,
      async dispose() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const { PostgresStore } = await import('../dist/store/postgres/postgresStore.js');
  const named = new URL(DB).searchParams.has('schema');
  const schema = `tb_bench_${process.pid}_${Date.now().toString(36)}`;
  const store = await PostgresStore.open(named ? DB : `${DB}${DB.includes('?') ? '&' : '?'}schema=${schema}`);
  return {
    store,
    async dispose() {
      // Only a schema this run created is dropped.
      if (!named) await store.session.query(`DROP SCHEMA "${schema}" CASCADE`);
      await store.close();
    },
  };
}

/** The plain reference client (bench/plainClient.mjs) with pages of `pageSize`, in its own process. */
async function plainWorker(pageSize, url, token) {
  const dir = mkdtempSync(join(tmpdir(), 'tb-bench-plain-'));
  const started = performance.now();
  const result = await plainSync({ url, token, pageSize, file: join(dir, 'plain.db') });
  const ms = performance.now() - started;
  rmSync(dir, { recursive: true, force: true });
  const cpu = process.cpuUsage();
  process.stdout.write(
    `${JSON.stringify({ ...result, ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRss: process.resourceUsage().maxRSS * 1024 })}\n`,
  );
}

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...PROFILE, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1))) : reject(new Error(`exit ${code}`)),
    );
  });
}

function startEmulator(endpoints, extra = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [cli, 'emulator', '--port', '0', '--json', '--endpoints', String(endpoints), ...extra],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve({ child, ...JSON.parse(out.split('\n')[0]) });
    });
    child.on('error', reject);
  });
}

async function truth(url) {
  const reply = await fetch(`${url}/__emulator/truth`);
  return reply.json();
}

async function fleet(endpoints, withFloor) {
  const emulator = await startEmulator(endpoints);
  try {
    const expected = await truth(emulator.url);
    const floor = withFloor
      ? await run([self, '--worker', 'floor', emulator.url, emulator.token])
      : undefined;
    const sync = await run([self, '--worker', 'sync', emulator.url, emulator.token]);
    return { expected, floor, sync };
  } finally {
    emulator.child.kill('SIGTERM');
  }
}

async function orchestrate() {
  const small = await fleet(SMALL, true);
  const { floor, sync, expected } = small;
  const rows = Object.values(sync.counts).reduce((a, b) => a + b, 0);
  const perS = (n, ms) => Math.round((n / ms) * 1000);
  console.log(
    `fleet ${SMALL.toLocaleString()} endpoints: truth ${expected.endpoints} endpoints, ${expected.cveFindings} CVE findings, ${expected.complianceFindings} compliance findings`,
  );
  console.log(
    `floor (fetch + parse, no store): ${(floor.ms / 1000).toFixed(1)} s, ${perS(floor.endpoints, floor.ms)} endpoints/s, ${perS(floor.rows, floor.ms)} rows/s, peak RSS ${(floor.peakRss / MiB).toFixed(0)} MiB`,
  );
  console.log(
    `full sync into ${`${STORE_NAME}:`.padEnd(18)}${(sync.ms / 1000).toFixed(1)} s, ${perS(sync.endpoints, sync.ms)} endpoints/s, ${perS(rows, sync.ms)} rows/s, ${sync.pages} pages, peak RSS ${(sync.peakRss / MiB).toFixed(0)} MiB`,
  );
  console.log(
    `  sync time waiting for pages ${(sync.waitMs / 1000).toFixed(1)} s, in page transactions ${(sync.storeMs / 1000).toFixed(1)} s; CPU: floor ${(floor.cpuMs / 1000).toFixed(1)} s, sync ${(sync.cpuMs / 1000).toFixed(1)} s`,
  );
  for (const [stream, n] of Object.entries(sync.counts)) {
    const want = {
      assets: expected.endpoints,
      vulnerabilities: expected.cveFindings,
      compliance: expected.complianceFindings,
    }[stream];
    const diff = n - want;
    // The emulator's clock runs during the sync: the truth is read a moment before the collection's snapshot.
    const verdict =
      diff === 0 ? 'equals truth' : `truth ${want} (${diff > 0 ? '+' : ''}${diff}: emulator time moved)`;
    console.log(
      `  ${stream.padEnd(16)} ${String(n).padStart(9)} rows  ${String(perS(n, sync.ms)).padStart(7)} rows/s  ${verdict}`,
    );
  }
  console.log(
    `  RSS after a quarter of the pages ${(sync.rssQuarter / MiB).toFixed(0)} MiB, after the last ${(sync.rssEnd / MiB).toFixed(0)} MiB`,
  );
  const ratio = sync.ms / floor.ms;
  console.log(`ratio sync/floor: ${ratio.toFixed(2)} (target <= 1.50: ${ratio <= 1.5 ? 'met' : 'MISSED'})`);
  console.log(
    `peak RSS: ${(sync.peakRss / MiB).toFixed(0)} MiB (target < 256 MiB: ${sync.peakRss < 256 * MiB ? 'met' : 'MISSED'})`,
  );
  if (BIG > 0) {
    const big = await fleet(BIG, false);
    const bigRows = Object.values(big.sync.counts).reduce((a, b) => a + b, 0);
    console.log(
      `\nfleet ${BIG.toLocaleString()} endpoints: full sync ${(big.sync.ms / 1000).toFixed(1)} s, ${perS(big.sync.endpoints, big.sync.ms)} endpoints/s, ${perS(bigRows, big.sync.ms)} rows/s, peak RSS ${(big.sync.peakRss / MiB).toFixed(0)} MiB`,
    );
    for (const [stream, n] of Object.entries(big.sync.counts))
      console.log(
        `  ${stream.padEnd(16)} ${String(n).padStart(9)} rows  ${String(perS(n, big.sync.ms)).padStart(7)} rows/s`,
      );
    console.log(
      `  RSS after a quarter of the pages ${(big.sync.rssQuarter / MiB).toFixed(0)} MiB, after the last ${(big.sync.rssEnd / MiB).toFixed(0)} MiB`,
    );
    const growth = (big.sync.peakRss - sync.peakRss) / MiB;
    console.log(
      `memory ${SMALL.toLocaleString()} vs ${BIG.toLocaleString()} endpoints: ${(sync.peakRss / MiB).toFixed(0)} vs ${(big.sync.peakRss / MiB).toFixed(0)} MiB (${growth >= 0 ? '+' : ''}${growth.toFixed(0)} MiB)`,
    );
  }
}
