// Reliability campaign: an operator's bad day, against the emulator, with every store checked against
// a clean sync and the emulator's truth. kill -9 during sync at random moments (then integrity_check
// and the store compared with a clean sync); `rotate` killed at the moment the emulator commits the
// grant or the exchange, and the answer dropped after the commit, per method; two syncs planned at
// the same instant; several rotates at once; a rotation during a sync; 5% injected faults
// (500/503/429/reset/truncate/errors[]/expired cursor); ~80 malformed requests to the CLI and serve;
// a search of every file written for every token string. Prints, per check, how often it held and
// how often it did not. Times are given against floors measured in the same run (a clean sync).
//
// `npm run bench:reliability` (default: about 10 minutes on a busy 2-core machine). Bigger runs:
//   node bench/reliability.mjs --sync-kills 40 --rotate-kills 15 --drops 5 --sync-races 30 --fault-repeats 5
// Other flags: --endpoints N, --seed S, --processes N, --rotate-rounds N, --keep (keep the files).
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { badCli, badServe } from './reliability/badInput.mjs';
import { concurrentRotates, rotateDuringSync, twoSyncs } from './reliability/concurrency.mjs';
import { cleanWorkerSync, faultRuns } from './reliability/faults.mjs';
import { ROOT, random, startFrozenEmulator, Tally } from './reliability/kit.mjs';
import { rotationKills } from './reliability/rotationKills.mjs';
import { secretSearch } from './reliability/secrets.mjs';
import { cleanSync, syncKills } from './reliability/syncKills.mjs';

const { values: flags } = parseArgs({
  options: {
    endpoints: { type: 'string', default: '1500' },
    seed: { type: 'string', default: '7' },
    'sync-kills': { type: 'string', default: '12' },
    'rotate-kills': { type: 'string', default: '6' },
    drops: { type: 'string', default: '2' },
    'sync-races': { type: 'string', default: '6' },
    'rotate-rounds': { type: 'string', default: '2' },
    processes: { type: 'string', default: '4' },
    'fault-repeats': { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});
const n = (name) => Number(flags[name]);
const started = performance.now();
const rand = random(n('seed'));
const emu = await startFrozenEmulator({ endpoints: n('endpoints'), seed: n('seed') });
const tallies = [];
const section = async (label, work) => {
  const t0 = performance.now();
  process.stderr.write(`… ${label}\n`);
  const tally = await work();
  tallies.push(tally);
  process.stderr.write(`  done in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
};

/** The stores every later one is compared with, compared first with what the emulator holds. */
async function againstTruth(emu, syncs) {
  const t = new Tally("clean syncs against the emulator's truth");
  const truth = await (await fetch(`${emu.url}/__emulator/truth`)).json();
  const want = {
    assets: truth.endpoints,
    vulnerabilities: truth.cveFindings,
    compliance: truth.complianceFindings,
  };
  for (const [label, sync] of Object.entries(syncs)) {
    const counts = JSON.parse(sync.digest);
    for (const [stream, n] of Object.entries(want)) {
      const got = Number(counts[stream].split(':')[0]);
      t.check(`${label}: ${stream} rows equal the truth`, got === n, `${got} stored, ${n} in the truth`);
    }
    t.check(`${label} equals the other clean sync row for row`, sync.digest === clean.digest);
  }
  return t;
}

let clean;
let floor;
let malformed = 0;
try {
  clean = await cleanSync(emu);
  floor = await cleanWorkerSync(emu);
  tallies.push(await againstTruth(emu, { 'the clean CLI sync': clean, 'the small-page floor': floor }));
  await section('kill -9 during sync', () => syncKills(emu, clean, { kills: n('sync-kills'), rand }));
  await section('rotate kills and dropped answers', () =>
    rotationKills(emu, { kills: n('rotate-kills'), drops: n('drops'), rand }),
  );
  await section('two syncs at once', () => twoSyncs(emu, clean, { trials: n('sync-races') }));
  await section('rotates at once', () =>
    concurrentRotates(emu, { rounds: n('rotate-rounds'), processes: n('processes') }),
  );
  await section('rotate during sync', () => rotateDuringSync(emu, { rounds: n('rotate-rounds') }));
  await section('5% faults', () => faultRuns(emu, floor, { repeats: n('fault-repeats') }));
  await section('malformed CLI input', async () => {
    const { t, count } = await badCli(emu);
    malformed += count;
    return t;
  });
  await section('malformed serve requests', async () => {
    const { t, count } = await badServe(emu);
    malformed += count;
    return t;
  });
  await section('secret search', async () => secretSearch().t);
} finally {
  await emu.emulator.close();
}

console.log(
  `fleet ${n('endpoints')} endpoints (seed ${n('seed')}); clean CLI sync ${(clean.ms / 1000).toFixed(1)} s, ${clean.pages} pages; floor for faults: pages of 25, ${floor.pages} pages, ${(floor.ms / 1000).toFixed(1)} s`,
);
let held = 0;
let failed = 0;
for (const tally of tallies) {
  console.log(`\n${tally.section}`);
  for (const [name, c] of tally.checks) {
    held += c.held;
    failed += c.failed;
    const verdict = c.failed === 0 ? 'held' : 'DID NOT HOLD';
    console.log(`  ${verdict.padEnd(12)} ${String(c.held).padStart(4)}/${c.held + c.failed}  ${name}`);
    for (const d of c.details) console.log(`               e.g. ${d}`);
  }
  for (const note of tally.notes) console.log(`  · ${note}`);
}
console.log(
  `\n${held + failed} checks: ${held} held, ${failed} did not; ${malformed} malformed inputs; ${((performance.now() - started) / 1000 / 60).toFixed(1)} min`,
);
if (!flags.keep) rmSync(ROOT, { recursive: true, force: true });
else console.log(`files kept in ${ROOT}`);
