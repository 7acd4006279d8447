/**
 * Deploy over real HTTP: `/v3/deployments`, stopping a deployment (it stays stopped), maintenance
 * windows, self-service profiles and temp files. Envelope `{data}`; unknown ids 404, bad bodies 400.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';

const D = '/plugin/products/deploy';

interface Deployment {
  id: number;
  stopped: boolean;
  stoppedAt: string | null;
  statusLabel: string;
}

describe('emulator Deploy: v3 deployments, stop, maintenance windows, profiles, temp files', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const deploy = async (name: string) => {
    const reply = await h.call<{ data: Deployment }>('POST', `${D}/v1/deployments`, {
      body: { name, softwarePackageId: 1, target: { computerGroupIds: [1] } },
    });
    expect(reply.status, reply.text).toBe(200);
    return reply.json.data;
  };

  it('v3 lists deployments with totals and paging; a stopped deployment stays stopped', async () => {
    const first = await deploy('Chrome everywhere');
    await deploy('7-Zip everywhere');
    const all = await h.call<{ data: { total: number; filteredTotal: number; deployments: Deployment[] } }>(
      'GET',
      `${D}/v3/deployments`,
    );
    expect(all.json.data).toMatchObject({ total: 2, filteredTotal: 2 });
    const paged = await h.call<{ data: { deployments: Deployment[] } }>(
      'GET',
      `${D}/v3/deployments?skip=1&take=1`,
    );
    expect(paged.json.data.deployments).toHaveLength(1);
    expect((await h.call('GET', `${D}/v3/deployments?take=-1`)).status).toBe(400);

    const stopped = await h.call<{ data: Deployment }>('PUT', `${D}/v1/deployments/${first.id}`, {
      body: { stopped: true },
    });
    expect(stopped.status, stopped.text).toBe(200);
    expect(stopped.json.data).toMatchObject({ stopped: true, statusLabel: 'Stopped' });
    const stoppedAt = stopped.json.data.stoppedAt;
    expect(stoppedAt).toEqual(expect.any(String));
    const restart = await h.call<{ text: string }>('PUT', `${D}/v1/deployments/${first.id}`, {
      body: { stopped: false },
    });
    expect(restart.status).toBe(400);
    expect(restart.json.text).toContain('a stopped deployment cannot be restarted');
    await h.advance('1h');
    await h.call('PUT', `${D}/v1/deployments/${first.id}`, { body: { stopped: true } });
    const read = await h.call<{ data: Deployment }>('GET', `${D}/v1/deployments/${first.id}`);
    expect(read.json.data).toMatchObject({ stopped: true, stoppedAt });
    const onlyStopped = await h.call<{ data: { filteredTotal: number } }>(
      'GET',
      `${D}/v3/deployments?stopped=true`,
    );
    expect(onlyStopped.json.data.filteredTotal).toBe(1);
    expect((await h.call('PUT', `${D}/v1/deployments/999`, { body: { stopped: true } })).status).toBe(404);
    expect((await h.call('PUT', `${D}/v1/deployments/${first.id}`, { body: { paused: true } })).status).toBe(
      400,
    );
  });

  it('maintenance windows are created, listed, updated and deleted; end before start is refused', async () => {
    const created = await h.call<{ data: { id: number; recurrence: string } }>(
      'POST',
      `${D}/v1/maintenance-windows`,
      {
        body: {
          name: 'Weekend',
          startTime: '2026-06-06T00:00:00Z',
          endTime: '2026-06-07T23:00:00Z',
          recurrence: 'weekly',
        },
      },
    );
    expect(created.status, created.text).toBe(200);
    const path = `${D}/v1/maintenance-windows/${created.json.data.id}`;
    expect(
      (await h.call<{ data: { id: number }[] }>('GET', `${D}/v1/maintenance-windows`)).json.data,
    ).toHaveLength(1);
    const bad = await h.call<{ text: string }>('PUT', path, { body: { endTime: '2026-06-01T00:00:00Z' } });
    expect(bad.status).toBe(400);
    expect(bad.json.text).toContain('"endTime" must be after "startTime"');
    const put = await h.call<{ data: { name: string } }>('PUT', path, { body: { name: 'Long weekend' } });
    expect(put.json.data.name).toBe('Long weekend');
    expect(
      (
        await h.call('POST', `${D}/v1/maintenance-windows`, {
          body: { name: 'x', startTime: 'soon', endTime: 'later' },
        })
      ).status,
    ).toBe(400);
    expect((await h.call<{ data: { id: number } }>('DELETE', path)).json.data.id).toBe(created.json.data.id);
    expect((await h.call<{ text: string }>('GET', path)).json.text).toMatch(/^MaintenanceWindowNotFound: /);
  });

  it('a profile offers its software packages; unknown packages are refused', async () => {
    const created = await h.call<{ data: { id: number } }>('POST', `${D}/v1/profiles`, {
      body: { name: 'Developers', softwarePackageIds: [1, 2], computerGroupIds: [1] },
    });
    expect(created.status, created.text).toBe(200);
    const id = created.json.data.id;
    const software = await h.call<{ data: { id: number; productName: string }[] }>(
      'GET',
      `${D}/v1/profiles/${id}/software`,
    );
    expect(software.json.data.map((p) => p.id)).toEqual([1, 2]);
    const bad = await h.call<{ text: string }>('PUT', `${D}/v1/profiles/${id}`, {
      body: { softwarePackageIds: [9999] },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.text).toContain('"softwarePackageIds" names no software package: 9999');
    await h.call('PUT', `${D}/v1/profiles/${id}`, { body: { softwarePackageIds: [3] } });
    expect(
      (await h.call<{ data: { id: number }[] }>('GET', `${D}/v1/profiles/${id}/software`)).json.data.map(
        (p) => p.id,
      ),
    ).toEqual([3]);
    expect((await h.call('DELETE', `${D}/v1/profiles/${id}`)).status).toBe(200);
    expect((await h.call('GET', `${D}/v1/profiles/${id}/software`)).status).toBe(404);
  });

  it('a temp file keeps its size and SHA-256, answers cached, and is deleted', async () => {
    const bytes = Buffer.from('#!/bin/sh\necho installed\n');
    const created = await h.call<{ data: { id: number; size: number; hash: string } }>(
      'POST',
      `${D}/v1/tempfiles`,
      {
        body: { name: 'install.sh', content: bytes.toString('base64') },
      },
    );
    expect(created.status, created.text).toBe(200);
    expect(created.json.data).toMatchObject({
      size: bytes.length,
      hash: createHash('sha256').update(bytes).digest('hex'),
    });
    const path = `${D}/v1/tempfiles/${created.json.data.id}`;
    expect((await h.call<{ data: { cached: boolean } }>('GET', `${path}/cached`)).json.data.cached).toBe(
      true,
    );
    expect((await h.call<{ data: { name: string } }>('GET', path)).json.data.name).toBe('install.sh');
    expect((await h.call('DELETE', path)).status).toBe(200);
    expect((await h.call<{ text: string }>('GET', path)).json.text).toMatch(/^TempFileNotFound: /);
    const bad = await h.call<{ text: string }>('POST', `${D}/v1/tempfiles`, {
      body: { name: 'x', content: 'not base64!' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.text).toContain('base64');
  });
  it('a persona without "Show Deploy" gets 403 on these routes, before the body is read', async () => {
    const made = await h.call<{ token: string }>('POST', '/__emulator/personas', {
      token: null,
      body: { user: 'outsider', persona: 'No Show Deploy', permissions: [] },
    });
    expect(made.status, made.text).toBe(200);
    const before = await h.call('GET', `${D}/v1/profiles`);
    for (const [method, path, body] of [
      ['GET', `${D}/v3/deployments`, undefined],
      ['POST', `${D}/v1/profiles`, { name: 'x' }],
      ['POST', `${D}/v1/tempfiles`, { name: 'x', content: '' }],
      ['GET', `${D}/v1/maintenance-windows`, undefined],
    ] as const) {
      const reply = await h.call<{ text: string }>(method, path, { token: made.json.token, body });
      expect(reply.status, `${method} ${path}`).toBe(403);
      expect(reply.json.text).toContain('Show Deploy');
    }
    expect((await h.call('GET', `${D}/v1/profiles`)).text).toBe(before.text);
  });
});
