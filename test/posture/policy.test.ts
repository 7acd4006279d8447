import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/posture/decide.js';
import { formatOf, parsePolicy } from '../../src/posture/parsePolicy.js';
import type { Policy } from '../../src/posture/policy.js';
import type { PostureEndpoint } from '../../src/store/posture.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const DAY = 86_400_000;
const FRESH = { syncedAt: '2026-12-01T11:55:00Z', seconds: 300, maxSeconds: 7200, stale: false };

function endpoint(over: Partial<PostureEndpoint> = {}): PostureEndpoint {
  return {
    endpointId: '42',
    computerId: '3284926501',
    serialNumber: 'PF3X0042',
    hostname: 'ws-00042.example.com',
    lastSeen: new Date(NOW - 2 * 3600_000).toISOString(),
    osName: 'Windows 11 Enterprise',
    osGeneration: 'Windows 11',
    osPlatform: 'Windows',
    isEncrypted: true,
    isVirtual: false,
    riskScore: 310,
    riskLevel: 'medium',
    factsKnown: true,
    maxCvss: 7.5,
    kevCves: [],
    failedCompliance: [{ category: 'Account Policies', standard: 'CIS', count: 3 }],
    ...over,
  };
}

const example = (file: string): Policy => {
  const path = `docs/examples/posture/${file}`;
  return parsePolicy(readFileSync(path, 'utf8'), formatOf(path));
};

function run(
  policy: Policy,
  e: PostureEndpoint,
  sensors: Record<string, Record<string, unknown>[]> = {},
  dataAge = FRESH,
) {
  return decide(
    policy,
    {
      endpoint: e,
      now: NOW,
      managedWithinMs: policy.managedWithinMs,
      sensors: new Map(Object.entries(sensors)),
    },
    dataAge,
  );
}

describe('the worked examples of docs/posture.md', () => {
  it('managed and seen within 7 days', () => {
    const policy = example('managed-recent.yaml');
    expect(run(policy, endpoint())).toMatchObject({ verdict: 'allow', rule: 'managed-and-recent' });
    const old = run(policy, endpoint({ lastSeen: new Date(NOW - 9 * DAY).toISOString() }));
    expect(old.verdict).toBe('deny');
    expect(old.rule).toBeNull();
    expect(old.checks.map((c) => [c.check, c.passed, c.sentence])).toEqual([
      ['managed', false, 'not managed: last seen 9 days ago: more than 7 days'],
      ['lastSeenWithin', false, 'last seen 9 days ago: more than 7 days'],
    ]);
  });

  it('no KEV CVE: a block rule decides before the allow rule', () => {
    const policy = example('no-kev.yaml');
    expect(run(policy, endpoint())).toMatchObject({ verdict: 'allow', rule: 'managed' });
    const kev = run(policy, endpoint({ kevCves: ['CVE-2024-21413', 'CVE-2023-23397'] }));
    expect(kev).toMatchObject({ verdict: 'deny', rule: 'block-known-exploited' });
    expect(kev.checks[0]!.sentence).toBe('open CISA KEV CVEs 2: at least 1 (CVE-2024-21413, CVE-2023-23397)');
  });

  it('Windows build at least 19045, read from a synced sensor', () => {
    const policy = example('windows-build.yaml');
    const build = (b: string) => ({ 'Windows Build': [{ build: b }] });
    expect(run(policy, endpoint(), build('22631'))).toMatchObject({
      verdict: 'allow',
      rule: 'current-windows',
    });
    const old = run(policy, endpoint(), build('19044'));
    expect(old.verdict).toBe('deny');
    expect(old.checks.find((c) => c.check === 'osVersion')!.sentence).toBe('OS version 19044: below 19045');
    const unknown = run(policy, endpoint());
    expect(unknown.verdict).toBe('deny');
    expect(unknown.checks.find((c) => c.check === 'osVersion')!.sentence).toBe(
      'OS version not known (from sensor Windows Build)',
    );
    const mac = endpoint({ osPlatform: 'Mac', osName: 'macOS 14.6.1 Sonoma' });
    expect(run(policy, mac)).toMatchObject({ verdict: 'allow', rule: 'other-platforms' });
  });

  it('risk level at most medium (JSON), physical machines only', () => {
    const policy = example('risk-medium.json');
    expect(policy.maxDataAgeMs).toBe(4 * 3600_000);
    expect(run(policy, endpoint())).toMatchObject({ verdict: 'allow', rule: 'low-risk' });
    const high = run(policy, endpoint({ riskLevel: 'high' }));
    expect(high.verdict).toBe('deny');
    expect(high.checks[1]).toMatchObject({
      check: 'riskLevel',
      passed: false,
      sentence: 'risk level high: above medium',
    });
    expect(run(policy, endpoint({ isVirtual: true })).verdict).toBe('deny');
    // Unknown data never lets a device in: an unknown risk level fails the require.
    expect(run(policy, endpoint({ riskLevel: null })).checks[1]!.sentence).toBe('risk level not known');
    expect(run(policy, endpoint({ riskLevel: null })).verdict).toBe('deny');
  });

  it('managed members of a group, with a block rule first', () => {
    const policy = example('windows-group.yaml');
    const inGroups = (memberOf: string[]) => ({
      refreshedAt: '2026-12-01T11:55:00Z',
      groups: ['All Computers', 'All Windows', 'All Mac', 'All Servers'],
      capped: false,
      memberOf,
    });
    const decideWith = (memberOf: string[]) =>
      decide(
        policy,
        {
          endpoint: endpoint(),
          now: NOW,
          managedWithinMs: policy.managedWithinMs,
          sensors: new Map(),
          groups: inGroups(memberOf),
        },
        FRESH,
      );
    const windows = decideWith(['All Computers', 'All Windows']);
    expect(windows).toMatchObject({ verdict: 'allow', rule: 'managed-windows-or-servers' });
    expect(windows.checks.map((c) => c.sentence).slice(0, 2)).toEqual([
      'not a member of Kiosks (no such group: Kiosks)',
      'member of All Windows',
    ]);
    const mac = decideWith(['All Computers', 'All Mac']);
    expect(mac).toMatchObject({ verdict: 'deny', rule: null });
    expect(mac.checks[1]?.sentence).toBe('not a member of any of All Windows, All Servers');
    expect(decideWith(['Kiosks', 'All Windows'])).toMatchObject({ verdict: 'deny', rule: 'kiosks-blocked' });
  });
});

describe('Cloudflare scores', () => {
  it('allow is 100 and deny 0, unless the deciding rule carries its own score', async () => {
    const { scoreOf } = await import('../../src/posture/cloudflare/provider.js');
    const policy = parsePolicy(
      `rules:
  - {name: risky, action: allow, score: 40, include: [{riskLevel: [high, critical]}]}
  - {name: fine, action: allow, include: [{managed: true}]}`,
      'yaml',
    );
    expect(scoreOf(run(policy, endpoint()), policy)).toBe(100);
    expect(scoreOf(run(policy, endpoint({ riskLevel: 'high' })), policy)).toBe(40);
    expect(scoreOf(run(policy, endpoint({ lastSeen: null })), policy)).toBe(0);
    const stale = { ...FRESH, stale: true };
    expect(scoreOf(run(policy, endpoint({ riskLevel: 'high' }), {}, stale), policy)).toBe(0);
    expect(
      caught(() =>
        parsePolicy('rules: [{name: a, action: allow, score: 101, include: [{managed: true}]}]', 'yaml'),
      ).details.problems,
    ).toEqual(['rules[0].score: expected a whole number from 0 to 100']);
  });
});

describe('checks', () => {
  const only = (check: unknown, e = endpoint(), sensors = {}) =>
    run(
      parsePolicy(JSON.stringify({ rules: [{ name: 'r', action: 'allow', include: [check] }] }), 'json'),
      e,
      sensors,
    );

  it('every check has a sentence that says why', () => {
    expect(only({ diskEncrypted: true }).checks[0]!.sentence).toBe('disk encrypted');
    expect(only({ virtual: false }, endpoint({ isVirtual: true })).checks[0]).toMatchObject({
      passed: false,
      sentence: 'virtual machine',
    });
    expect(only({ riskScore: { atMost: 300 } }).checks[0]!.sentence).toBe('risk score 310: more than 300');
    expect(only({ maxCvss: { atMost: 9 } }).checks[0]!.sentence).toBe(
      'highest CVSS of open CVE findings 7.5: at most 9',
    );
    expect(only({ maxCvss: { atMost: 9 } }, endpoint({ factsKnown: false })).checks[0]).toMatchObject({
      passed: false,
    });
    expect(only({ failedCompliance: { atMost: 2, category: 'Account Policies' } }).checks[0]!.sentence).toBe(
      'failed compliance findings (Account Policies) 3: more than 2',
    );
    expect(only({ failedCompliance: { atMost: 0, standard: 'DISA' } }).verdict).toBe('allow');
    expect(only({ osPlatform: ['Mac', 'windows'] }).verdict).toBe('allow');
    expect(only({ osName: { matches: '^windows 11' } }).verdict).toBe('allow');
    expect(
      only({ osVersion: { atLeast: '14.6' } }, endpoint({ osName: 'macOS 14.6.1 Sonoma' })).checks[0]!
        .sentence,
    ).toBe('OS version 14.6.1: at least 14.6');
    expect(only({ lastSeenWithin: '1h' }).checks[0]!.sentence).toBe('last seen 2 h ago: more than 1 h');
    expect(only({ lastSeenWithin: '3h' }).verdict).toBe('allow');
    expect(
      only({ sensor: { name: 'Online', in: ['True'] } }, endpoint(), { Online: [{ online: 'True' }] })
        .verdict,
    ).toBe('allow');
    expect(only({ sensor: { name: 'Online', equals: 'true' } }).checks[0]!.sentence).toBe(
      'sensor Online: no synced value',
    );
    expect(only({ identityVerified: true }).checks[0]!.sentence).toBe(
      'endpoint identity not verified (no identity proof was asked for)',
    );
  });

  it('stale data fails closed with the age as the reason; a policy may fail open and the decision says so', () => {
    const stale = { syncedAt: '2026-12-01T07:00:00Z', seconds: 5 * 3600, maxSeconds: 7200, stale: true };
    const closed = run(example('managed-recent.yaml'), endpoint(), {}, stale);
    expect(closed).toMatchObject({ verdict: 'deny', rule: null, reason: 'posture data is 5 h old' });
    const open = parsePolicy(
      'onStaleData: allow\nrules: [{name: m, action: allow, include: [{managed: true}]}]',
      'yaml',
    );
    expect(run(open, endpoint(), {}, stale)).toMatchObject({
      verdict: 'allow',
      rule: 'm',
      failOpen: true,
      reason: 'posture data is 5 h old; the policy fails open, so its rules decide on it',
    });
  });
});

describe('a policy that does not validate is refused whole, every problem named by its path', () => {
  const problems = (text: string, format: 'yaml' | 'json' = 'yaml') =>
    caught(() => parsePolicy(text, format));

  it('names each bad path', () => {
    const error = problems(`
rules:
  - name: a
    action: allow
    include: [{ managed: true }]
  - name: b
    action: permit
    include: []
  - name: c
    action: allow
    include: [{ managed: yes-please }]
    require: [{ riskLevel: severe }, { lastSeenWithin: soon }, { computerGroup: { in: [] } }, { colour: blue }]
    exclude: [{ riskScore: { atMost: 5000 } }]
extra: 1
`);
    expect(error.code).toBe('invalid_policy');
    expect(error.details.problems).toEqual([
      'extra: unknown field; expected name, managedWithin, maxDataAge, onStaleData, rules',
      'rules[1].action: expected allow or block',
      'rules[1].include: expected a non-empty list of checks',
      'rules[2].include[0].managed: expected true or false',
      'rules[2].require[0].riskLevel: expected one of low, medium, high, critical',
      'rules[2].require[1].lastSeenWithin: expected a duration such as 1h, 3h, 6h, 12h, 24h, 7d or 30d',
      'rules[2].require[2].computerGroup.in: expected a string or a non-empty list of strings',
      `rules[2].require[3].colour: unknown check; expected one of managed, lastSeenWithin, osPlatform, osName, osVersion, diskEncrypted, virtual, riskScore, riskLevel, maxCvss, kevCves, failedCompliance, sensor, computerGroup, identityVerified`,
      'rules[2].exclude[0].riskScore.atMost: expected a number from 1 to 1000',
    ]);
  });

  it('syntax errors, wrong top-level types and duplicates are named too', () => {
    expect(problems('rules: [\n').details.problems[0]).toMatch(/^\(file\): line \d+: /);
    expect(problems('{"rules": [', 'json').details.problems[0]).toMatch(/^\(file\): not valid JSON/);
    expect(problems('[1, 2]').details.problems).toEqual(['(top): expected an object with "rules"']);
    expect(problems('rules: []').details.problems).toEqual(['rules: expected a non-empty list of rules']);
    expect(
      problems(
        'rules: [{name: a, action: allow, include: [{managed: true}]}, {name: a, action: block, include: [{virtual: true}]}]',
      ).details.problems,
    ).toEqual(['rules[1].name: "a" is used twice']);
    expect(
      problems('maxDataAge: 0h\nrules: [{name: a, action: allow, include: [{managed: true}]}]').details
        .problems,
    ).toEqual(['maxDataAge: expected a duration such as 2h or 7d']);
    expect(
      problems('rules: [{name: a, action: allow, include: [{riskLevel: {atMost: severe}}]}]').details
        .problems,
    ).toEqual(['rules[0].include[0].riskLevel.atMost: expected one of low, medium, high, critical']);
  });
});

function caught(fn: () => unknown): { code: string; details: { problems: string[] } } {
  try {
    fn();
  } catch (error) {
    return error as { code: string; details: { problems: string[] } };
  }
  throw new Error('expected the policy to be refused');
}
