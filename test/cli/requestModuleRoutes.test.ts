/**
 * The product's module request action (`tanium-bridge request`, a real process) against the
 * emulator's Comply, Connect, Deploy and Patch administration routes: each write lands in the
 * emulator's state (read back over HTTP), and an unknown id is one line with Tanium's not-found text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { CLI_SUITE_TIMEOUT_MS, runCli, tempHome } from '../helpers/runCli.js';

describe('request (CLI) on module administration routes', { timeout: CLI_SUITE_TIMEOUT_MS }, () => {
  let h: Harness;
  let home: string;
  const request = async (args: string[]) => {
    const result = await runCli(['request', ...args, '--json'], { home });
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };

  beforeAll(async () => {
    h = await startHarness();
    home = tempHome();
    const saved = await runCli(['connect', '--server', h.url], { home, input: h.token });
    expect(saved.code, saved.stderr).toBe(0);
  });
  afterAll(() => h.close());

  it('comply: creates a custom check and a bundle, then reads the bundle results by hash', async () => {
    const check = await request([
      'comply',
      'POST',
      '/v1/custom-checks',
      '--data',
      '{"name":"SSH root login off","platform":"Linux","script":"sshd -T","scriptType":"shell"}',
    ]);
    const bundle = (await request([
      'comply',
      'POST',
      '/v1/bundles',
      '--data',
      JSON.stringify({ name: 'From the CLI', customCheckIds: [check['id']], computerGroupIds: [1] }),
    ])) as { reportBundle: { id: number; hash: string } };
    const results = await request(['comply', 'GET', `/v1/results/aggregate/${bundle.reportBundle.hash}`]);
    expect(results).toMatchObject({ reportBundleId: bundle.reportBundle.id, endpointCount: 25 });
    const truth = await h.call<{ reportBundleList: { name: string }[] }>(
      'GET',
      '/plugin/products/comply/v1/bundles',
    );
    expect(truth.json.reportBundleList.map((b) => b.name)).toContain('From the CLI');
  });

  it('connect: imports a connection, starts a run and stops the connection', async () => {
    const imported = await request([
      'connect',
      'POST',
      '/v1/import',
      '--data',
      JSON.stringify({
        name: 'CLI import',
        destinationType: 'file',
        streams: [
          { route: '/v1/sources/systemstatuses', arguments: { lastRegistrationMinutes: 10 } },
          { route: '/v1/destinations/files', arguments: { name: 'out', fileName: 'status.json' } },
        ],
      }),
    ]);
    const id = imported['id'] as number;
    const run = await request(['connect', 'POST', `/v1/connections/${id}/runs`, '--data', '{}']);
    expect(await request(['connect', 'POST', `/v1/connections/${id}/stop`, '--data', '{}'])).toEqual({});
    const truth = await h.call<{ status: string }>(
      'GET',
      `/plugin/products/connect/v1/connections/${id}/runs/${String(run['id'])}`,
    );
    expect(truth.json.status).toBe('Failed');
  });

  it('deploy: stops a deployment, which v3 then lists as stopped', async () => {
    const created = (await request([
      'deploy',
      'POST',
      '/v1/deployments',
      '--data',
      '{"name":"CLI deploy","softwarePackageId":2,"target":{"computerGroupIds":[1]}}',
    ])) as { data: { id: number } };
    await request(['deploy', 'PUT', `/v1/deployments/${created.data.id}`, '--data', '{"stopped":true}']);
    const v3 = (await request(['deploy', 'GET', '/v3/deployments?stopped=true'])) as {
      data: { deployments: { id: number }[] };
    };
    expect(v3.data.deployments.map((d) => d.id)).toEqual([created.data.id]);
  });

  it('patch: creates a block list and deletes it; the deleted id is one not-found line', async () => {
    const created = await request([
      'patch',
      'POST',
      '/v1/blacklists',
      '--data',
      '{"name":"CLI block","osType":"windows","patchTaniumUids":["win-00002"]}',
    ]);
    const truth = await h.call<{ blacklists: { name: string }[] }>(
      'GET',
      '/plugin/products/patch/v1/blacklists',
    );
    expect(truth.json.blacklists.map((b) => b.name)).toEqual(['CLI block']);
    await request(['patch', 'DELETE', `/v1/blacklists/${String(created['id'])}`]);
    const gone = await runCli(['request', 'patch', 'GET', `/v1/blacklists/${String(created['id'])}`], {
      home,
    });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(
      /^Not found \(HTTP 404\) for GET \/plugin\/products\/patch\/v1\/blacklists\/\d+ .*Tanium said: BlacklistNotFound: /,
    );
    expect(gone.stderr.split('\n')).toHaveLength(2);
  });
});
