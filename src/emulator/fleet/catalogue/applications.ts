/**
 * Installed applications per platform: `base` ones are on every endpoint of the platform, `optional` ones on
 * a derived share. Each has a couple of versions, a silent uninstall string in the platform's usual form, and
 * whether it can be uninstalled.
 */
import type { EndpointPlatform } from '../types.js';

export interface AppEntry {
  name: string;
  versions: readonly string[];
  uninstall: string;
  uninstallable: boolean;
  /** share of endpoints (of the platform) that have it; 1 = always */
  share: number;
}

function app(name: string, versions: string[], uninstall: string, share = 1, uninstallable = true): AppEntry {
  return { name, versions, uninstall, uninstallable, share };
}

const MSI = (guid: string) => `MsiExec.exe /X{${guid}} /qn`;

const WINDOWS: readonly AppEntry[] = [
  app(
    'Tanium Client',
    ['7.6.2.1218', '7.4.10.1075'],
    '"C:\\Program Files (x86)\\Tanium\\Tanium Client\\uninst.exe" /S',
    1,
    false,
  ),
  app('Microsoft Edge', ['131.0.2903.70', '130.0.2849.80'], '', 1, false),
  app(
    'Microsoft 365 Apps for enterprise - en-us',
    ['16.0.17928.20156', '16.0.17830.20166'],
    '"C:\\Program Files\\Common Files\\Microsoft Shared\\ClickToRun\\OfficeClickToRun.exe" scenario=install DisplayLevel=False',
    0.85,
  ),
  app(
    'Google Chrome',
    ['131.0.6778.86', '130.0.6723.117', '129.0.6668.101'],
    MSI('5B4E1F2C-6B4C-3E4A-8D7C-1A2B3C4D5E6F'),
    0.7,
  ),
  app(
    'Mozilla Firefox (x64 en-US)',
    ['133.0', '128.5.0esr'],
    '"C:\\Program Files\\Mozilla Firefox\\uninstall\\helper.exe" /S',
    0.25,
  ),
  app('Zoom Workplace (64-bit)', ['6.2.11', '6.1.5'], MSI('A1B2C3D4-0000-4000-8000-00000000200E'), 0.55),
  app('Microsoft Teams', ['24295.605.3225.8804'], '', 0.8, false),
  app(
    'Adobe Acrobat Reader DC',
    ['24.004.20220', '23.008.20470'],
    MSI('AC76BA86-7AD7-1033-7B44-AC0F074E4100'),
    0.6,
  ),
  app('7-Zip 24.08 (x64)', ['24.08', '23.01'], '"C:\\Program Files\\7-Zip\\Uninstall.exe" /S', 0.35),
  app('Notepad++ (64-bit x64)', ['8.7.1', '8.6.9'], '"C:\\Program Files\\Notepad++\\uninstall.exe" /S', 0.2),
  app('Python 3.12.7 (64-bit)', ['3.12.7'], MSI('D1B2C3D4-3120-4000-8000-000000000312'), 0.12),
  app('Git', ['2.47.0', '2.45.2'], '"C:\\Program Files\\Git\\unins000.exe" /VERYSILENT', 0.12),
  app(
    'Microsoft Visual C++ 2015-2022 Redistributable (x64)',
    ['14.40.33810.0', '14.38.33135.0'],
    MSI('C0B2C673-ECAA-372D-94E5-E89440D087AD'),
    0.95,
  ),
  app('VLC media player', ['3.0.21', '3.0.20'], '"C:\\Program Files\\VideoLAN\\VLC\\uninstall.exe" /S', 0.15),
  app(
    'Cisco Secure Client - AnyConnect VPN',
    ['5.1.6.103', '5.1.2.42'],
    MSI('B7E2A0D5-8C4F-4D2E-9A1B-3C5D7E9F1A2B'),
    0.6,
  ),
  app('Microsoft SQL Server 2019 (64-bit)', ['15.0.4395.2'], '', 0.05),
  app(
    'Java 8 Update 431 (64-bit)',
    ['8.0.4310.10', '8.0.4110.9'],
    MSI('26A24AE4-039D-4CA4-87B4-2F64180431F0'),
    0.18,
  ),
  app('Slack', ['4.41.97'], '"%LOCALAPPDATA%\\slack\\Update.exe" --uninstall -s', 0.3),
];

const MAC: readonly AppEntry[] = [
  app('Tanium Client', ['7.6.2.1218'], '/Library/Tanium/TaniumClient/uninstall.sh', 1, false),
  app('Safari', ['18.1', '17.6'], '', 1, false),
  app('Google Chrome', ['131.0.6778.86', '130.0.6723.117'], 'rm -rf "/Applications/Google Chrome.app"', 0.75),
  app('Microsoft Word', ['16.90', '16.89'], 'rm -rf "/Applications/Microsoft Word.app"', 0.7),
  app('Microsoft Excel', ['16.90', '16.89'], 'rm -rf "/Applications/Microsoft Excel.app"', 0.7),
  app('Microsoft Outlook', ['16.90'], 'rm -rf "/Applications/Microsoft Outlook.app"', 0.7),
  app('Slack', ['4.41.97'], 'rm -rf /Applications/Slack.app', 0.5),
  app('zoom.us', ['6.2.11', '6.1.5'], 'rm -rf /Applications/zoom.us.app', 0.6),
  app('Visual Studio Code', ['1.95.3', '1.94.2'], 'rm -rf "/Applications/Visual Studio Code.app"', 0.35),
  app('Docker', ['4.36.0'], 'rm -rf /Applications/Docker.app', 0.2),
  app('iTerm2', ['3.5.10'], 'rm -rf /Applications/iTerm.app', 0.25),
  app('Firefox', ['133.0'], 'rm -rf /Applications/Firefox.app', 0.2),
];

const LINUX: readonly AppEntry[] = [
  app('taniumclient', ['7.6.2.1218-1'], 'apt-get remove -y taniumclient', 1, false),
  app('openssl', ['3.0.13-0ubuntu3.4', '3.0.7-27.el9'], '', 1, false),
  app('openssh-server', ['1:8.9p1-3ubuntu0.10', '8.7p1-38.el9'], 'apt-get remove -y openssh-server', 1),
  app('bash', ['5.1-6ubuntu1.1', '5.1.8-9.el9'], '', 1, false),
  app('sudo', ['1.9.9-1ubuntu2.4', '1.9.5p2-10.el9'], '', 1, false),
  app('curl', ['7.81.0-1ubuntu1.18', '7.76.1-29.el9'], 'apt-get remove -y curl', 0.95),
  app('python3', ['3.10.12-1~22.04.6', '3.9.18-3.el9'], '', 0.9, false),
  app('nginx', ['1.18.0-6ubuntu14.4', '1.20.1-14.el9'], 'apt-get remove -y nginx', 0.25),
  app('postgresql-14', ['14.13-0ubuntu0.22.04.1'], 'apt-get remove -y postgresql-14', 0.1),
  app('docker-ce', ['5:27.3.1-1~ubuntu.22.04~jammy'], 'apt-get remove -y docker-ce', 0.3),
  app(
    'openjdk-17-jre-headless',
    ['17.0.12+7-1ubuntu2~22.04'],
    'apt-get remove -y openjdk-17-jre-headless',
    0.2,
  ),
  app('git', ['1:2.34.1-1ubuntu1.11'], 'apt-get remove -y git', 0.4),
];

export const APPLICATIONS: Readonly<Record<EndpointPlatform, readonly AppEntry[]>> = {
  Windows: WINDOWS,
  Mac: MAC,
  Linux: LINUX,
  Solaris: [],
  AIX: [],
  Unknown: [],
};
