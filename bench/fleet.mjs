// Fleet benchmark: startup, truth, eidLastSeen filter and endpoint materialisation at 500,000 endpoints.
// Run with `npm run bench:fleet`. Ratios are against a floor measured in the same run: iterating the same
// number of indices computing one 32-bit hash each (the least any per-endpoint pass can cost).
import { createFleet } from '../dist/emulator/fleet/index.js';

const SIZE = Number(process.env.FLEET_SIZE ?? 500_000);
const MATERIALISE = Number(process.env.FLEET_MATERIALISE ?? 100_000);
const DAY = 86_400_000;
const MiB = 1024 * 1024;

let peakHeap = 0;
const sample = () => {
  const heap = process.memoryUsage().heapUsed;
  if (heap > peakHeap) peakHeap = heap;
};
const sampler = setInterval(sample, 20);

function time(fn) {
  const start = process.hrtime.bigint();
  const result = fn();
  sample();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

function mix(x) {
  let a = x >>> 0;
  a ^= a >>> 16;
  a = Math.imul(a, 0x7feb352d);
  a ^= a >>> 15;
  a = Math.imul(a, 0x846ca68b);
  a ^= a >>> 16;
  return a >>> 0;
}

globalThis.gc?.();
const baseHeap = process.memoryUsage().heapUsed;
// Floor: one hash per index over the fleet's capacity (size x 1.25).
const floor = time(() => {
  let acc = 0;
  for (let i = 0; i < SIZE * 1.25; i++) acc ^= mix(i ^ 0x9e3779b9);
  return acc;
});

const startup = time(() => {
  const fleet = createFleet({ size: SIZE, seed: 'bench' });
  return { fleet, count: fleet.view(fleet.epoch).count() };
});
const { fleet } = startup.result;
const truth0 = time(() => fleet.view(fleet.epoch).truth());
const truth1 = time(() => fleet.view(fleet.epoch + DAY).truth());
const later = fleet.view(fleet.epoch + DAY);
const filter = time(() => later.seenSince(fleet.epoch + DAY - 3_600_000, 'GT').length);

const live = later.live();
const mat = time(() => {
  let findings = 0;
  let bytes = 0;
  for (let k = 0; k < MATERIALISE; k++) {
    const i = live[k % live.length];
    const endpoint = later.endpoint(i);
    const cves = later.cveFindings(i);
    findings += cves.length;
    if (k % 1000 === 0) bytes += JSON.stringify({ ...endpoint, compliance: { cveFindings: cves } }).length;
  }
  return { findings, bytes };
});
clearInterval(sampler);
const usage = process.resourceUsage();

const perEndpoint = (ms, n) => `${((ms * 1e6) / n).toFixed(0)} ns/endpoint`;
const ratio = (ms) => `${(ms / floor.ms).toFixed(0)}x floor`;
const rows = [
  ['floor: one hash per index', `${floor.ms.toFixed(1)} ms`, perEndpoint(floor.ms, SIZE * 1.25), '1x'],
  [
    'startup: create + count at epoch',
    `${startup.ms.toFixed(0)} ms`,
    perEndpoint(startup.ms, SIZE * 1.25),
    ratio(startup.ms),
  ],
  ['truth at epoch', `${truth0.ms.toFixed(0)} ms`, perEndpoint(truth0.ms, SIZE), ratio(truth0.ms)],
  ['truth at epoch + 1 day', `${truth1.ms.toFixed(0)} ms`, perEndpoint(truth1.ms, SIZE), ratio(truth1.ms)],
  [
    'eidLastSeen GT (now - 1 h) filter',
    `${filter.ms.toFixed(0)} ms`,
    perEndpoint(filter.ms, live.length),
    ratio(filter.ms),
  ],
  [
    `materialise ${MATERIALISE.toLocaleString('en')} endpoints + CVE findings`,
    `${mat.ms.toFixed(0)} ms`,
    `${Math.round((MATERIALISE / mat.ms) * 1000).toLocaleString('en')} endpoints/s`,
    ratio(mat.ms),
  ],
];
console.log(
  `fleet bench: ${SIZE.toLocaleString('en')} endpoints (capacity ${fleet.capacity.toLocaleString('en')}), Node ${process.version}`,
);
for (const row of rows)
  console.log(`  ${row[0].padEnd(52)} ${row[1].padStart(10)}  ${row[2].padStart(22)}  ${row[3]}`);
const t = truth1.result;
console.log(
  `  truth at +1 day: ${t.endpoints} endpoints, ${t.cveFindings} CVE findings, ${t.complianceFindings} compliance findings, ` +
    `stale >7 d ${t.staleOver7Days}, >30 d ${t.staleOver30Days}, retired ${t.retired}, enrolled ${t.enrolled}`,
);
console.log(
  `  ${filter.result} endpoints seen in the last hour; ${mat.result.findings} CVE findings materialised; ~${Math.round(mat.result.bytes / (MATERIALISE / 1000) / 1024)} KiB JSON per endpoint with CVEs (sampled)`,
);
console.log(
  `  memory: peak RSS ${(usage.maxRSS / 1024).toFixed(0)} MiB, peak heap ${(peakHeap / MiB).toFixed(0)} MiB (${((peakHeap - baseHeap) / MiB).toFixed(0)} MiB above the start)`,
);
