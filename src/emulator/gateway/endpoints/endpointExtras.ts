import type { Endpoint } from '../../fleet/index.js';

/**
 * Endpoint fields the fleet does not model itself, derived from what it does (platform, applications,
 * disks, memory): Deploy packages, Discover details, performance event counts, Microsoft Sentinel
 * details, the entity provider fields and the deprecated `diskSpace`, `software`, `memory.used*`.
 * Values are plausible and stable per endpoint; no test should read meaning into them.
 */
function hash(text: string): number {
  let h = 2166136261;
  for (let k = 0; k < text.length; k++) h = Math.imul(h ^ text.charCodeAt(k), 16777619);
  return h >>> 0;
}

const vendorOf = (name: string) => name.split(' ')[0] ?? name;
const isWindows = (e: Endpoint) => e.os.platform === 'Windows';
const notOn = (e: Endpoint) => `N/A on ${e.os.platform}`;

export function deployedSoftwarePackages(e: Endpoint) {
  return e.installedApplications.map((app) => ({
    id: String(hash(`${app.name} ${app.version}`) % 100_000),
    name: app.name,
    vendor: vendorOf(app.name),
    version: app.version,
    applicability: 'Installed',
    gallery: 'Yes',
  }));
}

export function software(e: Endpoint) {
  return e.installedApplications.map((app) => ({
    name: app.name,
    installedVersions: [
      {
        version: app.version,
        removable: app.uninstallable,
        softwarePackageID: String(hash(`${app.name} ${app.version}`) % 100_000),
      },
    ],
    installableVersions: [],
    updateToVersions: [],
  }));
}

export function discover(e: Endpoint) {
  return { discoverMethod: 'Managed', discoverProfile: null, natIpAddress: e.ipAddress, openPorts: [17472] };
}

export function eventCounts(e: Endpoint) {
  const h = hash(e.id);
  const cpu = h % 3;
  const disk = (h >>> 3) % 2;
  const memory = (h >>> 5) % 3;
  const network = (h >>> 7) % 2;
  const appCrash = (h >>> 9) % 2;
  return { all: cpu + disk + memory + network + appCrash, appCrash, cpu, disk, memory, network };
}

export function sentinel(e: Endpoint) {
  if (!isWindows(e)) {
    const na = notOn(e);
    return {
      sccmClient: { health: null, reason: null },
      windowsDefender: {
        antiSpywareEnabled: na,
        antivirusEnabled: na,
        antivirusSignatureUpdateAge: na,
        clientVersion: na,
        healthy: 'Microsoft Defender not installed',
        installed: 'False',
        processEnabled: '',
        processStartType: '',
        quickScanAge: na,
      },
    };
  }
  const h = hash(`${e.id} defender`);
  return {
    sccmClient: { health: 'Healthy', reason: null },
    windowsDefender: {
      antiSpywareEnabled: 'True',
      antivirusEnabled: 'True',
      antivirusSignatureUpdateAge: String(h % 3),
      clientVersion: '1.1.24090.11',
      healthy: 'True',
      installed: 'True',
      processEnabled: 'True',
      processStartType: 'Normal',
      quickScanAge: String((h >>> 4) % 7),
    },
  };
}

/** The deprecated single-disk field: the first drive, each value prefixed with its name (`C: 40 GB`). */
export function diskSpace(e: Endpoint) {
  const disk = e.disks[0];
  const prefix = (value: string | undefined) => `${disk?.name ?? ''} ${value ?? ''}`.trim();
  return {
    free: prefix(disk?.free),
    total: prefix(disk?.total),
    usedPercentage: prefix(disk?.usedPercentage),
    usedSpace: prefix(disk?.usedSpace),
  };
}

/** The deprecated `memory.used` and `memory.usedPercentage`, from the total and a stable share. */
export function memoryUse(memory: { total: string }, id: string) {
  const total = Number.parseInt(memory.total, 10) || 0;
  const share = 0.35 + (hash(`${id} memory`) % 50) / 100;
  return { used: `${Math.round(total * share)} MB`, usedPercentage: `${Math.round(share * 100)}%` };
}

/** The deprecated wireless adapter fields. */
export const WIRELESS_DEPRECATED = {
  authentication: 'WPA2-Enterprise',
  networkType: 'Infrastructure',
  radio: '802.11ax',
} as const;

export const ENTITY_PROVIDER = {
  entityProviderName: 'Tanium',
  entityProviderType: 'Tanium Client',
  entityType: 'Computer',
  isEndpoint: true,
} as const;
