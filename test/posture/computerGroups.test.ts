import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../../src/posture/decide.js';
import { parsePolicy } from '../../src/posture/parsePolicy.js';
import { readGroups } from '../../src/posture/readGroups.js';
import { PostureService } from '../../src/posture/service.js';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { freezeClock, type SyncTarget, syncTarget } from '../helpers/syncHarness.js';

const policy = (groups: string) =>
  parsePolicy(
    `name: by-group
rules:
  - name: in-group
    action: allow
    include:
      - computerGroup: { in: [${groups}] }
`,
    'yaml',
  );

/** Computer group membership read from the emulator's Gateway over HTTP into a real SQLite store. */
describe('the computerGroup check on a synced store', () => {
  let h: Harness;
  let t: SyncTarget;
  const platformOf = (platform: string) =>
    (
      t.store.db
        .prepare('SELECT endpoint_id FROM assets WHERE connection = ? AND os_platform = ? LIMIT 1')
        .get('default', platform) as { endpoint_id: string }
    ).endpoint_id;
  const members = (group: string) =>
    (
      t.store.db
        .prepare(
          'SELECT endpoint_id FROM posture_group_members WHERE connection = ? AND group_name = ? ORDER BY 1',
        )
        .all('default', group) as { endpoint_id: string }[]
    ).map((r) => r.endpoint_id);

  beforeAll(async () => {
    h = await startHarness({ endpoints: 120, seed: 15, realism: 0 });
    freezeClock(h.emulator);
    t = await syncTarget(h.emulator);
    await t.sync({ full: true });
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await h.close();
  });

  it('stores each group with the ids of its member endpoints, as the Gateway answers them', async () => {
    const windows = (
      t.store.db
        .prepare("SELECT endpoint_id FROM assets WHERE connection = 'default' AND os_platform = 'Windows'")
        .all() as { endpoint_id: string }[]
    ).map((r) => r.endpoint_id);
    expect(windows.length).toBeGreaterThan(0);
    expect(members('All Windows')).toEqual([...windows].sort());
    expect(members('All Computers')).toHaveLength(120);
    const refresh = t.store.db.prepare('SELECT groups, capped FROM posture_group_refreshes').get() as {
      groups: string;
      capped: number;
    };
    expect(JSON.parse(refresh.groups)).toContain('Virtual Machines');
    expect(refresh.capped).toBe(0);
  });

  it('allows an endpoint in the group and denies one outside it, saying why', async () => {
    const service = new PostureService(t.store);
    const inside = await service.decide({
      connection: 'default',
      device: platformOf('Windows'),
      by: 'eid',
      policy: policy('All Windows'),
    });
    expect(inside).toMatchObject({ verdict: 'allow', rule: 'in-group' });
    expect(inside.checks).toEqual([
      { check: 'computerGroup', passed: true, sentence: 'member of All Windows', rule: 'in-group' },
    ]);
    const outside = await service.decide({
      connection: 'default',
      device: platformOf('Mac'),
      by: 'eid',
      policy: policy('All Windows, All Linux'),
    });
    expect(outside.verdict).toBe('deny');
    expect(outside.checks[0]).toMatchObject({
      passed: false,
      sentence: 'not a member of any of All Windows, All Linux',
    });
  });

  it('replaces membership on the next sync when a group was deleted in Tanium', async () => {
    const eid = platformOf('Windows');
    expect(members('All Windows')).toContain(eid);
    const deleted = await t.client.graphql<{ computerGroupDelete: { id: string | null } }>(
      'mutation { computerGroupDelete(ref: {name: "All Windows"}) { id error { message } } }',
    );
    expect(deleted.computerGroupDelete.id).not.toBeNull();
    const run = await t.sync();
    expect(run.mode).toBe('incremental');
    expect(members('All Windows')).toEqual([]);
    expect(members('All Computers')).toHaveLength(120);
    const decision = await new PostureService(t.store).decide({
      connection: 'default',
      device: eid,
      by: 'eid',
      policy: policy('All Windows'),
    });
    expect(decision.verdict).toBe('deny');
    expect(decision.checks[0]?.sentence).toBe('not a member of All Windows (no such group: All Windows)');
  });

  it('keeps the previous membership when the Gateway refuses the group read, and reads it on the next run', async () => {
    const macs = members('All Mac');
    expect(macs.length).toBeGreaterThan(0);
    await t.client.graphql('mutation { computerGroupDelete(ref: {name: "All Mac"}) { id } }');
    const faults = await fetch(`${h.emulator.url}/__emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        rules: [
          {
            path: '/plugin/products/gateway/graphql',
            operation: 'computerGroups',
            fault: 'status:400',
            count: 1,
          },
        ],
      }),
    });
    expect(faults.status).toBe(200);
    const refused = await t.sync();
    expect(refused.mode).toBe('incremental');
    expect(await t.store.posture.lastCompleteSync('default')).not.toBeNull();
    expect(members('All Mac')).toEqual(macs);
    const fired = (await (await fetch(`${h.emulator.url}/__emulator/faults`)).json()) as {
      rules: { applied: number }[];
    };
    expect(fired.rules[0]?.applied).toBe(1);
    await t.sync();
    expect(members('All Mac')).toEqual([]);
  });

  it('reads at most the cap of groups, and a group beyond it is unknown: it fails closed', async () => {
    const capped = await readGroups(t.client, 2);
    expect(capped.groups).toHaveLength(2);
    expect(capped.capped).toBe(true);
    const all = await readGroups(t.client);
    const beyond = all.groups.find((g) => !capped.groups.includes(g))!;
    await t.store.posture.replaceGroups('default', capped, new Date().toISOString());
    const found = await t.store.posture.endpointGroups('default', platformOf('Mac'));
    expect(found).toMatchObject({ capped: true, groups: capped.groups });
    const service = new PostureService(t.store);
    const decision = await service.decide({
      connection: 'default',
      device: platformOf('Mac'),
      by: 'eid',
      policy: parsePolicy(
        `rules: [{name: not-beyond, action: allow, include: [{managed: true}], exclude: [{computerGroup: "${beyond}"}]}]`,
        'yaml',
      ),
    });
    expect(decision.verdict).toBe('deny');
    expect(decision.checks.find((c) => c.check === 'computerGroup')).toMatchObject({
      passed: false,
      sentence: `computer group membership of ${beyond} not known (more groups than were read)`,
    });
  });

  it('goes with its connection', async () => {
    await t.store.connections.remove('default');
    for (const table of ['posture_group_members', 'posture_group_refreshes'])
      expect(t.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
  });
});

describe('computerGroup without synced membership, and its validation', () => {
  const endpoint = {
    endpointId: '7',
    computerId: null,
    serialNumber: null,
    hostname: 'ws-7',
    lastSeen: new Date().toISOString(),
    osName: null,
    osGeneration: null,
    osPlatform: null,
    isEncrypted: null,
    isVirtual: null,
    riskScore: null,
    riskLevel: null,
    factsKnown: true,
    maxCvss: null,
    kevCves: [],
    failedCompliance: [],
  };
  const age = { syncedAt: new Date().toISOString(), seconds: 1, maxSeconds: 7200, stale: false };

  it('denies when membership was never read, in include and in exclude', () => {
    const ctx = { endpoint, now: Date.now(), managedWithinMs: 7 * 86_400_000, sensors: new Map() };
    const included = decide(policy('All Windows'), ctx, age);
    expect(included.verdict).toBe('deny');
    expect(included.checks[0]?.sentence).toBe(
      'computer group membership not known (no complete sync has read it)',
    );
    const excluded = decide(
      parsePolicy(
        'rules: [{name: a, action: allow, include: [{managed: true}], exclude: [{computerGroup: Kiosks}]}]',
        'yaml',
      ),
      ctx,
      age,
    );
    expect(excluded.verdict).toBe('deny');
  });

  it('accepts a name, a list or {in: […]}, and names every bad value by its path', () => {
    for (const value of ['Kiosks', '[Kiosks, Labs]', '{ in: [Kiosks] }'])
      expect(
        parsePolicy(`rules: [{name: a, action: allow, include: [{computerGroup: ${value}}]}]`, 'yaml')
          .rules[0]?.include[0],
      ).toMatchObject({ kind: 'computerGroup' });
    let problems: string[] = [];
    try {
      parsePolicy(
        `rules:
  - name: a
    action: allow
    include: [{ computerGroup: 5 }, { computerGroup: { equals: Kiosks } }, { computerGroup: { in: [] } }]
    exclude: [{ computerGroup: [Kiosks, 3] }, { group: Kiosks }]
`,
        'yaml',
      );
    } catch (error) {
      problems = (error as { details: { problems: string[] } }).details.problems;
    }
    expect(problems).toEqual([
      'rules[0].include[0].computerGroup: expected a string or a non-empty list of strings',
      'rules[0].include[1].computerGroup: expected exactly one of in',
      'rules[0].include[2].computerGroup.in: expected a string or a non-empty list of strings',
      'rules[0].exclude[0].computerGroup: expected a string or a non-empty list of strings',
      expect.stringMatching(
        /^rules\[0\]\.exclude\[1\]\.group: unknown check; expected one of .*computerGroup/,
      ),
    ]);
  });
});
