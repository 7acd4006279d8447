/**
 * A small catalogue of Tanium sensors with readings derived from the fleet. Readings are what the endpoint
 * last reported (they move with its eidLastSeen). A small share of volatile readings is Tanium's placeholder
 * `[current result unavailable]`; empty single-value readings are `[no results]`.
 */

import { complianceFindings } from './complianceFindings.js';
import type { FleetContext } from './context.js';
import { cveFindings } from './cveFindings.js';
import { below, h2, h3, unit } from './hash.js';
import { disksOf, type Identity, identityOf, installedApplicationsOf } from './identity.js';
import { isOnline, lastScan, lastSeen } from './lifecycle.js';
import { type Profile, profileOf } from './profile.js';
import { sensorGap, tseError } from './realism.js';
import { lastRebootAt, patchCycle, reportKey } from './reports.js';
import { CRITICALITY_MULTIPLIER } from './risk.js';
import { DAY, HOUR } from './time.js';
import type { SensorParam, SensorReading } from './types.js';

export const NO_RESULTS = '[no results]';
export const UNAVAILABLE = '[current result unavailable]';

/** Thrown for a sensor name the tenant does not have; the message names the sensor. */
export class UnknownSensorError extends Error {
  constructor(readonly sensorName: string) {
    super(`Sensor "${sensorName}" does not exist: a sensor must refer to an existing sensor.`);
    this.name = 'UnknownSensorError';
  }
}

/** Thrown when a parameterised sensor is read without a required parameter. */
export class SensorParameterError extends Error {
  constructor(sensorName: string, parameter: string) {
    super(`Sensor "${sensorName}" requires the parameter "${parameter}".`);
    this.name = 'SensorParameterError';
  }
}

interface Reader {
  c: FleetContext;
  i: number;
  t: number;
  seen: number;
  /** what keys the report: the check-in, or its last data event (reports.ts) */
  key: number;
  /** the last patch cycle reported (`checkIns: 'frequent'` only: applications are upgraded then) */
  cycle: number | undefined;
  scan: number | null;
  p: Profile;
  id: Identity;
  params: ReadonlyMap<string, string>;
}

export interface SensorDefinition {
  name: string;
  category: string;
  description: string;
  valueType: 'String' | 'IPAddress' | 'DataSize' | 'NumericInteger' | 'DateTime' | 'Version';
  columns: readonly string[];
  parameters: readonly string[];
  /** volatile readings are sometimes `[current result unavailable]` */
  volatile: boolean;
  virtual: boolean;
  read: (r: Reader) => string[][];
}

const one = (value: string): string[][] => [[value === '' ? NO_RESULTS : value]];

function lastReboot(r: Reader): string {
  const at = lastRebootAt(r.c, r.i, r.seen);
  return new Date(Math.floor(at / 1000) * 1000).toUTCString().replace('GMT', '+0000');
}

function applicablePatches(r: Reader): string[][] {
  if (r.p.kind.platform !== 'Windows') return [[NO_RESULTS, NO_RESULTS, NO_RESULTS, NO_RESULTS]];
  if (r.scan === null) return [['No Scan Results Found', '', '', '']];
  const date = new Date(r.scan);
  const missing = Math.max(0, below(h3(r.c.k.sensor, r.i, 10, Math.floor(r.scan / (7 * DAY))), 6) - 2);
  if (missing === 0) return [['No Patches Required', '', '', '']];
  const rows: string[][] = [];
  for (let m = 0; m < missing; m++) {
    const month = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - m - 1, 10));
    const label = month.toISOString().slice(0, 7);
    const kb = `KB${5030000 + (month.getUTCFullYear() - 2023) * 12 * 37 + month.getUTCMonth() * 37}`;
    const product =
      r.p.os.windows?.type === 'Server'
        ? r.p.os.generation
        : `${r.p.os.generation} Version ${r.p.os.windows?.releaseId}`;
    rows.push([
      `${label} Cumulative Update for ${product} for x64-based Systems (${kb})`,
      kb,
      m === 0 ? 'Important' : 'Critical',
      month.toISOString().slice(0, 10),
    ]);
  }
  return rows;
}

function sensor(
  name: string,
  category: string,
  description: string,
  read: (r: Reader) => string[][],
  options: Partial<
    Pick<SensorDefinition, 'valueType' | 'columns' | 'parameters' | 'volatile' | 'virtual'>
  > = {},
): SensorDefinition {
  return {
    name,
    category,
    description,
    valueType: options.valueType ?? 'String',
    columns: options.columns ?? [name],
    parameters: options.parameters ?? [],
    volatile: options.volatile ?? false,
    virtual: options.virtual ?? false,
    read,
  };
}

export const SENSORS: readonly SensorDefinition[] = [
  sensor('Computer Name', 'Reserved', 'The assigned name of the client machine.', (r) => one(r.id.name)),
  sensor('Computer ID', 'Reserved', 'The Tanium Client computer ID.', (r) => one(r.id.computerID)),
  sensor('Computer Serial Number', 'Hardware', 'Serial number of the machine.', (r) =>
    one(r.id.serialNumber),
  ),
  sensor(
    'IP Address',
    'Network',
    'Current IP addresses of the client.',
    (r) => r.id.ipAddresses.map((a) => [a]),
    { valueType: 'IPAddress' },
  ),
  sensor(
    'Tanium Client IP Address',
    'Network',
    'IP address the Tanium Client uses.',
    (r) => one(r.id.ipAddress),
    { valueType: 'IPAddress' },
  ),
  sensor('Operating System', 'Operating System', 'The name of the operating system.', (r) =>
    one(r.id.os.name),
  ),
  sensor('OS Platform', 'Operating System', 'Windows, Linux or Mac.', (r) => one(r.id.os.platform)),
  sensor('Is Virtual', 'Hardware', 'Whether the machine is virtual: Yes or No.', (r) =>
    one(r.id.isVirtual ? 'Yes' : 'No'),
  ),
  sensor('Chassis Type', 'Hardware', 'The chassis type of the machine.', (r) => one(r.id.chassisType)),
  sensor('Manufacturer', 'Hardware', 'The machine manufacturer.', (r) => one(r.id.manufacturer)),
  sensor('Model', 'Hardware', 'The machine model.', (r) => one(r.id.model)),
  sensor('Last Logged In User', 'Users', 'The last user who logged in.', (r) => one(r.id.lastLoggedInUser)),
  sensor('Last Reboot', 'Operating System', 'Date and time of the last reboot.', (r) => one(lastReboot(r)), {
    valueType: 'DateTime',
    volatile: true,
  }),
  sensor('Total Memory', 'Hardware', 'Total physical memory.', (r) => one(r.id.memory.total), {
    valueType: 'DataSize',
  }),
  sensor('CPU', 'Hardware', 'The processor model.', (r) => one(r.id.processor.cpu)),
  sensor(
    'Disk Used Percentage',
    'Hardware',
    'Used space of each fixed disk.',
    (r) =>
      disksOf(r.c, r.i, Math.floor((r.scan ?? r.key) / DAY), r.p).map((d) => [
        `${d.name} ${d.usedPercentage}`,
      ]),
    { volatile: true },
  ),
  sensor(
    'Installed Applications',
    'Applications',
    'Applications installed on the machine.',
    (r) =>
      installedApplicationsOf(r.c, r.i, r.p, r.cycle).map((a) => [
        a.name,
        a.version,
        a.silentUninstallString,
        a.uninstallable ? 'Is Uninstallable' : 'Not Uninstallable',
      ]),
    { columns: ['Name', 'Version', 'Silent Uninstall String', 'Uninstallable'], volatile: true },
  ),
  sensor(
    'Applicable Patches',
    'Patch',
    'Patches applicable to the machine and not installed.',
    applicablePatches,
    {
      columns: ['Title', 'KB Articles', 'Severity', 'Release Date'],
      volatile: true,
    },
  ),
  sensor(
    'Endpoint Criticality with Level',
    'Reserved',
    'Endpoint criticality (Low, Medium, High, Critical) with its multiplier.',
    (r) =>
      unit(h2(r.c.k.placeholder, r.i, 99)) < 0.02
        ? [[NO_RESULTS, NO_RESULTS]]
        : [[r.p.criticality, String(CRITICALITY_MULTIPLIER[r.p.criticality])]],
    { columns: ['Criticality', 'Level'], virtual: true },
  ),
  sensor(
    'Online',
    'Reserved',
    'True when the endpoint is connected.',
    (r) => one(isOnline(r.c, r.i, r.t) ? 'True' : UNAVAILABLE),
    { virtual: true },
  ),
  sensor(
    'File Exists',
    'File System',
    'Whether a file exists at the given path.',
    (r) => {
      const path = r.params.get('filePath') ?? '';
      const exists = /tanium/i.test(path) || unit(h2(r.c.k.sensor, r.i, path.length + 100)) < 0.5;
      return one(`${exists ? 'File exists' : 'File does not exist'}: ${path}`);
    },
    { parameters: ['filePath'] },
  ),
  sensor(
    'Comply - Vulnerability Findings Details',
    'Comply',
    'CVE findings reported by Comply.',
    (r) => {
      const rows = cveFindings(r.c, r.i, r.scan).map((f) => [
        f.cveId,
        String(f.cvssScoreV3 ?? f.cvssScore ?? ''),
        f.severityV3,
        f.firstFound,
        f.lastFound,
      ]);
      return rows.length > 0 ? rows : [[NO_RESULTS, '', '', '', '']];
    },
    { columns: ['CVE ID', 'CVSS Score', 'Severity', 'First Found', 'Last Found'], virtual: true },
  ),
  sensor(
    'Comply - Compliance Findings Details',
    'Comply',
    'Compliance findings reported by Comply.',
    (r) => {
      const rows = complianceFindings(r.c, r.i, r.scan).map((f) => [
        f.id,
        f.rule,
        f.category,
        f.state,
        f.lastScanDate,
      ]);
      return rows.length > 0 ? rows : [[NO_RESULTS, '', '', '', '']];
    },
    { columns: ['Check ID', 'Rule', 'Category', 'State', 'Last Scan Date'], virtual: true },
  ),
];

const BY_NAME = new Map(SENSORS.map((s, n) => [s.name.toLowerCase(), { s, n }]));

/** The sensor named `name` (Tanium sensor names are case-insensitive), or undefined. */
export function findSensor(name: string): SensorDefinition | undefined {
  return BY_NAME.get(name.toLowerCase())?.s;
}

/** The sensor named `name` and its catalogue index, with its parameters checked. */
function sensorFor(name: string, params: readonly SensorParam[]) {
  const found = BY_NAME.get(name.toLowerCase());
  if (found === undefined) throw new UnknownSensorError(name);
  const map = new Map(params.map((p) => [p.name, p.value]));
  for (const param of found.s.parameters)
    if (!map.has(param)) throw new SensorParameterError(found.s.name, param);
  return { ...found, map };
}

/**
 * Reads a sensor on endpoint i at time t as the Gateway answers it: with realism, a sensor that runs on
 * the endpoint sometimes reads `TSE-Error: …` or `[current result unavailable]`. A server splits a
 * multi-column answer on the sensor's delimiter, and a placeholder has none: it fills the first column
 * and leaves the others empty.
 */
export function answerSensor(
  c: FleetContext,
  i: number,
  t: number,
  name: string,
  params: readonly SensorParam[] = [],
): SensorReading {
  const { s, n } = sensorFor(name, params);
  const key = reportKey(c, i, lastSeen(c, i, t));
  const gap = s.virtual ? null : sensorGap(c, i, key, n);
  if (gap === null) return readSensor(c, i, t, name, params);
  const first = gap === 'error' ? tseError(c, i, key, n) : UNAVAILABLE;
  return { columns: s.columns.map((column, k) => ({ name: column, values: [k === 0 ? first : ''] })) };
}

/** Reads a sensor on endpoint i at time t, as the endpoint has it (the endpoint must be live at t). */
export function readSensor(
  c: FleetContext,
  i: number,
  t: number,
  name: string,
  params: readonly SensorParam[] = [],
): SensorReading {
  const { s, n, map } = sensorFor(name, params);
  const seen = lastSeen(c, i, t);
  const key = reportKey(c, i, seen);
  const hourBucket = Math.floor(key / HOUR);
  let rows: string[][];
  if (s.volatile && unit(h3(c.k.placeholder, i, n, hourBucket)) < 0.01) {
    rows = [s.columns.map(() => UNAVAILABLE)];
  } else {
    const p = profileOf(c, i);
    const cycle = c.checkIns === 'frequent' ? patchCycle(c, i, seen) : undefined;
    const scan = lastScan(c, i, seen);
    rows = s.read({ c, i, t, seen, key, cycle, scan, p, id: identityOf(c, i, p), params: map });
  }
  return {
    columns: s.columns.map((column, k) => ({ name: column, values: rows.map((row) => row[k] ?? '') })),
  };
}
