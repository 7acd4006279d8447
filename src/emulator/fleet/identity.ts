/**
 * Identity, hardware, network and software of endpoint i: stable for the endpoint's life except the
 * readings that move with its scans (disk use, CPU load). Ids are unique by construction: `id` grows with
 * the index; computer ID, serial number and system UUID come from a bijective hash of the index.
 */
import { APPLICATIONS } from './catalogue/applications.js';
import { SERVICE_ACCOUNTS } from './catalogue/people.js';
import type { FleetContext } from './context.js';
import { below, h1, h2, h3, pick, unit } from './hash.js';
import { type Profile, profileOf } from './profile.js';
import type {
  EndpointDisk,
  EndpointOS,
  EndpointService,
  EndpointUser,
  InstalledApplication,
  Memory,
  Networking,
  Processor,
} from './types.js';

export const DOMAIN = 'example.com';
const ID_BASE = 1_000_000_000;
const ID_STEP = 13;

export interface Identity {
  id: string;
  computerID: string;
  name: string;
  domainName: string;
  serialNumber: string;
  systemUUID: string;
  manufacturer: string;
  model: string;
  chassisType: string;
  ipAddress: string;
  ipAddresses: string[];
  macAddresses: string[];
  namespace: string;
  lastLoggedInUser: string;
  primaryUser: EndpointUser;
  isVirtual: boolean;
  isEncrypted: boolean;
  os: EndpointOS;
  memory: Memory;
  processor: Processor;
}

/** Gateway endpoint id (EID): a numeric string that grows with the index, so index order is id order. */
export function endpointId(c: FleetContext, i: number): string {
  return String(ID_BASE + i * ID_STEP + below(h1(c.k.identity, i), ID_STEP));
}

/** The index of an endpoint id, or -1 when the id cannot belong to this fleet. */
export function indexOfId(c: FleetContext, id: string): number {
  if (!/^\d{10,}$/.test(id)) return -1;
  const i = Math.floor((Number(id) - ID_BASE) / ID_STEP);
  return i >= 0 && i < c.capacity && endpointId(c, i) === id ? i : -1;
}

function hex(x: number, width: number): string {
  return (x >>> 0)
    .toString(16)
    .padStart(8, '0')
    .slice(8 - width);
}

function macAddress(oui: string, low24: number): string {
  const b = [(low24 >>> 16) & 255, (low24 >>> 8) & 255, low24 & 255];
  return `${oui}:${b.map((x) => x.toString(16).padStart(2, '0')).join(':')}`;
}

function ipv4(i: number): string {
  const rest = Math.floor(i / 250);
  return `10.${Math.floor(rest / 256) % 256}.${rest % 256}.${(i % 250) + 2}`;
}

function userName(p: Profile): string {
  return `${p.firstName[0]}${p.lastName}`.toLowerCase();
}

export function identityOf(c: FleetContext, i: number, p: Profile = profileOf(c, i)): Identity {
  const { kind, hardware, os } = p;
  const unique = h1(c.k.serial, i);
  const id = endpointId(c, i);
  let computerID = String(h1(c.k.computerId, i));
  if (computerID === id) computerID = String(h1(c.k.computerId, i) ^ 1);
  const low24 = (Math.imul(i, 0x9e3779b1 | 1) + c.seed) & 0xffffff;
  const macs = [macAddress(hardware.oui, low24)];
  if (kind.role === 'server') macs.push(macAddress('00:1b:21', low24));
  const ip = ipv4(i);
  const ips = [ip];
  const net = h1(c.k.network, i);
  if (kind.role === 'workstation' && unit(h2(c.k.network, i, 0)) < 0.2)
    ips.push(`100.64.${(i >>> 8) & 255}.${i & 255}`);
  if (unit(net) < 0.35)
    ips.push(
      `fe80::${hex(h2(c.k.network, i, 1), 4)}:${hex(h2(c.k.network, i, 2), 4)}:${hex(unique, 4)}:${hex(unique >>> 16, 4)}`,
    );
  if (unit(net) < 0.15)
    ips.push(`2001:db8:${hex(i >>> 16, 4)}:${hex(i, 4)}::${hex(h2(c.k.network, i, 3), 4)}`);
  const server = kind.role === 'server';
  const user = userName(p);
  const account = pick(h2(c.k.user, i, 4), SERVICE_ACCOUNTS);
  const mb = pick(h2(c.k.hardware, i, 2), hardware.memoryMb);
  const cpu = pick(h2(c.k.hardware, i, 3), hardware.cpus);
  return {
    id,
    computerID,
    name: `${kind.prefix}-${String(i).padStart(5, '0')}.${DOMAIN}`,
    domainName: DOMAIN,
    serialNumber: `${hardware.serialPrefix}${unique.toString(36).toUpperCase().padStart(7, '0')}`,
    systemUUID:
      `${hex(unique, 8)}-${hex(h2(c.k.serial, i, 1), 4)}-4${hex(h2(c.k.serial, i, 2), 3)}-${hex(0x8000 | (h2(c.k.serial, i, 3) & 0x3fff), 4)}-${hex(h2(c.k.serial, i, 4), 4)}${hex(h2(c.k.serial, i, 5), 8)}`.toUpperCase(),
    manufacturer: hardware.manufacturer,
    model: hardware.model,
    chassisType: hardware.chassisType,
    ipAddress: ip,
    ipAddresses: ips,
    macAddresses: macs,
    namespace: '',
    lastLoggedInUser: server
      ? unit(h2(c.k.user, i, 5)) < 0.1
        ? ''
        : kind.platform === 'Windows'
          ? `EXAMPLE\\${account}`
          : account === 'admin'
            ? 'root'
            : account
      : kind.platform === 'Windows'
        ? `EXAMPLE\\${user}`
        : user,
    primaryUser: server
      ? { name: '', email: '', department: '', city: '', country: '', phoneNumber: '' }
      : {
          name: `${p.firstName} ${p.lastName}`,
          email: `${p.firstName}.${p.lastName}@${DOMAIN}`.toLowerCase(),
          department: p.department,
          city: p.office.city,
          country: p.office.country,
          phoneNumber: `${p.office.phone}${String(1000 + below(h2(c.k.user, i, 6), 9000))}`,
        },
    isVirtual: hardware.isVirtual,
    isEncrypted: unit(h2(c.k.hardware, i, 4)) < kind.encryptedShare,
    os: {
      name: os.name,
      generation: os.generation,
      platform: kind.platform,
      language: p.office.language,
      windows: os.windows === null ? null : { ...os.windows },
    },
    memory: { total: `${mb} MB`, ram: `${mb} MB` },
    processor: {
      cpu: cpu.cpu,
      speed: `${cpu.speedMhz} Mhz`,
      logicalProcessors: cpu.logical,
      architecture: cpu.architecture,
      manufacturer: cpu.manufacturer,
      family: cpu.family,
      cacheSize: cpu.cacheSize,
      consumption: `${1 + below(h2(c.k.hardware, i, 5), 40)} %`,
      highConsumption: '0',
      revision: String(below(h2(c.k.hardware, i, 6), 12)),
    },
  };
}

/** Disks; usage drifts with the endpoint's scans (`scanDay` = days since 1970 of its last scan). */
export function disksOf(
  c: FleetContext,
  i: number,
  scanDay: number,
  p: Profile = profileOf(c, i),
): EndpointDisk[] {
  const totalGb = pick(h2(c.k.hardware, i, 7), p.hardware.diskGb);
  const names = p.kind.platform === 'Windows' ? ['C:'] : p.kind.role === 'server' ? ['/', '/var'] : ['/'];
  return names.map((name, d) => {
    const total = d === 0 ? totalGb : Math.round(totalGb / 2);
    const base = 0.2 + 0.6 * unit(h3(c.k.hardware, i, 8, d));
    const drift = 0.1 * unit(h3(c.k.hardware, i, 9, Math.floor(scanDay / 7) * 8 + d));
    const used = Math.round(total * Math.min(0.97, base + drift));
    return {
      name,
      free: `${total - used} GB`,
      total: `${total} GB`,
      usedSpace: `${used} GB`,
      usedPercentage: `${Math.round((used / total) * 100)}%`,
    };
  });
}

export function networkingOf(identity: Identity, p: Profile): Networking {
  const wireless = p.hardware.chassisType === 'Notebook' || p.hardware.manufacturer === 'Apple Inc.';
  return {
    dnsServers: ['10.0.0.10', '10.0.0.11'],
    adapters: identity.macAddresses.map((mac, n) => ({
      name: wireless && n === 0 ? 'Intel(R) Wi-Fi 6E AX211 160MHz' : 'Intel(R) Ethernet Connection I219-LM',
      manufacturer: p.hardware.isVirtual ? p.hardware.manufacturer : 'Intel Corporation',
      type: wireless && n === 0 ? 'Wireless' : 'Ethernet 802.3',
      macAddress: mac,
      speed: wireless && n === 0 ? '866 Mbps' : '1000 Mbps',
      connectionId: wireless && n === 0 ? 'Wi-Fi' : n === 0 ? 'Ethernet' : `Ethernet ${n + 1}`,
    })),
    wirelessAdapters: wireless ? [{ ssid: 'EXAMPLE-CORP', state: 'CONNECTED' }] : [],
  };
}

const WINDOWS_SERVICES: readonly Omit<EndpointService, 'status'>[] = [
  { name: 'Tanium Client', displayName: 'Tanium Client', startupMode: 'AUTO' },
  { name: 'WinDefend', displayName: 'Microsoft Defender Antivirus Service', startupMode: 'AUTO' },
  { name: 'wuauserv', displayName: 'Windows Update', startupMode: 'MANUAL' },
  { name: 'BITS', displayName: 'Background Intelligent Transfer Service', startupMode: 'MANUAL' },
  { name: 'Spooler', displayName: 'Print Spooler', startupMode: 'AUTO' },
  { name: 'RemoteRegistry', displayName: 'Remote Registry', startupMode: 'DISABLED' },
];

/** Windows services (the Gateway field is Windows-only; other platforms have none). */
export function servicesOf(c: FleetContext, i: number, p: Profile): EndpointService[] {
  if (p.kind.platform !== 'Windows') return [];
  return WINDOWS_SERVICES.map((s, n) => ({
    ...s,
    status:
      s.startupMode === 'DISABLED' ||
      (s.name === 'Spooler' && p.kind.role === 'server') ||
      (s.startupMode === 'MANUAL' && unit(h2(c.k.sensor, i, n)) < 0.5)
        ? 'STOPPED'
        : 'RUNNING',
  }));
}

/**
 * The applications installed on endpoint i. With a patch `cycle` (`checkIns: 'frequent'`), each
 * application is upgraded every 2 to 8 patch cycles (its own period), so installs happen at patch cycles.
 */
export function installedApplicationsOf(
  c: FleetContext,
  i: number,
  p: Profile = profileOf(c, i),
  cycle?: number,
): InstalledApplication[] {
  const out: InstalledApplication[] = [];
  APPLICATIONS[p.kind.platform].forEach((app, n) => {
    if (app.share < 1 && unit(h2(c.k.apps, i, n)) >= app.share) return;
    const release = cycle === undefined ? 1 : 2 + Math.floor(cycle / (2 + below(h3(c.k.apps, i, n, 2), 7)));
    out.push({
      name: app.name,
      version: pick(h3(c.k.apps, i, n, release), app.versions),
      silentUninstallString: app.uninstall,
      uninstallable: app.uninstallable,
    });
  });
  return out;
}
