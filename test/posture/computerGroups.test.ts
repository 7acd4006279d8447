import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '../../src/posture/decide.js';
import { parsePolicy } from '../../src/posture/parsePolicy.js';
import { readGroups } from '../../src/posture/readGroups.js';
import { PostureService } from '../../src/posture/service.js';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { freezeClock, type SyncTarget, syncTarget } from '../helpers/syncHarness.js';
import { DIALECTS } from '../store/dialects.js';

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

/** Computer group membership read from the emulator's Gateway over HTTP into a real store of each dialect. */
describe.each(DIALECTS)('the computerGroup check on a synced store ($name)', (dialect) => {
  let h: Harness;
  let t: SyncTarget;
  /** The ids of the connection's assets on `platform` (every asset without one), in key order. */
  const assetIds = async (platform?: string) => {
    const filters = platform ? [{ columns: ['os_platform'], op: 'eq' as const, value: platform }] : [];
    const page = await t.store.rowQuery.page({
      connection: 'default',
      stream: 'assets',
      filters,
      limit: 1000,
    });
    return page.rows.map((r) => r['endpoint_id'] as string);
  };
  const platformOf = async (platform: string) => (await assetIds(platform))[0]!;
  /** A group's members, as decisions read membership: endpoint by endpoint. */
  const members = async (group: string) => {
    const ids: string[] = [];
    for (const id of await assetIds())
      if ((await t.store.posture.endpointGroups('default', id))?.memberOf.includes(group)) ids.push(id);
    return ids;
  };

  beforeAll(async () => {
    h = await startHarness({ endpoints: 120, seed: 15, realism: 0 });
    freezeClock(h.emulator);
    t = await syncTarget(h.emulator, h.url, dialect);
    await t.sync({ full: true });
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await h.close();
  });

  it('stores each group with the ids of its member endpoints, as the Gateway answers them', async () => {
    const windows = await assetIds('Windows');
    expect(windows.length).toBeGreaterThan(0);
    expect(await members('All Windows')).toEqual(windows);
    expect(await members('All Computers')).toHaveLength(120);
    const refresh = await t.store.posture.endpointGroups('default', windows[0]!);
    expect(refresh?.groups).toContain('Virtual Machines');
    expect(refresh?.capped).toBe(false);
  });

  it('allows an endpoint in the group and denies one outside it, saying why', async () => {
    const service = new PostureService(t.store);
    const inside = await service.decide({
      connection: 'default',
      device: await platformOf('Windows'),
      by: 'eid',
      policy: policy('All Windows'),
    });
    expect(inside).toMatchObject({ verdict: 'allow', rule: 'in-group' });
    expect(inside.checks).toEqual([
      { check: 'computerGroup', passed: true, sentence: 'member of All Windows', rule: 'in-group' },
    ]);
    const outside = await service.decide({
      connection: 'default',
      device: await platformOf('Mac'),
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
    const eid = await platformOf('Windows');
    expect(await members('All Windows')).toContain(eid);
    const deleted = await t.client.graphql<{ computerGroupDelete: { id: string | null } }>(
      'mutation { computerGroupDelete(ref: {name: "All Windows"}) { id error { message } } }',
    );
    expect(deleted.computerGroupDelete.id).not.toBeNull();
    const run = await t.sync();
    expect(run.mode).toBe('incremental');
    expect(await members('All Windows')).toEqual([]);
    expect(await members('All Computers')).toHaveLength(120);
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
    const macs = await members('All Mac');
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
    expect(await members('All Mac')).toEqual(macs);
    const fired = (await (await fetch(`${h.emulator.url}/__emulator/faults`)).json()) as {
      rules: { applied: number }[];
    };
    expect(fired.rules[0]?.applied).toBe(1);
    await t.sync();
    expect(await members('All Mac')).toEqual([]);
  });

  it('a stopped read sends no member request after the stop and fails, so nothing is written', async () => {
    const gatewayRequests = async () => {
      const stats = (await (await fetch(`${h.emulator.url}/__emulator/stats`)).json()) as {
        requests: { byRoute: Record<string, number> };
      };
      return stats.requests.byRoute['POST /plugin/products/gateway/graphql'] ?? 0;
    };
    const before = await gatewayRequests();
    const stop = new AbortController();
    const read = readGroups(t.client, undefined, stop.signal);
    stop.abort();
    await expect(read).rejects.toThrow('stopped');
    // The groups query was on its way before the stop; no group's members were asked for after it.
    expect((await gatewayRequests()) - before).toBe(1);
  });

  it('reads at most the cap of groups, and a group beyond it is unknown: it fails closed', async () => {
    const capped = await readGroups(t.client, 2);
    expect(capped.groups).toHaveLength(2);
    expect(capped.capped).toBe(true);
    const all = await readGroups(t.client);
    const beyond = all.groups.find((g) => !capped.groups.includes(g))!;
    await t.store.posture.replaceGroups('default', capped, new Date().toISOString());
    const found = await t.store.posture.endpointGroups('default', await platformOf('Mac'));
    expect(found).toMatchObject({ capped: true, groups: capped.groups });
    const service = new PostureService(t.store);
    const decision = await service.decide({
      connection: 'default',
      device: await platformOf('Mac'),
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
    const member = await platformOf('Windows');
    expect(await t.store.posture.endpointGroups('default', member)).toBeDefined();
    await t.store.connections.remove('default');
    // Membership never read for the connection (its refresh and member rows went with it).
    expect(await t.store.posture.endpointGroups('default', member)).toBeUndefined();
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
