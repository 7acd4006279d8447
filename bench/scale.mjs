// Scale-out benchmark: 10 emulated tenants (one emulator process, tenant k at 127.0.0.k), one
// connection each, a first full sync of all of them by 1 worker against 2 workers on one PostgreSQL,
// and 1 worker running as many syncs at once as the 2 workers together. Each configuration gets a
// schema of its own (dropped after) and fresh workers; the time runs from the workers' start until
// every connection's full pass is recorded. The ratio is the speed-up of 2 workers over 1; the CPU
// seconds of the workers, the emulator and PostgreSQL's server processes (read from /proc) show what
// limits it on this machine. Prints figures, asserts nothing.
// Run with `npm run bench:scale` (SCALE_TENANTS, SCALE_ENDPOINTS, SCALE_CONCURRENCY override;
// `--db postgres://…` or BENCH_SCALE_DB names the server, default the local test database).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { cli, start } from './processes.mjs';

const TENANTS = Number(process.env.SCALE_TENANTS ?? 10);
const ENDPOINTS = Number(process.env.SCALE_ENDPOINTS ?? 2_000);
const CONCURRENCY = Number(process.env.SCALE_CONCURRENCY ?? 2);
const dbArg = process.argv.indexOf('--db');
const BASE =
  (dbArg > 1 ? process.argv[dbArg + 1] : process.env.BENCH_SCALE_DB) ??
  'postgres://postgres@127.0.0.1:5432/test';
if (!BASE.startsWith('postgres')) {
  console.error('--db needs a PostgreSQL URL, e.g. --db postgres://postgres@127.0.0.1:5432/test');
  process.exit(2);
}
const TICKS = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux
const { PostgresStore } = await import('../dist/store/postgres/postgresStore.js');
const { saveConnection } = await import('../dist/connections/connections.js');
const tempHome = () => mkdtempSync(join(tmpdir(), 'tb-bench-scale-'));

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

/** The PostgreSQL server's processes on this machine (their command name), for their CPU seconds. */
function postgresPids() {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    });
}

const sumCpu = (pids) => pids.reduce((total, pid) => total + cpuSeconds(pid), 0);

/** CPU seconds of the server's processes since `before` (per pid: backends come and go during a run). */
function postgresCpuSince(before) {
  let total = 0;
  for (const pid of postgresPids()) total += cpuSeconds(pid) - (before.get(pid) ?? 0);
  return total;
}

const postgresSnapshot = () => new Map(postgresPids().map((pid) => [pid, cpuSeconds(pid)]));

/**
 * What the workers' sessions are doing, sampled every 200 ms from pg_stat_activity (their own sessions
 * only, told apart by application_name), idle sessions left out: running on the CPU, waiting for a
 * lock, for I/O or the WAL, or idle in a transaction (the worker computing between two statements).
 */
function sampleSessions(admin, application) {
  const counts = new Map();
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const { rows } = await admin.query(
        "SELECT state, wait_event_type, wait_event FROM pg_stat_activity WHERE application_name LIKE $1 || '%'",
        [application],
      );
      for (const r of rows) {
        if (r.state === 'idle') continue;
        const key =
          r.state === 'active'
            ? r.wait_event_type
              ? `${r.wait_event_type}:${r.wait_event}`
              : 'cpu'
            : r.state;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      await sleep(200);
    }
  })();
  return async () => {
    stop = true;
    await loop;
    const total = [...counts.values()].reduce((a, b) => a + b, 0) || 1;
    return [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([k, n]) => `${k} ${Math.round((100 * n) / total)}%`)
      .join(', ');
  };
}

async function dropSchemas(schema) {
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`);
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await admin.end();
  }
}

/** One configuration: `workers` processes of `concurrency` syncs each, until every connection is synced. */
async function measure(tenants, emulatorPid, workers, concurrency) {
  const schema = `tb_bench_scale_${randomBytes(3).toString('hex')}`;
  const url = `${BASE}${BASE.includes('?') ? '&' : '?'}schema=${schema}`;
  const home = tempHome();
  const key = randomBytes(32).toString('base64');
  process.env.TANIUM_BRIDGE_MASTER_KEY = key;
  const store = await PostgresStore.open(url);
  const procs = [];
  try {
    for (const [i, tenant] of tenants.entries())
      await saveConnection(
        { store, home },
        { name: `t${i + 1}`, target: { kind: 'server', address: tenant.url }, token: tenant.token },
      );
    const before = { emulator: cpuSeconds(emulatorPid), postgres: postgresSnapshot() };
    const admin = new pg.Client({ connectionString: BASE });
    await admin.connect();
    const application = `tb-bench-${schema}`;
    const sessions = sampleSessions(admin, application);
    const started = performance.now();
    for (let w = 0; w < workers; w++) {
      const named = `${url}&application_name=${application}-${w + 1}`;
      const env = { TANIUM_BRIDGE_MASTER_KEY: key, TANIUM_BRIDGE_DB: named, TANIUM_BRIDGE_HOME: home };
      const args = [cli, 'worker', '--json', '--concurrency', String(concurrency), '--tick', '0.5s'];
      const proc = start([...args, '--jobs', 'reconcile', '--log-level', 'warn'], env);
      procs.push(proc);
      await proc.first;
    }
    for (;;) {
      const jobs = await Promise.all(tenants.map((_, i) => store.jobs.get(`t${i + 1}`, 'reconcile')));
      if (jobs.every((j) => j?.lastOutcome === 'ok')) break;
      const failed = jobs.find((j) => j?.lastOutcome === 'failed');
      if (failed) throw new Error(`${failed.connection}: ${failed.lastError}`);
      await sleep(100);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = {
      workers: sumCpu(procs.map((p) => p.child.pid)),
      emulator: cpuSeconds(emulatorPid) - before.emulator,
      postgres: postgresCpuSince(before.postgres),
    };
    const waits = await sessions();
    await admin.end();
    let rows = 0;
    for (let i = 0; i < tenants.length; i++) rows += await store.sync.count(`t${i + 1}`, 'assets');
    if (rows !== tenants.length * ENDPOINTS) throw new Error(`stored ${rows} endpoints`);
    return { workers, concurrency, seconds, cpu, waits };
  } finally {
    for (const proc of procs) proc.child.kill('SIGTERM');
    await Promise.all(
      procs.map((p) => new Promise((r) => (p.child.exitCode === null ? p.child.once('exit', r) : r()))),
    );
    await store.close();
    await dropSchemas(schema);
  }
}

function line(result, baseline) {
  const { workers, concurrency, seconds, cpu, waits } = result;
  const total = cpu.workers + cpu.emulator + cpu.postgres;
  const endpoints = TENANTS * ENDPOINTS;
  const share = (s) => `${Math.round((100 * s) / total)}%`;
  return [
    `${workers} worker${workers > 1 ? 's' : ' '} x ${concurrency} syncs:`,
    `${seconds.toFixed(1)} s,`,
    `${Math.round(endpoints / seconds)} endpoints/s,`,
    `speed-up ${(baseline.seconds / seconds).toFixed(2)};`,
    `CPU ${total.toFixed(1)} s = ${((100 * total) / (seconds * cpus().length)).toFixed(0)}% of ${cpus().length} cores`,
    `(workers ${share(cpu.workers)}, emulator ${share(cpu.emulator)}, PostgreSQL ${share(cpu.postgres)});`,
    `busy sessions: ${waits}`,
  ].join(' ');
}

const emulator = start([
  cli,
  'emulator',
  '--tenants',
  String(TENANTS),
  '--endpoints',
  String(ENDPOINTS),
  '--realism',
  '0',
  '--json',
]);
const { tenants } = await emulator.first;
try {
  console.log(
    `scale-out: ${TENANTS} tenants x ${ENDPOINTS} endpoints (assets, CVE and compliance findings), first full sync into PostgreSQL, ${cpus().length} cores`,
  );
  const one = await measure(tenants, emulator.child.pid, 1, CONCURRENCY);
  const two = await measure(tenants, emulator.child.pid, 2, CONCURRENCY);
  const oneWide = await measure(tenants, emulator.child.pid, 1, 2 * CONCURRENCY);
  console.log(line(one, one));
  console.log(line(two, one));
  console.log(line(oneWide, one));
  console.log(`ratio 2 workers / 1 worker (speed-up): ${(one.seconds / two.seconds).toFixed(2)}`);
  console.log(
    `ratio 2 workers / 1 worker with as many syncs at once: ${(oneWide.seconds / two.seconds).toFixed(2)}`,
  );
} finally {
  emulator.child.kill('SIGTERM');
}
