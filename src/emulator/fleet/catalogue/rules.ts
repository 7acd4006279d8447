/**
 * Compliance benchmarks (CIS- and DISA STIG-like) and their rules. Each OS maps to one benchmark; every
 * endpoint is evaluated against every rule of its benchmark. `failShare` is how often a rule fails on a
 * typical endpoint. Titles follow the benchmarks' style; ids are made up but shaped like XCCDF/OVAL ids.
 */

export interface RuleTemplate {
  section: string;
  title: string;
  category: string;
  failShare: number;
}

export interface Rule extends RuleTemplate {
  /** check id */
  id: string;
  ruleId: string;
}

export interface Benchmark {
  key: string;
  standard: string;
  standardVersion: string;
  profile: string;
  profileVersion: string;
  rules: readonly Rule[];
}

const WINDOWS_RULES: readonly RuleTemplate[] = [
  r(
    '1.1.1',
    "Ensure 'Enforce password history' is set to '24 or more password(s)'",
    'Account Policies',
    0.08,
  ),
  r(
    '1.1.2',
    "Ensure 'Maximum password age' is set to '365 or fewer days, but not 0'",
    'Account Policies',
    0.1,
  ),
  r('1.1.4', "Ensure 'Minimum password length' is set to '14 or more character(s)'", 'Account Policies', 0.2),
  r('1.2.1', "Ensure 'Account lockout duration' is set to '15 or more minute(s)'", 'Account Policies', 0.12),
  r(
    '2.2.1',
    "Ensure 'Access Credential Manager as a trusted caller' is set to 'No One'",
    'Local Policies',
    0.03,
  ),
  r(
    '2.3.1.1',
    "Ensure 'Accounts: Block Microsoft accounts' is set to 'Users can't add or log on with Microsoft accounts'",
    'Local Policies',
    0.25,
  ),
  r(
    '2.3.7.3',
    "Ensure 'Interactive logon: Machine inactivity limit' is set to '900 or fewer second(s), but not 0'",
    'Local Policies',
    0.3,
  ),
  r(
    '2.3.11.7',
    "Ensure 'Network security: LAN Manager authentication level' is set to 'Send NTLMv2 response only. Refuse LM & NTLM'",
    'Local Policies',
    0.35,
  ),
  r(
    '5.3',
    "Ensure 'Computer Browser (Browser)' is set to 'Disabled' or 'Not Installed'",
    'System Services',
    0.05,
  ),
  r(
    '5.24',
    "Ensure 'Remote Procedure Call (RPC) Locator (RpcLocator)' is set to 'Disabled'",
    'System Services',
    0.4,
  ),
  r(
    '9.1.1',
    "Ensure 'Windows Firewall: Domain: Firewall state' is set to 'On (recommended)'",
    'Windows Defender Firewall',
    0.06,
  ),
  r(
    '9.2.1',
    "Ensure 'Windows Firewall: Private: Firewall state' is set to 'On (recommended)'",
    'Windows Defender Firewall',
    0.08,
  ),
  r(
    '9.3.1',
    "Ensure 'Windows Firewall: Public: Firewall state' is set to 'On (recommended)'",
    'Windows Defender Firewall',
    0.05,
  ),
  r(
    '17.1.1',
    "Ensure 'Audit Credential Validation' is set to 'Success and Failure'",
    'Advanced Audit Policy Configuration',
    0.45,
  ),
  r(
    '17.5.1',
    "Ensure 'Audit Account Lockout' is set to include 'Failure'",
    'Advanced Audit Policy Configuration',
    0.3,
  ),
  r(
    '18.9.4.1',
    "Ensure 'Turn off Autoplay' is set to 'Enabled: All drives'",
    'Administrative Templates (Computer)',
    0.2,
  ),
  r(
    '18.10.9.1.1',
    "Ensure 'Require additional authentication at startup' is set to 'Enabled'",
    'BitLocker Drive Encryption',
    0.15,
  ),
  r(
    '18.10.43.5.1',
    "Ensure 'Configure local setting override for reporting to Microsoft MAPS' is set to 'Disabled'",
    'Microsoft Defender Antivirus',
    0.5,
  ),
  r(
    '18.10.57.3.3.3',
    "Ensure 'Do not allow drive redirection' is set to 'Enabled'",
    'Remote Desktop Services',
    0.4,
  ),
  r(
    '18.10.89.1.1',
    "Ensure 'Allow Basic authentication' is set to 'Disabled' (WinRM Client)",
    'Windows Remote Management',
    0.1,
  ),
  r(
    '18.4.8',
    "Ensure 'NetBT NodeType configuration' is set to 'Enabled: P-node (recommended)'",
    'MS Security Guide',
    0.6,
  ),
  r(
    '18.6.4.1',
    "Ensure 'Configure DNS over HTTPS (DoH) name resolution' is set to 'Enabled: Allow DoH'",
    'Network',
    0.55,
  ),
  r(
    '19.7.8.1',
    "Ensure 'Configure Windows spotlight on lock screen' is set to 'Disabled'",
    'Administrative Templates (User)',
    0.35,
  ),
  r(
    '2.3.17.1',
    "Ensure 'User Account Control: Admin Approval Mode for the Built-in Administrator account' is set to 'Enabled'",
    'Local Policies',
    0.07,
  ),
];

const MAC_RULES: readonly RuleTemplate[] = [
  r('1.1', 'Ensure All Apple-provided Software Is Current', 'Software Updates', 0.3),
  r('1.2', 'Ensure Auto Update Is Enabled', 'Software Updates', 0.1),
  r('2.2.1', 'Ensure Firewall Is Enabled', 'Network', 0.15),
  r('2.2.2', 'Ensure Firewall Stealth Mode Is Enabled', 'Network', 0.4),
  r('2.3.3.1', 'Ensure DVD or CD Sharing Is Disabled', 'Sharing', 0.02),
  r('2.3.3.4', 'Ensure Remote Login Is Disabled', 'Sharing', 0.12),
  r('2.6.1.1', 'Ensure Location Services Is Enabled', 'Privacy & Security', 0.2),
  r('2.6.5', 'Ensure Gatekeeper Is Enabled', 'Privacy & Security', 0.03),
  r('2.6.6', 'Ensure FileVault Is Enabled', 'Privacy & Security', 0.04),
  r(
    '2.10.1',
    'Ensure an Inactivity Interval of 20 Minutes Or Less for the Screen Saver Is Enabled',
    'Lock Screen',
    0.25,
  ),
  r('2.11.1', 'Ensure Users Are Not Allowed to Log In Automatically', 'Users & Groups', 0.05),
  r('3.1', 'Ensure Security Auditing Is Enabled', 'Logging and Auditing', 0.1),
  r(
    '3.3',
    'Ensure install.log Is Retained for 365 or More Days and No Maximum Size',
    'Logging and Auditing',
    0.5,
  ),
  r('4.1', 'Ensure Bonjour Advertising Services Is Disabled', 'Network Configurations', 0.45),
  r('5.1.1', 'Ensure Home Folders Are Secure', 'System Access, Authentication and Authorization', 0.15),
  r(
    '5.2.1',
    'Ensure Password Account Lockout Threshold Is Configured',
    'System Access, Authentication and Authorization',
    0.3,
  ),
];

const LINUX_RULES: readonly RuleTemplate[] = [
  r('1.1.1.1', 'Ensure cramfs kernel module is not available', 'Initial Setup', 0.2),
  r('1.1.2.1.1', 'Ensure /tmp is a separate partition', 'Initial Setup', 0.55),
  r('1.3.1.1', 'Ensure AppArmor or SELinux is installed', 'Initial Setup', 0.05),
  r('1.4.1', 'Ensure bootloader password is set', 'Initial Setup', 0.7),
  r('1.5.1', 'Ensure address space layout randomization is enabled', 'Initial Setup', 0.02),
  r('1.7.1', 'Ensure message of the day is configured properly', 'Initial Setup', 0.35),
  r('2.1.1', 'Ensure autofs services are not in use', 'Services', 0.1),
  r('2.1.21', 'Ensure mail transfer agent is configured for local-only mode', 'Services', 0.2),
  r('2.3.1.1', 'Ensure a single time synchronization daemon is in use', 'Services', 0.08),
  r('3.3.1', 'Ensure ip forwarding is disabled', 'Network', 0.15),
  r('3.3.8', 'Ensure source routed packets are not accepted', 'Network', 0.25),
  r('4.1.1', 'Ensure a single firewall configuration utility is in use', 'Host Based Firewall', 0.3),
  r('5.1.1', 'Ensure permissions on /etc/ssh/sshd_config are configured', 'Access Control', 0.1),
  r('5.1.20', 'Ensure sshd PermitRootLogin is disabled', 'Access Control', 0.2),
  r('5.2.4', 'Ensure users must provide password for privilege escalation', 'Access Control', 0.15),
  r('5.3.3.2.1', 'Ensure password number of changed characters is configured', 'Access Control', 0.45),
  r('5.4.1.1', 'Ensure password expiration is configured', 'Access Control', 0.5),
  r('6.2.1.1', 'Ensure journald service is enabled and active', 'Logging and Auditing', 0.03),
  r('6.3.1.1', 'Ensure auditd packages are installed', 'Logging and Auditing', 0.3),
  r('7.1.1', 'Ensure permissions on /etc/passwd are configured', 'System Maintenance', 0.02),
];

function r(section: string, title: string, category: string, failShare: number): RuleTemplate {
  return { section, title, category, failShare };
}

function benchmark(
  key: string,
  standard: string,
  standardVersion: string,
  profile: string,
  xccdfPrefix: string,
  ovalBase: number,
  templates: readonly RuleTemplate[],
): Benchmark {
  const rules = templates.map((t, n) => ({
    ...t,
    id: `oval:org.cisecurity:def:${ovalBase + n}`,
    ruleId: `${xccdfPrefix}${t.section}_${t.title.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}`,
  }));
  return { key, standard, standardVersion, profile, profileVersion: standardVersion, rules };
}

const CIS = 'xccdf_org.cisecurity.benchmarks_rule_';
const STIG = 'xccdf_mil.disa.stig_rule_SV-';

export const BENCHMARKS: ReadonlyMap<string, Benchmark> = new Map(
  [
    benchmark(
      'cis-win11',
      'CIS Microsoft Windows 11 Enterprise Benchmark',
      '3.0.0',
      'Level 1 (L1) - Corporate/Enterprise Environment (general use)',
      CIS,
      10100,
      WINDOWS_RULES,
    ),
    benchmark(
      'cis-win10',
      'CIS Microsoft Windows 10 Enterprise Benchmark',
      '3.0.0',
      'Level 1 (L1) - Corporate/Enterprise Environment (general use)',
      CIS,
      10200,
      WINDOWS_RULES,
    ),
    benchmark(
      'cis-ws2022',
      'CIS Microsoft Windows Server 2022 Benchmark',
      '3.0.0',
      'Level 1 - Member Server',
      CIS,
      10300,
      WINDOWS_RULES,
    ),
    benchmark(
      'cis-ws2019',
      'CIS Microsoft Windows Server 2019 Benchmark',
      '3.0.1',
      'Level 1 - Member Server',
      CIS,
      10400,
      WINDOWS_RULES,
    ),
    benchmark(
      'cis-macos14',
      'CIS Apple macOS 14.0 Sonoma Benchmark',
      '2.0.0',
      'Level 1',
      CIS,
      10500,
      MAC_RULES,
    ),
    benchmark(
      'cis-ubuntu2204',
      'CIS Ubuntu Linux 22.04 LTS Benchmark',
      '2.0.0',
      'Level 1 - Server',
      CIS,
      10600,
      LINUX_RULES,
    ),
    benchmark(
      'stig-rhel9',
      'DISA STIG Red Hat Enterprise Linux 9',
      '2.2',
      'MAC-1_Classified',
      STIG,
      10700,
      LINUX_RULES,
    ),
  ].map((b) => [b.key, b]),
);

/** The benchmark for a key; throws on a key no OS uses (a programming error). */
export function benchmarkFor(key: string): Benchmark {
  const found = BENCHMARKS.get(key);
  if (found === undefined) throw new Error(`no compliance benchmark "${key}"`);
  return found;
}
