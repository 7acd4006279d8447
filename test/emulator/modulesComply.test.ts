/**
 * Comply content over real HTTP: custom checks, report bundles (and their aggregate results by
 * hash) and vulnerability sources. Writes read back, unknown ids are 404, bad bodies 400 and change
 * nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';

const C = '/plugin/products/comply';

interface Bundle {
  id: number;
  hash: string;
  name: string;
}

describe('emulator Comply: custom checks, bundles, results, vulnerability sources', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('a custom check is created (201), listed, patched and deleted (204)', async () => {
    const created = await h.call<{ id: number; scriptType: string }>('POST', `${C}/v1/custom-checks`, {
      body: { name: 'Firewall on', platform: 'Windows', script: 'Get-NetFirewallProfile' },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json.scriptType).toBe('powershell');
    const path = `${C}/v1/custom-checks/${created.json.id}`;
    expect((await h.call<{ id: number }[]>('GET', `${C}/v1/custom-checks`)).json.map((c) => c.id)).toContain(
      created.json.id,
    );
    const patched = await h.call<{ name: string; platform: string }>('PATCH', path, {
      body: { name: 'Firewall' },
    });
    expect(patched.json).toMatchObject({ name: 'Firewall', platform: 'Windows' });
    const bad = await h.call<{ text: string }>('PATCH', path, { body: { platform: 'BeOS' } });
    expect(bad.status).toBe(400);
    expect(bad.json.text).toContain('field "platform" must be one of Windows, Linux, Mac');
    expect((await h.call<{ platform: string }>('GET', path)).json.platform).toBe('Windows');
    expect((await h.call('DELETE', path)).status).toBe(204);
    expect((await h.call<{ text: string }>('GET', path)).json.text).toMatch(/^CustomCheckNotFound: /);
    expect((await h.call('POST', `${C}/v1/custom-checks`, { body: { name: 'x' } })).status).toBe(400);
  });

  it('a bundle answers {reportBundle}, lists in {reportBundleList}, and its hash gives aggregate results until deleted', async () => {
    const check = await h.call<{ id: number }>('POST', `${C}/v1/custom-checks`, {
      body: { name: 'Disk encrypted', platform: 'Linux', script: 'lsblk', scriptType: 'shell' },
    });
    const created = await h.call<{ reportBundle: Bundle }>('POST', `${C}/v1/bundles`, {
      body: {
        name: 'Lab assessment',
        benchmarkId: 3,
        customCheckIds: [check.json.id],
        computerGroupIds: [1, 2],
      },
    });
    expect(created.status, created.text).toBe(201);
    const bundle = created.json.reportBundle;
    expect(bundle.hash).toMatch(/^[0-9a-f]{32}$/);
    const list = await h.call<{ reportBundleList: Bundle[] }>('GET', `${C}/v1/bundles`);
    expect(list.json.reportBundleList.map((b) => b.id)).toContain(bundle.id);
    expect(
      (await h.call<{ reportBundle: Bundle }>('GET', `${C}/v1/bundles/${bundle.id}`)).json.reportBundle.name,
    ).toBe('Lab assessment');

    const results = await h.call<{
      hash: string;
      reportBundleId: number;
      endpointCount: number;
      totals: { pass: number; fail: number; error: number };
      rules: { ruleId: string; pass: number; fail: number; error: number }[];
    }>('GET', `${C}/v1/results/aggregate/${bundle.hash}`);
    expect(results.status, results.text).toBe(200);
    expect(results.json).toMatchObject({ hash: bundle.hash, reportBundleId: bundle.id, endpointCount: 50 });
    expect(results.json.rules).toHaveLength(21);
    expect(results.json.rules[0]?.ruleId).toBe(`custom-${check.json.id}`);
    for (const rule of results.json.rules) expect(rule.pass + rule.fail + rule.error).toBe(50);
    const again = await h.call('GET', `${C}/v1/results/aggregate/${bundle.hash}`);
    expect(again.json).toEqual(results.json);

    expect((await h.call('DELETE', `${C}/v1/bundles/${bundle.id}`)).status).toBe(204);
    const gone = await h.call<{ text: string }>('GET', `${C}/v1/results/aggregate/${bundle.hash}`);
    expect(gone.status).toBe(404);
    expect(gone.json.text).toMatch(/^ReportBundleNotFound: /);
    expect((await h.call('GET', `${C}/v1/bundles/${bundle.id}`)).status).toBe(404);
  });

  it('a bundle naming an unknown benchmark or custom check is refused and not created', async () => {
    const before = (await h.call<{ reportBundleList: unknown[] }>('GET', `${C}/v1/bundles`)).json
      .reportBundleList.length;
    for (const [body, message] of [
      [{ name: 'b', benchmarkId: 99, computerGroupIds: [1] }, '"benchmarkId" names no benchmark: 99'],
      [
        { name: 'b', customCheckIds: [999], computerGroupIds: [1] },
        '"customCheckIds" names no custom check: 999',
      ],
      [{ name: 'b', computerGroupIds: [1] }, 'give "benchmarkId" or at least one entry in "customCheckIds"'],
      [{ name: 'b', benchmarkId: 1 }, 'field "computerGroupIds" is required'],
      [{ name: 'b', benchmarkId: 1, computerGroupIds: [] }, 'needs at least one computer group'],
    ] as const) {
      const reply = await h.call<{ text: string }>('POST', `${C}/v1/bundles`, { body });
      expect(reply.status).toBe(400);
      expect(reply.json.text).toContain(message);
    }
    expect(
      (await h.call<{ reportBundleList: unknown[] }>('GET', `${C}/v1/bundles`)).json.reportBundleList,
    ).toHaveLength(before);
    expect((await h.call('GET', `${C}/v1/results/aggregate/0123456789abcdef`)).status).toBe(404);
  });

  it('vulnerability sources: the Tanium library is seeded; others need a url; patch and delete', async () => {
    const list = await h.call<{ id: number; type: string }[]>('GET', `${C}/v1/vulnerability-sources`);
    expect(list.json[0]).toMatchObject({ id: 1, type: 'tanium' });
    const noUrl = await h.call<{ text: string }>('POST', `${C}/v1/vulnerability-sources`, {
      body: { name: 'Red Hat OVAL', type: 'oval' },
    });
    expect(noUrl.status).toBe(400);
    expect(noUrl.json.text).toContain('field "url" is required');
    const created = await h.call<{ id: number; enabled: boolean }>('POST', `${C}/v1/vulnerability-sources`, {
      body: { name: 'Red Hat OVAL', type: 'oval', url: 'https://oval.example/rhel9.xml' },
    });
    expect(created.status, created.text).toBe(201);
    const path = `${C}/v1/vulnerability-sources/${created.json.id}`;
    expect(
      (await h.call<{ enabled: boolean }>('PATCH', path, { body: { enabled: false } })).json.enabled,
    ).toBe(false);
    expect((await h.call('PATCH', path, { body: { url: '' } })).status).toBe(400);
    expect((await h.call('DELETE', path)).status).toBe(204);
    expect((await h.call<{ text: string }>('GET', path)).json.text).toMatch(/^VulnerabilitySourceNotFound: /);
    expect((await h.call('PATCH', `${C}/v1/vulnerability-sources/x`, { body: {} })).status).toBe(404);
  });
  it('a persona without "Show Comply" gets 403 on these routes, before the body is read', async () => {
    const made = await h.call<{ token: string }>('POST', '/__emulator/personas', {
      token: null,
      body: { user: 'outsider', persona: 'No Show Comply', permissions: [] },
    });
    expect(made.status, made.text).toBe(200);
    const before = await h.call('GET', `${C}/v1/custom-checks`);
    for (const [method, path, body] of [
      ['POST', `${C}/v1/custom-checks`, { name: 'x', platform: 'Linux', script: 'true' }],
      ['GET', `${C}/v1/bundles`, undefined],
      ['GET', `${C}/v1/results/aggregate/abc`, undefined],
      ['GET', `${C}/v1/vulnerability-sources`, undefined],
    ] as const) {
      const reply = await h.call<{ text: string }>(method, path, { token: made.json.token, body });
      expect(reply.status, `${method} ${path}`).toBe(403);
      expect(reply.json.text).toContain('Show Comply');
    }
    expect((await h.call('GET', `${C}/v1/custom-checks`)).text).toBe(before.text);
  });
});
