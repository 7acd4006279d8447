/** The dashboard's figures, computed from the streams' NDJSON exports (the whole filtered set). */

type Row = Record<string, unknown>;

export interface Bar {
  label: string;
  value: number;
}

export interface PassFail {
  category: string;
  pass: number;
  fail: number;
}

const SEVERITIES = ['Critical', 'High', 'Medium', 'Low', 'None'];

export function bySeverity(vulnerabilities: Row[]): Bar[] {
  const counts = new Map<string, number>(SEVERITIES.map((s) => [s, 0]));
  for (const v of vulnerabilities) {
    const raw = String(v['severity_v3'] ?? v['severity'] ?? 'None');
    const label = SEVERITIES.find((s) => s.toLowerCase() === raw.toLowerCase()) ?? 'None';
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, value]) => ({ label, value }));
}

const HOUR = 3_600_000;
const BUCKETS = [
  { label: '≤ 1 h', maxMs: HOUR },
  { label: '1-24 h', maxMs: 24 * HOUR },
  { label: '1-7 days', maxMs: 7 * 24 * HOUR },
  { label: '7-30 days', maxMs: 30 * 24 * HOUR },
  { label: '> 30 days', maxMs: Number.POSITIVE_INFINITY },
];

export function byLastSeen(assets: Row[], nowMs: number): Bar[] {
  const counts = BUCKETS.map((b) => ({ label: b.label, value: 0 }));
  let never = 0;
  for (const a of assets) {
    const seen = Date.parse(String(a['last_seen'] ?? ''));
    if (Number.isNaN(seen)) {
      never += 1;
      continue;
    }
    const index = BUCKETS.findIndex((b) => nowMs - seen <= b.maxMs);
    counts[index]!.value += 1;
  }
  return never > 0 ? [...counts, { label: 'never', value: never }] : counts;
}

export function complianceByCategory(compliance: Row[]): PassFail[] {
  const byCategory = new Map<string, PassFail>();
  for (const c of compliance) {
    const category = String(c['category'] ?? 'uncategorised');
    const entry = byCategory.get(category) ?? { category, pass: 0, fail: 0 };
    const state = String(c['state'] ?? '').toLowerCase();
    if (state === 'pass') entry.pass += 1;
    else if (state === 'fail') entry.fail += 1;
    byCategory.set(category, entry);
  }
  return [...byCategory.values()].sort((a, b) => b.fail + b.pass - (a.fail + a.pass));
}

/** The CVEs found on the most distinct endpoints. */
export function topCves(vulnerabilities: Row[], count = 10): Bar[] {
  const endpoints = new Map<string, Set<string>>();
  for (const v of vulnerabilities) {
    const cve = String(v['cve_id']);
    const set = endpoints.get(cve) ?? new Set<string>();
    set.add(String(v['endpoint_id']));
    endpoints.set(cve, set);
  }
  return [...endpoints]
    .map(([label, set]) => ({ label, value: set.size }))
    .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label))
    .slice(0, count);
}

export async function readNdjson(path: string): Promise<Row[]> {
  const response = await fetch(path, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Row);
}
