// Start-up benchmark: `--help` and `status` of the built CLI against a bare `node -e 0` measured in the
// same run, interleaved so that load on a shared machine hits every case alike. Prints the median,
// min and max wall time of each, and the difference and ratio of medians against the floor.
// Goal: `--help` and `status` each at most 150 ms over the floor. Run with `npm run bench:startup` (STARTUP_RUNS overrides).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.STARTUP_RUNS ?? 15);
const GOAL_MS = 150;
const cli = fileURLToPath(new URL('../bin/tanium-bridge.js', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'tanium-bridge-startup-'));

const cases = [
  { name: 'node -e 0 (floor)', args: ['-e', '0'] },
  { name: '--help', args: [cli, '--help'], goal: true },
  { name: 'status', args: [cli, 'status', '--home', home], goal: true },
  // No goal: shown so that a command's own start-up cost (here the sync stack) stays visible.
  { name: 'sync --help', args: [cli, 'sync', '--help'], goal: false },
];

function once(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

const times = cases.map(() => []);
once(cases[2].args); // creates the store once, so every timed `status` opens an existing one
for (let run = 0; run < RUNS; run++) for (const [i, c] of cases.entries()) times[i].push(once(c.args));
rmSync(home, { recursive: true, force: true });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const floor = median(times[0]);
console.log(`start-up over ${RUNS} interleaved runs (ms: median [min-max])`);
let missed = false;
for (const [i, c] of cases.entries()) {
  const m = median(times[i]);
  const range = `[${Math.min(...times[i]).toFixed(0)}-${Math.max(...times[i]).toFixed(0)}]`;
  if (i === 0) {
    console.log(`  ${c.name.padEnd(20)} ${m.toFixed(0).padStart(5)} ${range}`);
    continue;
  }
  const over = m - floor;
  const ok = over <= GOAL_MS;
  if (c.goal && !ok) missed = true;
  const verdict = c.goal ? `${ok ? 'within' : 'MISSES'} the ${GOAL_MS} ms goal` : '(no goal)';
  console.log(
    `  ${c.name.padEnd(20)} ${m.toFixed(0).padStart(5)} ${range}  +${over.toFixed(0)} ms, ${(m / floor).toFixed(2)}x the floor  ${verdict}`,
  );
}
if (missed) process.exitCode = 1;
