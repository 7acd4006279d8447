/**
 * The CVE catalogue: a fixed, deterministic list (the same for every fleet) of CVE records with CVSS v2 and v3
 * scores, severities consistent with the scores (NVD's bands), a summary, CISA KEV flags and EPSS scores.
 * Each CVE applies to one platform or, for cross-platform applications, to several.
 */
import { below, h2, key, pick, unit } from '../hash.js';
import type { CveSeverity, CveSeverityV3, EndpointPlatform } from '../types.js';

export const CVE_CATALOGUE_SIZE = 4000;
const CATALOGUE_SEED = 0x7a11_0003;

export interface CveRecord {
  cveId: string;
  cveYear: string;
  cvssScore: number | null;
  cvssScoreV3: number | null;
  severity: CveSeverity;
  severityV3: CveSeverityV3;
  summary: string;
  isCisaKev: boolean;
  epssScore: number;
  /** bit mask: 1 Windows, 2 Mac, 4 Linux */
  platforms: number;
}

interface Product {
  name: string;
  platforms: number;
}

const WIN = 1;
const MAC = 2;
const LINUX = 4;

const PRODUCTS: readonly Product[] = [
  { name: 'Windows Kernel', platforms: WIN },
  { name: 'Windows SMB Server', platforms: WIN },
  { name: 'Windows Print Spooler', platforms: WIN },
  { name: 'Windows Remote Desktop Services', platforms: WIN },
  { name: 'Windows NTLM', platforms: WIN },
  { name: 'Windows Hyper-V', platforms: WIN },
  { name: 'Microsoft Office', platforms: WIN | MAC },
  { name: 'Microsoft Edge (Chromium-based)', platforms: WIN | MAC },
  { name: '.NET Framework', platforms: WIN },
  { name: 'macOS Kernel', platforms: MAC },
  { name: 'WebKit', platforms: MAC },
  { name: 'Safari', platforms: MAC },
  { name: 'CoreGraphics', platforms: MAC },
  { name: 'Linux kernel', platforms: LINUX },
  { name: 'OpenSSL', platforms: LINUX | MAC },
  { name: 'OpenSSH', platforms: LINUX | MAC },
  { name: 'glibc', platforms: LINUX },
  { name: 'sudo', platforms: LINUX | MAC },
  { name: 'systemd', platforms: LINUX },
  { name: 'curl', platforms: LINUX | MAC | WIN },
  { name: 'Google Chrome', platforms: WIN | MAC | LINUX },
  { name: 'Mozilla Firefox', platforms: WIN | MAC | LINUX },
  { name: 'Zoom Workplace', platforms: WIN | MAC },
  { name: 'Adobe Acrobat Reader', platforms: WIN | MAC },
  { name: 'Oracle Java SE', platforms: WIN | MAC | LINUX },
  { name: 'Python', platforms: WIN | MAC | LINUX },
  { name: 'Git', platforms: WIN | MAC | LINUX },
  { name: '7-Zip', platforms: WIN },
];

const WEAKNESSES: readonly { text: string; impact: string }[] = [
  {
    text: 'A use-after-free',
    impact: 'allows a remote attacker to execute arbitrary code via a crafted file',
  },
  { text: 'A heap-based buffer overflow', impact: 'allows a remote attacker to execute arbitrary code' },
  { text: 'An out-of-bounds read', impact: 'allows a local attacker to disclose sensitive memory' },
  { text: 'An improper privilege management issue', impact: 'allows a local user to gain SYSTEM privileges' },
  {
    text: 'An improper input validation flaw',
    impact: 'allows a remote attacker to cause a denial of service',
  },
  {
    text: 'A type confusion',
    impact: 'allows a remote attacker to execute arbitrary code via a crafted web page',
  },
  { text: 'An authentication bypass', impact: 'allows an unauthenticated attacker to gain access' },
  { text: 'A race condition', impact: 'allows a local attacker to elevate privileges' },
  { text: 'A security feature bypass', impact: 'allows an attacker to bypass a protection mechanism' },
  {
    text: 'An information disclosure flaw',
    impact: 'allows an attacker to read files outside the intended directory',
  },
];

const YEARS: readonly { year: number; weight: number }[] = [
  { year: 2016, weight: 1 },
  { year: 2017, weight: 2 },
  { year: 2018, weight: 2 },
  { year: 2019, weight: 3 },
  { year: 2020, weight: 4 },
  { year: 2021, weight: 5 },
  { year: 2022, weight: 6 },
  { year: 2023, weight: 8 },
  { year: 2024, weight: 10 },
  { year: 2025, weight: 6 },
];

/** NVD CVSS v2 bands. */
export function severityV2(score: number | null): CveSeverity {
  if (score === null) return 'Unscored';
  if (score < 4) return 'Low';
  if (score < 7) return 'Medium';
  return 'High';
}

/** NVD CVSS v3 bands. */
export function severityV3(score: number | null): CveSeverityV3 {
  if (score === null) return 'Unscored';
  if (score === 0) return 'None';
  if (score < 4) return 'Low';
  if (score < 7) return 'Medium';
  if (score < 9) return 'High';
  return 'Critical';
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function pickYear(x: number): number {
  let total = 0;
  for (const y of YEARS) total += y.weight;
  let target = unit(x) * total;
  for (const y of YEARS) {
    target -= y.weight;
    if (target < 0) return y.year;
  }
  return 2024;
}

function buildCatalogue(): CveRecord[] {
  const k = key(CATALOGUE_SEED, 1);
  const seen = new Set<string>();
  const out: CveRecord[] = [];
  for (let n = 0; out.length < CVE_CATALOGUE_SIZE; n++) {
    const year = pickYear(h2(k, n, 0));
    const number = 1000 + below(h2(k, n, 1), year >= 2020 ? 49000 : 19000);
    const cveId = `CVE-${year}-${String(number).padStart(4, '0')}`;
    if (seen.has(cveId)) continue;
    seen.add(cveId);
    const band = unit(h2(k, n, 2));
    const v3base =
      band < 0.14
        ? 9 + unit(h2(k, n, 3))
        : band < 0.55
          ? 7 + 2 * unit(h2(k, n, 3))
          : band < 0.93
            ? 4 + 3 * unit(h2(k, n, 3))
            : 1.5 + 2.4 * unit(h2(k, n, 3));
    const v3: number | null = year <= 2016 && unit(h2(k, n, 4)) < 0.3 ? null : Math.min(10, round1(v3base));
    const v2: number | null =
      year >= 2022 && unit(h2(k, n, 5)) < 0.9
        ? null
        : Math.max(1.2, Math.min(10, round1(v3base - 0.8 + 1.4 * unit(h2(k, n, 6)))));
    const kev = unit(h2(k, n, 7)) < (v3 !== null && v3 >= 9 ? 0.12 : 0.02);
    const product = pick(h2(k, n, 8), PRODUCTS);
    const weakness = pick(h2(k, n, 9), WEAKNESSES);
    const epss = kev ? 0.2 + 0.78 * unit(h2(k, n, 10)) : unit(h2(k, n, 10)) ** 6 * 0.9 + 0.0004;
    out.push({
      cveId,
      cveYear: String(year),
      cvssScore: v2,
      cvssScoreV3: v3,
      severity: severityV2(v2),
      severityV3: severityV3(v3),
      summary: `${weakness.text} in ${product.name} ${weakness.impact}.`,
      isCisaKev: kev,
      epssScore: Math.round(epss * 100000) / 100000,
      platforms: product.platforms,
    });
  }
  return out;
}

/** The catalogue, built once per process (a few milliseconds). */
export const CVES: readonly CveRecord[] = buildCatalogue();

const PLATFORM_BIT: Partial<Record<EndpointPlatform, number>> = { Windows: WIN, Mac: MAC, Linux: LINUX };

function indexFor(bit: number): Int32Array {
  const list: number[] = [];
  CVES.forEach((cve, n) => {
    if ((cve.platforms & bit) !== 0) list.push(n);
  });
  return Int32Array.from(list);
}

const BY_PLATFORM = new Map<number, Int32Array>([WIN, MAC, LINUX].map((bit) => [bit, indexFor(bit)]));

/** Catalogue indices of the CVEs that apply to a platform. */
export function cvesForPlatform(platform: EndpointPlatform): Int32Array {
  return BY_PLATFORM.get(PLATFORM_BIT[platform] ?? 0) ?? new Int32Array(0);
}

/** Looks up a CVE by id (for the Comply CVE library). */
export function cveById(cveId: string): CveRecord | undefined {
  return CVES.find((c) => c.cveId === cveId);
}
