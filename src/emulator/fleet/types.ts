/**
 * Plain data shapes the fleet hands out, named and typed as Tanium's Gateway names them
 * (`Endpoint`, `EndpointComplianceCveFinding`, `EndpointComplianceComplianceFinding`). Times are RFC 3339 strings.
 */

export type EndpointPlatform = 'Windows' | 'Linux' | 'Mac' | 'Solaris' | 'AIX' | 'Unknown';
export type RiskLevel = 'Low' | 'Medium' | 'High' | 'Critical';

export interface EndpointOSWindows {
  majorVersion: string;
  releaseId: string;
  type: string;
}

export interface EndpointOS {
  name: string;
  generation: string;
  platform: EndpointPlatform;
  language: string;
  /** Only Windows endpoints carry Windows details; others have `null`. */
  windows: EndpointOSWindows | null;
}

export interface EndpointUser {
  name: string;
  email: string;
  department: string;
  city: string;
  country: string;
  phoneNumber: string;
}

export interface Memory {
  total: string;
  ram: string;
}

export interface Processor {
  cpu: string;
  speed: string;
  logicalProcessors: number;
  architecture: string;
  manufacturer: string;
  family: string;
  cacheSize: string;
  consumption: string;
  highConsumption: string;
  revision: string;
}

export interface EndpointDisk {
  name: string;
  free: string;
  total: string;
  usedSpace: string;
  usedPercentage: string;
}

export interface NetworkAdapter {
  name: string;
  manufacturer: string;
  type: string;
  macAddress: string;
  speed: string;
  connectionId: string;
}

export interface Networking {
  dnsServers: string[];
  adapters: NetworkAdapter[];
  wirelessAdapters: { ssid: string; state: 'CONNECTED' | 'DISCONNECTED' | 'UNKNOWN' }[];
}

export interface EndpointService {
  name: string;
  displayName: string;
  /** Tanium's `EndpointServiceStatus` values (the two the fleet uses). */
  status: 'RUNNING' | 'STOPPED';
  /** Tanium's `EndpointServiceStartupMode` values (the three the fleet uses). */
  startupMode: 'AUTO' | 'MANUAL' | 'DISABLED';
}

export interface InstalledApplication {
  name: string;
  version: string;
  silentUninstallString: string;
  uninstallable: boolean;
}

/** Not in every published SDL; shape per reference section 8.2 (an assumption). */
export interface EndpointRisk {
  totalScore: number;
  riskLevel: RiskLevel;
  assetCriticality: RiskLevel;
  lastUpdated: string;
}

export interface Endpoint {
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
  eidFirstSeen: string;
  eidLastSeen: string;
  lastLoggedInUser: string;
  primaryUser: EndpointUser;
  isVirtual: boolean;
  isEncrypted: boolean;
  os: EndpointOS;
  memory: Memory;
  processor: Processor;
  disks: EndpointDisk[];
  networking: Networking;
  services: EndpointService[];
  installedApplications: InstalledApplication[];
  risk: EndpointRisk;
}

export type CveSeverity = 'Unscored' | 'Low' | 'Medium' | 'High';
export type CveSeverityV3 = 'Unscored' | 'None' | 'Low' | 'Medium' | 'High' | 'Critical';

export interface EndpointComplianceCveFinding {
  cveId: string;
  cveYear: string;
  /** CVSS v2 base score; `null` for CVEs NVD never scored under v2 (most since 2022). */
  cvssScore: number | null;
  cvssScoreV3: number | null;
  severity: CveSeverity;
  severityV3: CveSeverityV3;
  summary: string;
  firstFound: string;
  lastFound: string;
  absoluteFirstFoundDate: string;
  excepted: boolean;
  isCisaKev: boolean;
  epssScore: number;
}

export type ComplianceState = 'pass' | 'fail' | 'error' | 'notapplicable';

export interface EndpointComplianceComplianceFinding {
  id: string;
  ruleId: string;
  rule: string;
  category: string;
  state: ComplianceState;
  standard: string;
  standardVersion: string;
  profile: string;
  profileVersion: string;
  firstFoundDate: string;
  lastScanDate: string;
  excepted: boolean;
}

/** `sensorReadings` columns: one entry per column, with parallel `values` (row k across columns belongs together). */
export interface SensorReading {
  columns: { name: string; values: string[] }[];
}

export interface SensorParam {
  name: string;
  value: string;
}

export interface ComputerGroup {
  id: string;
  name: string;
  type: 'STANDARD' | 'MANUAL';
  expression: string;
  filterEnabled: boolean;
  managementRightsEnabled: boolean;
}

/**
 * What the Gateway's answers hold at one instant, where realism leaves gaps (docs/emulator.md). The
 * endpoints themselves still have their findings: `FleetTruth`'s other counts include them.
 */
export interface FleetAnswers {
  /** the realism share (0: every answer complete) */
  realism: number;
  /** live endpoints whose `compliance` is null */
  complianceNull: number;
  /** live endpoints whose CVE findings are not known (`compliance` or `compliance.cveFindings` null) */
  cveFindingsNull: number;
  /** live endpoints whose compliance findings are not known */
  complianceFindingsNull: number;
  /** live endpoints with at least one endpoint field answered null */
  endpointFieldsNull: number;
  /** findings in the lists the Gateway answers */
  cveFindings: number;
  complianceFindings: number;
}

/** Ground truth at one instant, for checking a sync against. */
export interface FleetTruth {
  /** the instant, RFC 3339 */
  at: string;
  endpoints: number;
  cveFindings: number;
  complianceFindings: number;
  complianceByState: Record<ComplianceState, number>;
  /** live endpoints whose eidLastSeen is more than 7 (30) days before the instant */
  staleOver7Days: number;
  staleOver30Days: number;
  /** endpoints retired since the fleet's epoch (no longer in the fleet) */
  retired: number;
  /** endpoints enrolled after the fleet's epoch (whether or not retired since) */
  enrolled: number;
  /** what the answers at this instant hold (with realism, less than the endpoints have) */
  answers: FleetAnswers;
}
