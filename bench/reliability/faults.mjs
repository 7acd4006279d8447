// A full sync (its own process, real SQLite file) while the emulator injects one kind of fault on 5%
// of Gateway requests, then all kinds at once: the run must complete in one go and the store must
// equal a fault-free sync of the same pages.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { clearFaults, connectedHome, digest, GATEWAY, runStatuses, setFaults, stats, Tally } from './kit.mjs';

const WORKER = fileURLToPath(new URL('./syncWorker.mjs', import.meta.url));
export const PAGE = 25;
export const KINDS = [
  'status:500',
  'status:503',
  'status:429',
  'reset',
  'truncate',
  'graphql-error',
  'expire-cursor',
];

function worker(home) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, home, String(PAGE)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      err += c;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1);
      resolve({ code, ...(line ? JSON.parse(line) : { ok: false, error: err.trim() }) });
    });
  });
}

/** The floor: the same small-page sync with no faults (its digest and time). */
export async function cleanWorkerSync(emu) {
  const home = await connectedHome(emu.url, emu.token);
  const started = performance.now();
  const result = await worker(home);
  if (!result.ok) throw new Error(`the clean small-page sync failed: ${result.error}`);
  return { ms: performance.now() - started, pages: result.pages, digest: await digest(home) };
}

export async function faultRuns(emu, floor, { repeats }) {
  const t = new Tally(`5% injected faults on the Gateway (pages of ${PAGE})`);
  const cases = [...KINDS.map((k) => [k]), KINDS];
  const slowest = { ratio: 0, label: '' };
  for (const kinds of cases) {
    const label = kinds.length === 1 ? kinds[0] : 'all kinds at once';
    let injected = 0;
    for (let r = 0; r < repeats; r++) {
      // Rules placed after r rules that never match draw from other streams: another fault pattern.
      const spacers = Array.from({ length: r }, (_, i) => ({
        path: `/never-${i}`,
        fault: 'reset',
        count: 1,
      }));
      await setFaults(emu, [...spacers, ...kinds.map((fault) => ({ path: GATEWAY, fault, rate: 0.05 }))]);
      const home = await connectedHome(emu.url, emu.token);
      const started = performance.now();
      const result = await worker(home);
      const ratio = (performance.now() - started) / floor.ms;
      if (ratio > slowest.ratio) Object.assign(slowest, { ratio, label });
      injected += (await stats(emu)).faults.total;
      t.check(`${label}: complete in one run`, result.ok, result.error);
      const runs = runStatuses(home);
      t.check(
        `${label}: one run, recorded complete`,
        runs.length === 1 && runs[0].status === 'complete',
        JSON.stringify(runs),
      );
      t.check(`${label}: store equals the fault-free sync`, (await digest(home)) === floor.digest);
      if (kinds.includes('expire-cursor'))
        t.check(
          `${label}: no restart from page 1 (resumed after the last id)`,
          result.restarts === 0,
          `${result.restarts} restarts`,
        );
    }
    t.note(`${label}: ${injected} faults injected over ${repeats} runs`);
  }
  await clearFaults(emu);
  t.note(`slowest faulty run: ${slowest.ratio.toFixed(2)}× the fault-free floor (${slowest.label})`);
  return t;
}
