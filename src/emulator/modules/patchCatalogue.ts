import { between, DAY, iso, pick, SEED_EPOCH_MS, seededRandom } from './seeded.js';

/** The tenant's patch catalogue, shared by the Patch REST API and the Gateway's `patchDefinitions`. */
export const SEVERITIES = ['Critical', 'Important', 'Moderate', 'Low', 'None'] as const;

export interface Patch {
  taniumUid: string;
  title: string;
  kbArticles: string;
  cveIds: string;
  severity: (typeof SEVERITIES)[number];
  classification: string;
  product: string;
  osType: 'windows' | 'linux';
  releaseDate: string;
  sizeInBytes: number;
  isSuperseded: boolean;
  applicabilityCount: number;
  createdAt: string;
  updatedAt: string;
}

/** 180 seeded patches (two thirds Windows, one third Linux), the same on every start. */
export function seedPatches(): Patch[] {
  const random = seededRandom(17);
  return Array.from({ length: 180 }, (_, i) => {
    const windows = i % 3 !== 2;
    const released = SEED_EPOCH_MS - between(random, 1, 720) * DAY;
    const kb = 5_000_000 + i * 137;
    const year = new Date(released).getUTCFullYear();
    return {
      taniumUid: `${windows ? 'win' : 'lnx'}-${String(i + 1).padStart(5, '0')}`,
      title: windows
        ? `${year}-${String(1 + (i % 12)).padStart(2, '0')} Cumulative Update for Windows 11 (KB${kb})`
        : `RHSA-${year}:${1000 + i} ${pick(random, ['openssl', 'kernel', 'glibc', 'sudo', 'curl'])} security update`,
      kbArticles: windows ? `KB${kb}` : '',
      cveIds: `CVE-${year}-${between(random, 1000, 49999)}`,
      severity: pick(random, SEVERITIES),
      classification: windows
        ? pick(random, ['Security Updates', 'Critical Updates', 'Updates'])
        : 'Security',
      product: windows ? 'Windows 11' : 'Red Hat Enterprise Linux 9',
      osType: windows ? 'windows' : 'linux',
      releaseDate: iso(released),
      sizeInBytes: between(random, 1, 900) * 1_048_576,
      isSuperseded: random() < 0.2,
      applicabilityCount: random() < 0.6 ? between(random, 1, 250) : 0,
      createdAt: iso(released + DAY),
      updatedAt: iso(released + DAY),
    };
  });
}
