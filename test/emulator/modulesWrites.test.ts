import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, tempDir } from '../helpers/emulatorHarness.js';

const P = '/plugin/products';
const TR = `${P}/threat-response/api/v1`;

describe('emulator modules: writes read back, unknown ids answer 404, bad writes change nothing', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('Asset: a view is created, used to project assets, and deleted', async () => {
    const created = await h.call<{
      data: { id: number; definition: { attributes: { fieldName: string }[] } }[];
    }>('POST', `${P}/asset/v1/views`, {
      body: { items: [{ viewName: 'Serials', definition: { attributes: [{ id: 1 }, { id: 3 }] } }] },
    });
    expect(created.status, created.text).toBe(200);
    const view = created.json.data[0]!;
    expect(view.definition.attributes.map((a) => a.fieldName)).toEqual(['computer_name', 'serial_number']);
    const assets = await h.call<{ response: { data: Record<string, unknown>[] } }>(
      'GET',
      `${P}/asset/v1/assets?limit=3&viewId=${view.id}`,
    );
    expect(Object.keys(assets.json.response.data[0]!).sort()).toEqual([
      'computer_name',
      'id',
      'serial_number',
    ]);
    const views = await h.call<{ data: { id: number }[] }>('GET', `${P}/asset/v1/views`);
    expect(views.json.data.map((v) => v.id)).toContain(view.id);
    expect((await h.call('DELETE', `${P}/asset/v1/views/${view.id}`)).status).toBe(204);
    expect((await h.call('DELETE', `${P}/asset/v1/views/${view.id}`)).status).toBe(404);
    expect((await h.call('DELETE', `${P}/asset/v1/views/1`)).status).toBe(400);
  });

  it('Asset: a view naming an unknown attribute is refused whole', async () => {
    const before = (await h.call<{ data: unknown[] }>('GET', `${P}/asset/v1/views`)).json.data.length;
    const reply = await h.call<{ text: string }>('POST', `${P}/asset/v1/views`, {
      body: {
        items: [
          { viewName: 'ok', definition: { attributes: [{ id: 1 }] } },
          { viewName: 'bad', definition: { attributes: [{ id: 999 }] } },
        ],
      },
    });
    expect(reply.status).toBe(400);
    expect(reply.json.text).toContain('items[1].definition.attributes[0].id names no attribute');
    expect((await h.call<{ data: unknown[] }>('GET', `${P}/asset/v1/views`)).json.data.length).toBe(before);
  });

  it('Comply: an exception is created (v1 and v2), read, edited and deleted', async () => {
    const body = {
      type: 'vulnerability',
      title: 'Accept CVE on lab machines',
      checksDefinition: '{"cve":"CVE-2024-1234"}',
      computerGroupIds: [3],
      reason: 'acceptableRisk',
      expiration: '2099-01-01',
    };
    const created = await h.call<{ id: number; isExpired: boolean; createdByPersona: number }>(
      'POST',
      `${P}/comply/v1/exceptions`,
      { body },
    );
    expect(created.status, created.text).toBe(201);
    expect(created.json.isExpired).toBe(false);
    const id = created.json.id;
    const read = await h.call<{ title: string }[]>('GET', `${P}/comply/v1/exceptions/${id}`);
    expect(read.json[0]?.title).toBe(body.title);
    const edited = await h.call<{ title: string; active: boolean }>(
      'PATCH',
      `${P}/comply/v1/exceptions/${id}`,
      {
        body: { ...body, title: 'Renamed', active: false },
      },
    );
    expect(edited.json).toMatchObject({ title: 'Renamed', active: false });

    const job = await h.call<{ id: string; state: string }>('POST', `${P}/comply/v2/exceptions`, { body });
    expect(job.status).toBe(202);
    expect(job.json.state).toBe('RUNNING');
    const status = await h.call<{ state: string; exception: { title: string } }>(
      'GET',
      `${P}/comply/v2/exceptions/status/${job.json.id}`,
    );
    expect(status.json.state).toBe('COMPLETE');
    expect(status.json.exception.title).toBe(body.title);
    expect((await h.call<unknown[]>('GET', `${P}/comply/v1/exceptions`)).json.length).toBe(2);

    expect((await h.call('DELETE', `${P}/comply/v1/exceptions/${id}`)).status).toBe(204);
    expect((await h.call('GET', `${P}/comply/v1/exceptions/${id}`)).status).toBe(404);
  });

  it('Comply: a batch with one bad exception creates none', async () => {
    const before = (await h.call<unknown[]>('GET', `${P}/comply/v1/exceptions`)).json.length;
    const good = {
      type: 'compliance',
      title: 't',
      checksDefinition: '{}',
      computerGroupIds: [1],
      reason: 'other',
    };
    const reply = await h.call<{ text: string }>('POST', `${P}/comply/v1/exceptions/multiple`, {
      body: { exceptions: [good, { ...good, reason: 'because' }] },
    });
    expect(reply.status).toBe(400);
    expect(reply.json.text).toContain('field "reason" must be one of');
    expect((await h.call<unknown[]>('GET', `${P}/comply/v1/exceptions`)).json.length).toBe(before);
  });

  it('Connect: a connection is created and a run started, Finished once the clock moves', async () => {
    const created = await h.call<{ id: number; name: string }>('POST', `${P}/connect/v1/connections`, {
      body: { name: 'Assets to file', destinationType: 'file', streams: ['/v1/sources/savedquestions/1'] },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id;
    expect((await h.call<{ name: string }>('GET', `${P}/connect/v1/connections/${id}`)).json.name).toBe(
      'Assets to file',
    );
    const run = await h.call<{ id: number; status: string; connectionId: number }>(
      'POST',
      `${P}/connect/v1/connections/${id}/runs`,
    );
    expect(run.status).toBe(200);
    expect(run.json).toMatchObject({ status: 'Starting', connectionId: id });
    const runs = await h.call<{ status: string }[]>('GET', `${P}/connect/v1/connections/${id}/runs`);
    expect(runs.json.map((r) => r.status)).toEqual(['Running']);
    await h.advance('1m');
    const later = await h.call<{ status: string }>(
      'GET',
      `${P}/connect/v1/connections/${id}/runs/${run.json.id}`,
    );
    expect(later.json.status).toBe('Finished');
    expect((await h.call('GET', `${P}/connect/v1/connections/${id}/runs/999`)).status).toBe(404);
    const dup = await h.call<{ text: string }>('POST', `${P}/connect/v1/connections`, {
      body: { name: 'Assets to file', destinationType: 'file', streams: ['/x'] },
    });
    expect(dup.status).toBe(400);
  });

  it('Deploy: a deployment is created and read back', async () => {
    const reply = await h.call<{
      data: { id: number; name: string; target: { computerGroupIds: number[] } };
    }>('POST', `${P}/deploy/v1/deployments`, {
      body: {
        name: 'Chrome everywhere',
        softwarePackageId: 2,
        target: { computerGroupIds: [1], questionGroupIds: [] },
      },
    });
    expect(reply.status, reply.text).toBe(200);
    const id = reply.json.data.id;
    const read = await h.call<{ data: { name: string } }>('GET', `${P}/deploy/v1/deployments/${id}`);
    expect(read.json.data.name).toBe('Chrome everywhere');
    expect((await h.call<{ data: unknown[] }>('GET', `${P}/deploy/v1/deployments`)).json.data.length).toBe(1);
    const bad = await h.call<{ text: string }>('POST', `${P}/deploy/v1/deployments`, {
      body: { name: 'x', softwarePackageId: 9999, target: { computerGroupIds: [1] } },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.text).toContain('"softwarePackageId" names no software package: 9999');
    expect((await h.call<{ data: unknown[] }>('GET', `${P}/deploy/v1/deployments`)).json.data.length).toBe(1);
  });

  it('Enforce: a policy is created and read back', async () => {
    const reply = await h.call<{ data: { id: number } }>('POST', `${P}/enforce/v1/policies`, {
      body: { name: 'Block USB', type: 'device-control', platform: 'Windows' },
    });
    expect(reply.status, reply.text).toBe(201);
    const read = await h.call<{ data: { name: string } }>(
      'GET',
      `${P}/enforce/v1/policies/${reply.json.data.id}`,
    );
    expect(read.json.data.name).toBe('Block USB');
    const bad = await h.call<{ text: string }>('POST', `${P}/enforce/v1/policies`, {
      body: { name: 'x', type: 'magic', platform: 'Windows' },
    });
    expect(bad.json.text).toContain('field "type" must be one of');
  });

  it('Integrity Monitor: a monitor is created and read back', async () => {
    const reply = await h.call<{ data: { id: number } }>('POST', `${P}/integrity-monitor/v1/monitors`, {
      body: { name: 'Etc watcher', watchlistIds: [3], computerGroupIds: [1] },
    });
    expect(reply.status, reply.text).toBe(201);
    const read = await h.call<{ data: { name: string } }>(
      'GET',
      `${P}/integrity-monitor/v1/monitors/${reply.json.data.id}`,
    );
    expect(read.json.data.name).toBe('Etc watcher');
    const bad = await h.call<{ text: string }>('POST', `${P}/integrity-monitor/v1/monitors`, {
      body: { name: 'x', watchlistIds: [99], computerGroupIds: [1] },
    });
    expect(bad.json.text).toContain('"watchlistIds" names no watchlist: 99');
  });

  it('Patch: a v2 deployment answers its id and reads back bare; it can be stopped', async () => {
    const reply = await h.call<{ id: number; name: string; isActive: boolean }>(
      'POST',
      `${P}/patch/v2/deployments`,
      {
        body: {
          name: 'January rollup',
          osType: 'windows',
          patchTaniumUids: ['win-00001'],
          targetedComputerGroupIds: [1],
        },
      },
    );
    expect(reply.status, reply.text).toBe(200);
    expect(reply.json).toMatchObject({ name: 'January rollup', isActive: true });
    const id = reply.json.id;
    const list = await h.call<{ deployments: { id: number }[] }>('GET', `${P}/patch/v1/deployments`);
    expect(list.json.deployments.map((d) => d.id)).toEqual([id]);
    const read = await h.call<{ patches: unknown[] }>('GET', `${P}/patch/v1/deployments/${id}`);
    expect(read.json.patches).toEqual([{ taniumUid: 'win-00001' }]);
    const stopped = await h.call<{ isActive: boolean; stoppedAt: string }>(
      'PUT',
      `${P}/patch/v2/deployments/${id}`,
      {
        body: { stoppedAt: '2026-05-01T00:00:00.000Z' },
      },
    );
    expect(stopped.json).toMatchObject({ isActive: false, stoppedAt: '2026-05-01T00:00:00.000Z' });
  });

  it.each([
    [
      { osType: 'windows', patchTaniumUids: ['win-00001'], targetedComputerGroupIds: [1] },
      'field "name" is required',
    ],
    [{ name: 'n', osType: 'windows', targetedComputerGroupIds: [1] }, 'name the content'],
    [
      { name: 'n', osType: 'windows', patchTaniumUids: ['nope'], targetedComputerGroupIds: [1] },
      'names no patch: nope',
    ],
    [{ name: 'n', osType: 'windows', patchTaniumUids: ['win-00001'] }, 'name the targets'],
    [
      { name: 'n', osType: 'beos', patchTaniumUids: ['win-00001'], targetedComputerGroupIds: [1] },
      '"osType" must be',
    ],
    [
      { name: 'n', osType: 'windows', patchTaniumUids: ['win-00001'], targetedComputerGroupIds: ['1'] },
      'whole numbers',
    ],
  ])('Patch: refuses deployment %j and creates nothing', async (body, message) => {
    const before = (await h.call<{ deployments: unknown[] }>('GET', `${P}/patch/v1/deployments`)).json
      .deployments.length;
    const reply = await h.call<{ text: string }>('POST', `${P}/patch/v2/deployments`, { body });
    expect(reply.status).toBe(400);
    expect(reply.json.text).toContain(message);
    expect(
      (await h.call<{ deployments: unknown[] }>('GET', `${P}/patch/v1/deployments`)).json.deployments.length,
    ).toBe(before);
  });

  it('Patch: maintenance windows are created, listed and deleted', async () => {
    const created = await h.call<{ id: number }>('POST', `${P}/patch/v1/maintenance-windows`, {
      body: {
        name: 'Sunday night',
        osType: 'windows',
        startTime: '2026-05-03T01:00:00Z',
        endTime: '2026-05-03T05:00:00Z',
      },
    });
    expect(created.status, created.text).toBe(200);
    const list = await h.call<{ maintenanceWindows: { id: number }[] }>(
      'GET',
      `${P}/patch/v1/maintenance-windows`,
    );
    expect(list.json.maintenanceWindows.map((w) => w.id)).toContain(created.json.id);
    expect((await h.call('DELETE', `${P}/patch/v1/maintenance-windows/${created.json.id}`)).status).toBe(200);
    const backwards = await h.call<{ text: string }>('POST', `${P}/patch/v1/maintenance-windows`, {
      body: {
        name: 'x',
        osType: 'linux',
        startTime: '2026-05-03T05:00:00Z',
        endTime: '2026-05-03T01:00:00Z',
      },
    });
    expect(backwards.json.text).toContain('"endTime" must be after "startTime"');
  });

  it('Reputation: custom entries upload and look-ups answer verdicts, unknown hashes "unknown"', async () => {
    const sha256 = 'a'.repeat(64);
    const upload = await h.call<{ data: { id: number }[] }>(
      'POST',
      `${P}/reputation/v3/reputations/custom/upload?append=true`,
      {
        body: [{ list: 'blacklist', uploadedHash: sha256.toUpperCase(), notes: 'test' }],
      },
    );
    expect(upload.status, upload.text).toBe(200);
    const search = await h.call<{ data: { sha256: string }[] }>(
      'GET',
      `${P}/reputation/v3/reputations/custom?search=${sha256}`,
    );
    expect(search.json.data.map((c) => c.sha256)).toEqual([sha256]);
    const lookup = await h.call<{ data: { hash: string; hashType: string; status: string }[] }>(
      'POST',
      `${P}/reputation/v3/reputations/hashes`,
      {
        body: {
          hashes: [sha256, 'd41d8cd98f00b204e9800998ecf8427e', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
        },
      },
    );
    expect(lookup.json.data.map((v) => [v.hashType, v.status])).toEqual([
      ['sha256', 'malicious'],
      ['md5', 'unknown'],
      ['sha1', 'unknown'],
    ]);
    expect(
      (await h.call('DELETE', `${P}/reputation/v3/reputations/custom/${upload.json.data[0]!.id}`)).status,
    ).toBe(200);
    const after = await h.call<{ data: { status: string }[] }>(
      'POST',
      `${P}/reputation/v3/reputations/hashes`,
      {
        body: { hashes: [sha256] },
      },
    );
    expect(after.json.data[0]?.status).toBe('unknown');
    const bad = await h.call<{ text: string }>('POST', `${P}/reputation/v3/reputations/hashes`, {
      body: { hashes: ['abc123'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.text).toContain('hashes[0] must be an MD5 (32), SHA-1 (40) or SHA-256 (64)');
  });

  it('Threat Response: alert states change one at a time or in bulk; other states are refused', async () => {
    const one = await h.call<{ data: { state: string } }>('PUT', `${TR}/alerts/5`, {
      body: { state: 'inprogress' },
    });
    expect(one.json.data.state).toBe('inprogress');
    expect((await h.call<{ data: { state: string } }>('GET', `${TR}/alerts/5`)).json.data.state).toBe(
      'inprogress',
    );
    const bulk = await h.call<{ data: { state: string }[] }>('PUT', `${TR}/alerts/?id=6&id=7`, {
      body: { state: 'resolved' },
    });
    expect(bulk.json.data.map((a) => a.state)).toEqual(['resolved', 'resolved']);
    const resolved = await h.call<{ data: { id: number }[] }>(
      'GET',
      `${TR}/alerts?state=resolved&limit=1000`,
    );
    expect(resolved.json.data.map((a) => a.id)).toEqual(expect.arrayContaining([6, 7]));

    const bad = await h.call<{ text: string }>('PUT', `${TR}/alerts/5`, { body: { state: 'closed' } });
    expect(bad.status).toBe(400);
    expect(bad.json.text).toContain(
      'field "state" must be one of unresolved, inprogress, resolved, ignored, dismissed',
    );
    const halfBad = await h.call('PUT', `${TR}/alerts/?id=8&id=99999`, { body: { state: 'dismissed' } });
    expect(halfBad.status).toBe(404);
    expect((await h.call<{ data: { state: string } }>('GET', `${TR}/alerts/8`)).json.data.state).not.toBe(
      'dismissed',
    );
  });

  it('Threat Response: intels and on-demand scans', async () => {
    const intels = await h.call<{ data: { id: number }[] }>('GET', `${TR}/intels`);
    expect(intels.json.data.length).toBeGreaterThan(0);
    const scan = await h.call<{ data: { id: number; status: string } }>('POST', `${TR}/on-demand-scans`, {
      body: { computerGroupId: 1, intelDocId: intels.json.data[0]!.id },
    });
    expect(scan.status, scan.text).toBe(201);
    expect((await h.call<{ data: unknown[] }>('GET', `${TR}/on-demand-scans`)).json.data.length).toBe(1);
    const bad = await h.call<{ text: string }>('POST', `${TR}/on-demand-scans`, {
      body: { computerGroupId: 1, intelDocId: 999 },
    });
    expect(bad.json.text).toContain('names no intel document: 999');
  });

  it.each([
    [`${P}/asset/v1/assets/999999999`, 'AssetNotFound'],
    [`${P}/asset/v1/assets/abc`, 'AssetNotFound'],
    [`${P}/comply/v1/exceptions/77`, 'ExceptionNotFound'],
    [`${P}/comply/v1/benchmarks/77`, 'BenchmarkNotFound'],
    [`${P}/comply/v2/exceptions/status/77`, 'JobNotFound'],
    [`${P}/connect/v1/connections/777`, 'NotFound'],
    [`${P}/connect/v1/connections/777/runs`, 'NotFound'],
    [`${P}/deploy/v1/software-packages/777`, 'SoftwarePackageNotFound'],
    [`${P}/deploy/v1/deployments/777`, 'DeploymentNotFound'],
    [`${P}/enforce/v1/policies/777`, 'PolicyNotFound'],
    [`${P}/enforce/v1/enforcements/777/details`, 'EnforcementNotFound'],
    [`${P}/integrity-monitor/v1/monitors/777`, 'MonitorNotFound'],
    [`${P}/integrity-monitor/v1/watchlists/777`, 'WatchlistNotFound'],
    [`${P}/patch/v1/patches/win-99999`, 'PatchNotFound'],
    [`${P}/patch/v1/deployments/777`, 'DeploymentNotFound'],
    [`${P}/patch/v1/patch-lists/777`, 'PatchListNotFound'],
    [`${P}/patch/v1/maintenance-windows/777`, 'MaintenanceWindowNotFound'],
    [`${TR}/alerts/99999`, 'AlertNotFound'],
    [`${TR}/intels/99999`, 'IntelNotFound'],
  ])('GET %s answers 404 %s', async (path, code) => {
    const reply = await h.call<{ text: string }>('GET', path);
    expect(reply.status).toBe(404);
    expect(reply.json.text).toMatch(new RegExp(`^${code}: no `));
  });
});

describe('emulator: personas made through /__emulator/personas survive a restart with --state', () => {
  it('keeps the user, persona and token', async () => {
    const statePath = join(tempDir(), 'state.json');
    const first = await startHarness({ statePath });
    const made = await first.call<{ token: string }>('POST', '/__emulator/personas', {
      token: null,
      body: { user: 'keeper', persona: 'Patch', permissions: ['Show Patch'] },
    });
    await first.close();
    const second = await startHarness({ statePath });
    try {
      expect(
        (await second.call('GET', `${P}/patch/v1/patches?take=1`, { token: made.json.token })).status,
      ).toBe(200);
      expect((await second.call('GET', `${TR}/alerts?limit=1`, { token: made.json.token })).status).toBe(403);
    } finally {
      await second.close();
    }
  });
});
