/**
 * Endpoint kinds, operating systems and hardware. The mix is 70% Windows, 15% Mac, 15% Linux; among Windows
 * a fifth are servers, among Linux three fifths. Every choice carries a weight; names follow what Tanium's
 * Core Content sensors print.
 */
import type { EndpointOSWindows, EndpointPlatform } from '../types.js';

export type Role = 'workstation' | 'server';

export interface OsChoice {
  weight: number;
  name: string;
  generation: string;
  windows: EndpointOSWindows | null;
  /** key of the compliance benchmark this OS is evaluated against */
  benchmark: string;
}

export interface HardwareChoice {
  weight: number;
  manufacturer: string;
  model: string;
  chassisType: string;
  isVirtual: boolean;
  /** first three octets of MAC addresses */
  oui: string;
  /** serial number prefix; the rest is derived from the endpoint */
  serialPrefix: string;
  cpus: readonly CpuChoice[];
  memoryMb: readonly number[];
  diskGb: readonly number[];
}

export interface CpuChoice {
  cpu: string;
  speedMhz: number;
  logical: number;
  architecture: string;
  manufacturer: string;
  family: string;
  cacheSize: string;
}

export interface Kind {
  key: string;
  platform: EndpointPlatform;
  role: Role;
  /** host name prefix: `ws-00042.example.com` */
  prefix: string;
  weight: number;
  os: readonly OsChoice[];
  physical: readonly HardwareChoice[];
  virtual: readonly HardwareChoice[];
  /** share of endpoints of this kind on virtual hardware */
  virtualShare: number;
  /** share with full-disk encryption */
  encryptedShare: number;
}

const INTEL_LAPTOP: readonly CpuChoice[] = [
  cpu(
    'Intel(R) Core(TM) i5-1145G7 @ 2.60GHz',
    2600,
    8,
    'x64',
    'GenuineIntel',
    'Intel64 Family 6 Model 140',
    '8192 KB',
  ),
  cpu(
    'Intel(R) Core(TM) i7-1185G7 @ 3.00GHz',
    3000,
    8,
    'x64',
    'GenuineIntel',
    'Intel64 Family 6 Model 140',
    '12288 KB',
  ),
  cpu(
    '13th Gen Intel(R) Core(TM) i7-1365U',
    1800,
    12,
    'x64',
    'GenuineIntel',
    'Intel64 Family 6 Model 186',
    '12288 KB',
  ),
];
const INTEL_DESKTOP: readonly CpuChoice[] = [
  cpu(
    'Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz',
    2900,
    16,
    'x64',
    'GenuineIntel',
    'Intel64 Family 6 Model 165',
    '16384 KB',
  ),
  cpu(
    '12th Gen Intel(R) Core(TM) i5-12500',
    3000,
    12,
    'x64',
    'GenuineIntel',
    'Intel64 Family 6 Model 151',
    '18432 KB',
  ),
];
const XEON: readonly CpuChoice[] = [
  cpu(
    'Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz',
    2000,
    64,
    'x64',
    'GenuineIntel',
    'Intel64 Family 6 Model 106',
    '49152 KB',
  ),
  cpu(
    'Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz',
    2400,
    32,
    'x64',
    'GenuineIntel',
    'Intel64 Family 6 Model 106',
    '24576 KB',
  ),
];
const VCPU: readonly CpuChoice[] = [
  cpu(
    'Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz',
    2500,
    2,
    'x64',
    'GenuineIntel',
    'Intel64 Family 6 Model 85',
    '36608 KB',
  ),
  cpu(
    'Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz',
    2500,
    4,
    'x64',
    'GenuineIntel',
    'Intel64 Family 6 Model 85',
    '36608 KB',
  ),
  cpu('AMD EPYC 7R13 Processor', 2650, 8, 'x64', 'AuthenticAMD', 'AMD64 Family 25 Model 1', '32768 KB'),
];
const APPLE_SILICON: readonly CpuChoice[] = [
  cpu('Apple M1 Pro', 3228, 10, 'arm64', 'Apple', 'Apple M1', '12288 KB'),
  cpu('Apple M2', 3490, 8, 'arm64', 'Apple', 'Apple M2', '16384 KB'),
  cpu('Apple M3 Pro', 4050, 12, 'arm64', 'Apple', 'Apple M3', '16384 KB'),
];

function cpu(
  name: string,
  speedMhz: number,
  logical: number,
  architecture: string,
  manufacturer: string,
  family: string,
  cacheSize: string,
): CpuChoice {
  return { cpu: name, speedMhz, logical, architecture, manufacturer, family, cacheSize };
}

function hw(
  weight: number,
  manufacturer: string,
  model: string,
  chassisType: string,
  oui: string,
  serialPrefix: string,
  cpus: readonly CpuChoice[],
  memoryMb: readonly number[],
  diskGb: readonly number[],
  isVirtual = false,
): HardwareChoice {
  return { weight, manufacturer, model, chassisType, isVirtual, oui, serialPrefix, cpus, memoryMb, diskGb };
}

const VIRTUAL: readonly HardwareChoice[] = [
  hw(
    5,
    'VMware, Inc.',
    'VMware7,1',
    'Virtual',
    '00:50:56',
    'VMware-',
    VCPU,
    [4096, 8192, 16384],
    [60, 100],
    true,
  ),
  hw(
    2,
    'Microsoft Corporation',
    'Virtual Machine',
    'Virtual',
    '00:15:5d',
    'HV-',
    VCPU,
    [4096, 8192],
    [80, 128],
    true,
  ),
  hw(3, 'Amazon EC2', 'm5.xlarge', 'Virtual', '0a:5e:1b', 'ec2', VCPU, [8192, 16384, 32768], [50, 100], true),
];

const WIN_WS_HW: readonly HardwareChoice[] = [
  hw(4, 'Dell Inc.', 'Latitude 5440', 'Notebook', 'd4:81:d7', '', INTEL_LAPTOP, [16384, 32768], [256, 512]),
  hw(2, 'Dell Inc.', 'OptiPlex 7090', 'Desktop', 'b0:7b:25', '', INTEL_DESKTOP, [16384], [512]),
  hw(3, 'LENOVO', '21AH00BHUS', 'Notebook', '54:ee:75', 'PF', INTEL_LAPTOP, [16384, 32768], [512]),
  hw(
    3,
    'HP',
    'HP EliteBook 840 G8 Notebook PC',
    'Notebook',
    '3c:52:82',
    '5CG',
    INTEL_LAPTOP,
    [16384],
    [256, 512],
  ),
];
const SERVER_HW: readonly HardwareChoice[] = [
  hw(3, 'Dell Inc.', 'PowerEdge R750', 'Server', 'f4:02:70', '', XEON, [65536, 131072, 262144], [480, 960]),
  hw(2, 'HPE', 'ProLiant DL380 Gen10', 'Server', '94:40:c9', 'CZ', XEON, [65536, 131072], [600, 1200]),
];
const MAC_HW: readonly HardwareChoice[] = [
  hw(
    5,
    'Apple Inc.',
    'MacBook Pro (14-inch, 2021)',
    'MacBookPro18,3',
    '3c:22:fb',
    'C02',
    APPLE_SILICON,
    [16384, 32768],
    [512, 1024],
  ),
  hw(
    3,
    'Apple Inc.',
    'MacBook Air (M2, 2022)',
    'Mac14,2',
    'f0:18:98',
    'FVF',
    APPLE_SILICON,
    [8192, 16384],
    [256, 512],
  ),
  hw(1, 'Apple Inc.', 'Mac mini (2023)', 'Mac14,3', 'a4:83:e7', 'H7W', APPLE_SILICON, [16384], [512]),
];
const LINUX_WS_HW: readonly HardwareChoice[] = [
  hw(2, 'Dell Inc.', 'Precision 5570', 'Notebook', 'd4:81:d7', '', INTEL_LAPTOP, [32768, 65536], [1024]),
  hw(1, 'LENOVO', '20XW00FCUS', 'Notebook', '54:ee:75', 'PF', INTEL_LAPTOP, [16384, 32768], [512]),
];

function os(
  weight: number,
  name: string,
  generation: string,
  benchmark: string,
  windows: EndpointOSWindows | null = null,
): OsChoice {
  return { weight, name, generation, windows, benchmark };
}

function win(releaseId: string, type: 'Workstation' | 'Server'): EndpointOSWindows {
  return { majorVersion: '10', releaseId, type };
}

export const KINDS: readonly Kind[] = [
  {
    key: 'windows-workstation',
    platform: 'Windows',
    role: 'workstation',
    prefix: 'ws',
    weight: 0.56,
    os: [
      os(4, 'Windows 11 Enterprise', 'Windows 11', 'cis-win11', win('23H2', 'Workstation')),
      os(2, 'Windows 11 Enterprise', 'Windows 11', 'cis-win11', win('22H2', 'Workstation')),
      os(3, 'Windows 10 Enterprise', 'Windows 10', 'cis-win10', win('22H2', 'Workstation')),
      os(1, 'Windows 10 Enterprise', 'Windows 10', 'cis-win10', win('21H2', 'Workstation')),
    ],
    physical: WIN_WS_HW,
    virtual: VIRTUAL,
    virtualShare: 0.05,
    encryptedShare: 0.93,
  },
  {
    key: 'windows-server',
    platform: 'Windows',
    role: 'server',
    prefix: 'srv',
    weight: 0.14,
    os: [
      os(5, 'Windows Server 2022 Standard', 'Windows Server 2022', 'cis-ws2022', win('21H2', 'Server')),
      os(3, 'Windows Server 2019 Datacenter', 'Windows Server 2019', 'cis-ws2019', win('1809', 'Server')),
      os(1, 'Windows Server 2016 Standard', 'Windows Server 2016', 'cis-ws2019', win('1607', 'Server')),
    ],
    physical: SERVER_HW,
    virtual: VIRTUAL,
    virtualShare: 0.7,
    encryptedShare: 0.4,
  },
  {
    key: 'mac',
    platform: 'Mac',
    role: 'workstation',
    prefix: 'mac',
    weight: 0.15,
    os: [
      os(4, 'macOS 14.6.1 Sonoma', 'macOS 14', 'cis-macos14'),
      os(3, 'macOS 15.1 Sequoia', 'macOS 15', 'cis-macos14'),
      os(2, 'macOS 13.6.9 Ventura', 'macOS 13', 'cis-macos14'),
    ],
    physical: MAC_HW,
    virtual: MAC_HW,
    virtualShare: 0,
    encryptedShare: 0.97,
  },
  {
    key: 'linux-server',
    platform: 'Linux',
    role: 'server',
    prefix: 'srv',
    weight: 0.09,
    os: [
      os(4, 'Ubuntu 22.04.4 LTS', 'Ubuntu 22.04', 'cis-ubuntu2204'),
      os(2, 'Ubuntu 20.04.6 LTS', 'Ubuntu 20.04', 'cis-ubuntu2204'),
      os(3, 'Red Hat Enterprise Linux release 9.3 (Plow)', 'RHEL 9', 'stig-rhel9'),
      os(2, 'Red Hat Enterprise Linux release 8.9 (Ootpa)', 'RHEL 8', 'stig-rhel9'),
      os(1, 'Amazon Linux release 2023.4.20240528 (Amazon Linux)', 'Amazon Linux 2023', 'cis-ubuntu2204'),
    ],
    physical: SERVER_HW,
    virtual: VIRTUAL,
    virtualShare: 0.8,
    encryptedShare: 0.3,
  },
  {
    key: 'linux-workstation',
    platform: 'Linux',
    role: 'workstation',
    prefix: 'lnx',
    weight: 0.06,
    os: [
      os(3, 'Ubuntu 22.04.4 LTS', 'Ubuntu 22.04', 'cis-ubuntu2204'),
      os(1, 'Ubuntu 24.04 LTS', 'Ubuntu 24.04', 'cis-ubuntu2204'),
      os(1, 'Fedora release 40 (Forty)', 'Fedora 40', 'cis-ubuntu2204'),
    ],
    physical: LINUX_WS_HW,
    virtual: VIRTUAL,
    virtualShare: 0.1,
    encryptedShare: 0.75,
  },
];
