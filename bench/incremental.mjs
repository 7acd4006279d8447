// Incremental sync under the realistic check-in model: an emulator with `--check-ins frequent` (online
// endpoints check in every 1-5 minutes without any data change; data changes at scans and patch cycles,
// docs/emulator-fleet.md) in its own process. Each repeat, in a process of its own: a full pass into a
// fresh SQLite file, the emulator's clock moved on by INC_ADVANCE (17m: about 1% of the fleet has a data
// event, most of it checks in), then the incremental pass. Figures: the incremental's wall time as a
// fraction of the full pass's, the endpoints it read in full against those that changed (the emulator's
// truth, /__emulator/truth/changes), the check-ins it recorded; min/median/max of INC_REPEATS (3).
// INC_ENDPOINTS (20,000) overrides the fleet size.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ENDPOINTS = Number(process.env.INC_ENDPOINTS ?? 20_000);
const REPEATS = Number(process.env.INC_REPEATS ?? 3);
const ADVANCE = process.env.INC_ADVANCE ?? '17m';
const STREAMS = ['assets', 'vulnerabilities', 'compliance'];
const MiB = 1024 * 1024;

async function control(url, method, path, body) {
  const reply = await fetch(`${url}${path}`, {
    method,
    ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  if (!reply.ok) throw new Error(`${method} ${path}: ${reply.status} ${await reply.text()}`);
  return reply.json();
}

/** One repeat, in its own process: full pass, clock moved on, incremental pass. */
export async function incrementalWorker(url, token) {
  const { createTaniumClient } = await import('../dist/sdk/index.js');
  const { SqliteStore } = await import('../dist/store/sqlite/sqliteStore.js');
  const { runSync } = await import('../dist/sync/runner.js');
  const client = createTaniumClient({ baseUrl: url, token });
  const dir = mkdtempSync(join(tmpdir(), 'tb-bench-inc-'));
  const store = SqliteStore.open(join(dir, 'bridge.db'));
  await store.connections.upsert({ name: 'bench', kind: 'server', address: url }, new Date().toISOString());
  // Marks at the run's own events, for where an incremental run's time goes (`phases`).
  let marks = [];
  const onEvent = (e) => marks.push({ event: e.event, at: performance.now(), ms: e.ms });
  const sync = (full) => runSync({ store, client, connection: 'bench', streams: STREAMS, full, onEvent });
  let started = performance.now();
  const full = await sync(true);
  const fullMs = performance.now() - started;
  const { now: since } = await control(url, 'GET', '/__emulator/clock');
  await control(url, 'POST', '/__emulator/clock', { advance: ADVANCE });
  const changes = await control(url, 'GET', `/__emulator/truth/changes?since=${encodeURIComponent(since)}`);
  marks = [];
  started = performance.now();
  const incremental = await sync(false);
  const incMs = performance.now() - started;
  const phases = incrementalPhases(marks, started, incremental);
  // The group read alone, as the run's end does it (the same answers: the clock stands still).
  const { refreshPostureGroups } = await import('../dist/posture/refreshGroups.js');
  const groupsStarted = performance.now();
  await refreshPostureGroups(store, client, 'bench', new Date().toISOString());
  phases.groupsAloneMs = performance.now() - groupsStarted;
  const stored = await store.sync.count('bench', 'assets');
  const truth = await control(url, 'GET', '/__emulator/truth');
  await store.close();
  await client.close();
  rmSync(dir, { recursive: true, force: true });
  const result = {
    fullMs,
    incMs,
    incPassMs: incremental.durationMs,
    fullPassMs: full.durationMs,
    fullEndpoints: full.endpoints,
    mode: incremental.mode,
    read: incremental.endpoints,
    changed: changes.updated,
    checkedIn: changes.checkedIn,
    fleet: changes.endpoints,
    checkIns: incremental.checkIns,
    phases,
    stored,
    truthEndpoints: truth.endpoints,
    maxRss: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/**
 * An incremental run's phases from its events: start (lease, plan), check-ins read (up to the first
 * page event), changed endpoints' pages (with the changed ids' read and the check-ins recorded beside
 * them), check-ins recorded after them, and the run's end (sweep-free completion,
 * posture facts, the computer group read).
 */
function incrementalPhases(marks, started, summary) {
  const at = (name) => marks.find((m) => m.event === name)?.at;
  const pages = marks.filter((m) => m.event === 'page');
  const checkIns = marks.find((m) => m.event === 'check-ins');
  const start = at('start') ?? started;
  const readMs = summary.checkIns?.durationMs ?? 0;
  const lastPage = pages.at(-1)?.at ?? start + readMs;
  const end = at('done') ?? performance.now();
  return {
    startMs: start - started,
    checkInsReadMs: readMs,
    pagesMs: lastPage - start - readMs,
    checkInsRecordMs: (checkIns?.at ?? lastPage) - lastPage,
    endMs: end - (checkIns?.at ?? lastPage),
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs, f) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${f(s[0])}/${f(median(s))}/${f(s.at(-1))}`;
};

/** The bench section: one emulator, REPEATS worker processes, one line per figure. */
export async function incremental({ run, startEmulator, self }) {
  const emulator = await startEmulator(ENDPOINTS, ['--check-ins', 'frequent']);
  const results = [];
  try {
    for (let k = 0; k < REPEATS; k++)
      results.push(await run([self, '--worker', 'incremental', emulator.url, emulator.token]));
  } finally {
    emulator.child.kill('SIGTERM');
  }
  const s = (ms) => (ms / 1000).toFixed(2);
  const pct = (x) => `${(x * 100).toFixed(1)}%`;
  const x = (v) => `${v.toFixed(2)}x`;
  console.log(
    `\nincremental, ${ENDPOINTS.toLocaleString()} endpoints, check-ins every 1-5 min, clock moved ${ADVANCE} after a full pass (min/median/max of ${REPEATS}):`,
  );
  for (const r of results)
    console.log(
      `  full ${s(r.fullMs)} s (pass ${s(r.fullPassMs)} s); incremental ${s(r.incMs)} s (${pct(r.incMs / r.fullMs)}; pass ${s(r.incPassMs)} s, ${pct(r.incPassMs / r.fullPassMs)}), ${r.mode}: ` +
        `${r.checkIns?.endpoints ?? 0} check-ins read in ${r.checkIns?.pages ?? 0} pages (${r.checkedIn} of ${r.fleet} checked in; ${r.checkIns?.early ?? 0} recorded beside the pages), ` +
        `${r.read} endpoints read in full for ${r.changed} changed (${x(r.read / Math.max(1, r.changed))}); stored ${r.stored}, truth ${r.truthEndpoints}; peak RSS ${(r.maxRss / MiB).toFixed(0)} MiB`,
    );
  for (const r of results)
    console.log(
      `    phases s: start ${s(r.phases.startMs)}, check-ins read ${s(r.phases.checkInsReadMs)}, changed pages (ids, early check-ins) ${s(r.phases.pagesMs)}, ` +
        `check-ins recorded after ${s(r.phases.checkInsRecordMs)}, end of run (completion, posture facts, groups) ${s(r.phases.endMs)}; group read alone ${s(r.phases.groupsAloneMs)}`,
    );
  const fraction = results.map((r) => r.incMs / r.fullMs);
  const readRatio = results.map((r) => r.read / Math.max(1, r.changed));
  console.log(
    `  full pass wall s:          ${spread(
      results.map((r) => r.fullMs),
      s,
    )}`,
  );
  console.log(
    `  incremental wall s:        ${spread(
      results.map((r) => r.incMs),
      s,
    )}`,
  );
  console.log(
    `  passes only (no posture refresh after the run): full ${spread(
      results.map((r) => r.fullPassMs),
      s,
    )} s, incremental ${spread(
      results.map((r) => r.incPassMs),
      s,
    )} s, ${spread(
      results.map((r) => r.incPassMs / r.fullPassMs),
      pct,
    )}`,
  );
  console.log(
    `  changed endpoints (share): ${spread(
      results.map((r) => r.changed / r.fleet),
      pct,
    )}`,
  );
  console.log(
    `  incremental / full:        ${spread(fraction, pct)} (goal <= 5%: ${median(fraction) <= 0.05 ? 'met' : 'MISSED'})`,
  );
  console.log(
    `  read / changed:            ${spread(readRatio, x)} (goal <= 3x: ${median(readRatio) <= 3 ? 'met' : 'MISSED'})`,
  );
}
