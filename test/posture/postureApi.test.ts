import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, tempDir } from '../helpers/emulatorHarness.js';
import { runCli } from '../helpers/runCli.js';
import { homeWithKeys, type Served, serve } from '../helpers/serveHarness.js';
import { storeNodes } from '../helpers/storeNodes.js';
import { DIALECTS } from '../store/dialects.js';

let h: Harness;
let home: string;
let admin: string;
let viewer: string;
let api: Served;
let device: { endpoint_id: string; serial_number: string; name: string };

beforeAll(async () => {
  h = await startHarness({ endpoints: 120, seed: 15, realism: 0 });
  ({ home, admin, viewer } = await homeWithKeys(h));
  const synced = await runCli(['sync', '--streams', 'assets,vulnerabilities,compliance'], { home });
  if (synced.code !== 0) throw new Error(synced.stderr);
  api = await serve(home, admin, ['--no-scheduler']);
  const page = await api.call('GET', '/v1/connections/default/assets?limit=5');
  device = page.json.rows[3];
}, 180_000);

afterAll(async () => {
  expect(await api.stop()).toBe(0);
  await h.close();
});

describe('posture over HTTP', () => {
  it('GET /v1/posture/:device answers the decision in the documented shape', async () => {
    const reply = await api.call('GET', `/v1/posture/${device.serial_number}?by=serial`, { key: viewer });
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.json)).toEqual(['verdict', 'rule', 'checks', 'endpoint', 'dataAge']);
    expect(reply.json).toMatchObject({
      verdict: 'allow',
      rule: 'managed',
      checks: [
        {
          check: 'managed',
          passed: true,
          sentence: expect.stringMatching(/^managed: last seen .* ago: within 7 days$/),
        },
      ],
      endpoint: { endpointId: device.endpoint_id, serialNumber: device.serial_number, hostname: device.name },
      dataAge: { stale: false, maxSeconds: 7200 },
    });
    const short = await api.call(
      'GET',
      `/v1/posture/${device.name.split('.')[0]}?by=hostname&connection=default`,
    );
    expect(short.json.endpoint.endpointId).toBe(device.endpoint_id);
  });

  it('stores policies as versions with who and when, and decides with them', async () => {
    const source = readFileSync('docs/examples/posture/no-kev.yaml', 'utf8');
    const first = await api.call('PUT', '/v1/policies/no-kev', { body: { format: 'yaml', source } });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ name: 'no-kev', version: 1, createdBy: 'apikey:admin' });
    const second = await api.call('PUT', '/v1/policies/no-kev', { body: { format: 'yaml', source } });
    expect(second.json.version).toBe(2);
    const got = await api.call('GET', '/v1/policies/no-kev', { key: viewer });
    expect(got.json).toMatchObject({ name: 'no-kev', version: 2, format: 'yaml', source });
    expect(got.json.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect((await api.call('GET', '/v1/policies')).json.policies).toEqual([
      expect.objectContaining({ name: 'no-kev', version: 2 }),
    ]);
    const decided = await api.call('GET', `/v1/posture/${device.endpoint_id}?by=eid&policy=no-kev`);
    expect(['block-known-exploited', 'managed']).toContain(decided.json.rule);
    expect(decided.json.checks[0].check).toBe('kevCves');
  });

  it('a bad policy is refused whole with every problem by path, and changes nothing', async () => {
    const bad = await api.call('PUT', '/v1/policies/no-kev', {
      body: {
        format: 'yaml',
        source: 'rules:\n  - name: a\n    action: allow\n    include: [{ riskLevel: severe }]\n',
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.error.code).toBe('invalid_policy');
    expect(bad.json.error.details.problems).toEqual([
      'rules[0].include[0].riskLevel: expected one of low, medium, high, critical',
    ]);
    expect((await api.call('GET', '/v1/policies/no-kev')).json.version).toBe(2);
    const viewerPut = await api.call('PUT', '/v1/policies/x', { key: viewer, body: { source: 'rules: []' } });
    expect(viewerPut.status).toBe(403);
    expect((await api.call('GET', '/v1/policies/missing')).status).toBe(404);
    expect((await api.call('PUT', '/v1/policies/Bad%20Name', { body: { source: 'x' } })).status).toBe(400);
    expect((await api.call('GET', '/v1/posture/x?policy=missing')).json.error.code).toBe('policy_not_found');
  });

  it('POST /v1/posture/batch answers up to 1,000 devices in order; bad batches change nothing', async () => {
    const ok = await api.call('POST', '/v1/posture/batch', {
      key: viewer,
      body: { devices: [{ device: device.serial_number, by: 'serial' }, { device: 'no-such-device' }] },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.results.map((r: { verdict: string }) => r.verdict)).toEqual(['allow', 'deny']);
    expect(ok.json.results[1].reason).toBe('no synced endpoint has the identifier "no-such-device"');
    const many = Array.from({ length: 1001 }, () => ({ device: device.serial_number }));
    const tooMany = await api.call('POST', '/v1/posture/batch', { body: { devices: many } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error.message).toMatch(/1000/);
    for (const body of [
      {},
      { devices: [{ by: 'serial' }] },
      { devices: [{ device: 5 }] },
      { devices: [{ device: 'x', by: 'colour' }] },
    ]) {
      const reply = await api.call('POST', '/v1/posture/batch', { body });
      expect(reply.status).toBe(400);
      expect(reply.json.error.code).toBe('invalid_request');
    }
    const cloudflare = await api.call('POST', '/v1/integrations/cloudflare/posture', {
      key: null,
      body: { devices: [] },
    });
    expect(cloudflare.status).toBe(503);
    expect(cloudflare.json.error.message).toMatch(/--cloudflare-team and --cloudflare-aud/);
    const badInBatch = await api.call('POST', '/v1/posture/batch', {
      body: { devices: [{ device: device.serial_number }, { device: 'zz', by: 'mac' }] },
    });
    expect(badInBatch.status).toBe(422);
    expect(badInBatch.json.error).toMatchObject({ code: 'invalid_device', details: { index: 1 } });
    expect(badInBatch.json.error.message).toMatch(/^devices\[1\]: "zz" is not a MAC address/);
    const badMac = await api.call('GET', '/v1/posture/zz?by=mac');
    expect(badMac.status).toBe(422);
    expect(badMac.json.error.code).toBe('invalid_device');
  });
});

describe('posture CLI', () => {
  it('exits 0 for allow, 3 for deny and 4 for ambiguous, with the same JSON shape', async () => {
    const allow = await runCli(['posture', device.serial_number, '--by', 'serial', '--json'], { home });
    expect(allow.code).toBe(0);
    expect(JSON.parse(allow.stdout)).toMatchObject({
      verdict: 'allow',
      endpoint: { endpointId: device.endpoint_id },
    });
    const human = await runCli(['posture', device.name], { home });
    expect(human.stdout).toMatch(/^allow: .* — rule managed\n {2}pass managed\/managed: managed: last seen/);
    const deny = await runCli(['posture', 'nothing-like-it'], { home });
    expect(deny.code).toBe(3);
    expect(deny.stdout).toMatch(
      /^deny: no single endpoint — no synced endpoint has the identifier "nothing-like-it"/,
    );
    // Two endpoints with one serial number (a cloned machine): the answer lists both, exit 4. A store
    // of its own holds exactly those two.
    const cloned = await DIALECTS[0]!.cliEnv();
    const clonedHome = tempDir('tb-posture-');
    const store = await cloned.open(clonedHome);
    const seen = new Date().toISOString();
    await storeNodes(store, 'assets', [
      { id: '1', serialNumber: 'SN-CLONED', eidLastSeen: seen },
      { id: '2', serialNumber: 'SN-CLONED', eidLastSeen: seen },
    ]);
    await store.close();
    try {
      const ambiguous = await runCli(['posture', 'SN-CLONED', '--json'], {
        home: clonedHome,
        env: cloned.env,
      });
      expect(ambiguous.code).toBe(4);
      const answer = JSON.parse(ambiguous.stdout);
      expect(answer).toMatchObject({ verdict: 'ambiguous', endpoint: null, rule: null });
      expect(answer.matches.map((m: { endpointId: string }) => m.endpointId).sort()).toEqual(['1', '2']);
    } finally {
      await cloned.drop();
    }
    const policy = await runCli(['posture', 'policy', 'check', 'docs/examples/posture/windows-build.yaml'], {
      home,
    });
    expect(policy).toMatchObject({
      code: 0,
      stdout: 'Policy "windows-build" is valid: 2 rules (current-windows, other-platforms).\n',
    });
    const bad = await runCli(['posture', 'policy', 'check', 'package.json'], { home });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^The policy is not valid: .*\n$/);
    expect(bad.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
