/**
 * Connect over real HTTP: run stop and logs, connection stop, update and delete, sources and
 * destinations, import and export. Each write is read back; unknown ids are 404, bad bodies 400 and
 * change nothing; a stopped run stays stopped when the clock moves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';

const C = '/plugin/products/connect';

interface Run {
  id: number;
  status: string;
  sourceRowCount: number;
}

describe('emulator Connect: runs, stream elements, import and export', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const newConnection = async (name: string) => {
    const reply = await h.call<{ id: number }>('POST', `${C}/v1/connections`, {
      body: {
        name,
        destinationType: 'file',
        streams: ['/v1/sources/savedquestions/1', '/v1/destinations/files/1'],
      },
    });
    expect(reply.status, reply.text).toBe(201);
    return reply.json.id;
  };

  it('a stopped run reports Failed and stays stopped; its logs say so; an ended run is not changed by stop', async () => {
    const id = await newConnection('Stop me');
    const started = await h.call<Run>('POST', `${C}/v1/connections/${id}/runs`);
    expect(started.status).toBe(200);
    const stop = await h.call('POST', `${C}/v1/connections/${id}/runs/${started.json.id}/stop`, { body: {} });
    expect(stop.status).toBe(200);
    expect(stop.json).toEqual({});
    await h.advance('1m');
    const run = await h.call<Run>('GET', `${C}/v1/connections/${id}/runs/${started.json.id}`);
    expect(run.json).toMatchObject({ status: 'Failed', sourceRowCount: 0 });
    const logs = await h.call<{ message: string }[]>(
      'GET',
      `${C}/v1/connections/${id}/runs/${started.json.id}/logs`,
    );
    expect(logs.json.map((l) => l.message)).toEqual([`run started by ${'tanium-admin'}`, 'run stopped']);
    const skipped = await h.call<unknown[]>(
      'GET',
      `${C}/v1/connections/${id}/runs/${started.json.id}/logs?offset=1`,
    );
    expect(skipped.json).toHaveLength(1);

    const second = await h.call<Run>('POST', `${C}/v1/connections/${id}/runs`);
    await h.advance('1m');
    await h.call('POST', `${C}/v1/connections/${id}/runs/${second.json.id}/stop`, { body: {} });
    const finished = await h.call<Run>('GET', `${C}/v1/connections/${id}/runs/${second.json.id}`);
    expect(finished.json.status).toBe('Finished');
    expect(finished.json.sourceRowCount).toBeGreaterThan(0);
  });

  it('stopping a connection stops every running run of it, and only of it', async () => {
    const id = await newConnection('Stop all');
    const other = await newConnection('Keep running');
    const a = await h.call<Run>('POST', `${C}/v1/connections/${id}/runs`);
    const b = await h.call<Run>('POST', `${C}/v1/connections/${id}/runs`);
    const c = await h.call<Run>('POST', `${C}/v1/connections/${other}/runs`);
    expect((await h.call('POST', `${C}/v1/connections/${id}/stop`, { body: {} })).json).toEqual({});
    const runs = await h.call<Run[]>('GET', `${C}/v1/connections/${id}/runs`);
    expect(runs.json.filter((r) => [a.json.id, b.json.id].includes(r.id)).map((r) => r.status)).toEqual([
      'Failed',
      'Failed',
    ]);
    expect((await h.call<Run>('GET', `${C}/v1/connections/${other}/runs/${c.json.id}`)).json.status).toBe(
      'Running',
    );
  });

  it('unknown connections and runs are 404 on every run route', async () => {
    const id = await newConnection('Lookups');
    for (const [method, path] of [
      ['POST', `${C}/v1/connections/9999/stop`],
      ['POST', `${C}/v1/connections/${id}/runs/9999/stop`],
      ['GET', `${C}/v1/connections/${id}/runs/9999/logs`],
      ['GET', `${C}/v1/connections/abc/runs/1/logs`],
      ['PUT', `${C}/v1/connections/9999`],
      ['DELETE', `${C}/v1/connections/9999`],
      ['POST', `${C}/v1/export/9999`],
    ] as const) {
      const reply = await h.call<{ text: string }>(method, path, { body: {} });
      expect(reply.status, `${method} ${path}`).toBe(404);
      expect(reply.json.text).toMatch(/^NotFound: /);
    }
  });

  it('a connection is updated (PUT) and deleted; a refused update changes nothing', async () => {
    const id = await newConnection('Edit me');
    const put = await h.call<{ name: string; enabled: boolean }>('PUT', `${C}/v1/connections/${id}`, {
      body: { name: 'Edited', enabled: false },
    });
    expect(put.status, put.text).toBe(200);
    expect(put.json).toMatchObject({ name: 'Edited', enabled: false });
    const bad = await h.call<{ text: string }>('PUT', `${C}/v1/connections/${id}`, {
      body: { name: 'Never', logLevel: 35 },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.text).toContain('"logLevel" must be 10, 20, 30, 40, 50 or 60');
    expect((await h.call<{ name: string }>('GET', `${C}/v1/connections/${id}`)).json.name).toBe('Edited');
    expect((await h.call('PUT', `${C}/v1/connections/${id}`, { body: { colour: 'red' } })).status).toBe(400);
    const removed = await h.call('DELETE', `${C}/v1/connections/${id}`);
    expect(removed.status).toBe(200);
    expect((await h.call('GET', `${C}/v1/connections/${id}`)).status).toBe(404);
  });

  it('destinations: created, listed as a bare array, updated, deleted; the password is never answered', async () => {
    const created = await h.call<{ id: number; name: string; password?: string }>(
      'POST',
      `${C}/v1/destinations/smtps`,
      {
        body: {
          name: 'Mail',
          host: 'smtp.example.com',
          port: 587,
          username: 'bridge',
          password: 'hunter2-secret',
          emailFrom: 'a@example.com',
          emailTo: 'b@example.com',
        },
      },
    );
    expect(created.status, created.text).toBe(201);
    expect(created.text).not.toContain('hunter2-secret');
    const list = await h.call<{ id: number }[]>('GET', `${C}/v1/destinations/smtps`);
    expect(Array.isArray(list.json)).toBe(true);
    expect(list.json.map((d) => d.id)).toContain(created.json.id);
    expect(list.text).not.toContain('hunter2-secret');
    const put = await h.call<{ port: number }>('PUT', `${C}/v1/destinations/smtps/${created.json.id}`, {
      body: { port: 2525 },
    });
    expect(put.json.port).toBe(2525);
    const missing = await h.call<{ text: string }>('POST', `${C}/v1/destinations/smtps`, {
      body: { name: 'x' },
    });
    expect(missing.status).toBe(400);
    expect(missing.json.text).toContain('field "host" is required');
    expect(
      (await h.call('PUT', `${C}/v1/destinations/smtps/${created.json.id}`, { body: { port: 'x' } })).status,
    ).toBe(400);
    expect((await h.call('DELETE', `${C}/v1/destinations/smtps/${created.json.id}`)).json).toEqual({});
    expect((await h.call('GET', `${C}/v1/destinations/smtps/${created.json.id}`)).status).toBe(404);
    // The seeded connections' destinations exist.
    expect((await h.call<unknown[]>('GET', `${C}/v1/destinations/files`)).json.length).toBeGreaterThanOrEqual(
      24,
    );
  });

  it('sources: a saved-question source is created, read, updated and deleted', async () => {
    const created = await h.call<{ id: number; batchSize: number }>(
      'POST',
      `${C}/v1/sources/savedquestions`,
      {
        body: { savedQuestionName: 'Installed Applications', batchSize: 500 },
      },
    );
    expect(created.status, created.text).toBe(201);
    const path = `${C}/v1/sources/savedquestions/${created.json.id}`;
    expect((await h.call<{ savedQuestionName: string }>('GET', path)).json.savedQuestionName).toBe(
      'Installed Applications',
    );
    expect(
      (await h.call<{ batchSize: number }>('PUT', path, { body: { batchSize: 50 } })).json.batchSize,
    ).toBe(50);
    expect((await h.call('PUT', path, { body: { batchSize: 0 } })).status).toBe(400);
    expect((await h.call('DELETE', path)).status).toBe(200);
    expect((await h.call('DELETE', path)).status).toBe(404);
    const status = await h.call('POST', `${C}/v1/sources/systemstatuses`, {
      body: { lastRegistrationMinutes: 4 },
    });
    expect(status.status).toBe(201);
  });

  it('import creates the elements and the connection; export gives the document back without secrets', async () => {
    const document = {
      name: 'Imported',
      destinationType: 'elasticsearch',
      schedule: '33 16 * * *',
      scheduleTimeZone: 'America/Chicago',
      streams: [
        { route: '/v1/sources/savedquestions', arguments: { savedQuestionName: 'Running Processes' } },
        { route: '/v1/formats/elasticsearches', arguments: { indexColumns: null } },
        {
          route: '/v1/destinations/elasticsearches',
          arguments: { name: 'es', url: 'https://es.example:9200', password: 'es-secret-pw' },
        },
      ],
    };
    const imported = await h.call<{ id: number; streams: { route: string }[] }>('POST', `${C}/v1/import`, {
      body: document,
    });
    expect(imported.status, imported.text).toBe(200);
    expect(imported.text).not.toContain('es-secret-pw');
    const routes = imported.json.streams.map((s) => s.route);
    expect(routes[0]).toMatch(/^\/v1\/sources\/savedquestions\/\d+$/);
    const connection = await h.call<{ streams: string[] }>('GET', `${C}/v1/connections/${imported.json.id}`);
    expect(connection.json.streams).toEqual(routes);
    expect((await h.call('GET', `${C}${routes[2]}`)).status).toBe(200);

    const exported = await h.call<{
      name: string;
      streams: { route: string; arguments: Record<string, unknown> }[];
    }>('POST', `${C}/v1/export/${imported.json.id}`, { body: {} });
    expect(exported.status).toBe(200);
    expect(exported.json.streams.map((s) => s.route)).toEqual(document.streams.map((s) => s.route));
    expect(exported.json.streams[2]?.arguments).toMatchObject({ name: 'es', url: 'https://es.example:9200' });
    expect(exported.text).not.toContain('es-secret-pw');

    // An export imports again under a new name.
    const again = await h.call('POST', `${C}/v1/import`, {
      body: { ...exported.json, name: 'Imported again' },
    });
    expect(again.status, again.text).toBe(200);
    const many = await h.call<{ name: string }[]>('POST', `${C}/v1/export`, { body: [1, imported.json.id] });
    expect(many.json.map((c) => c.name)).toEqual([expect.any(String), 'Imported']);
  });

  it('a bad import is refused whole: nothing is created', async () => {
    const before = (await h.call<unknown[]>('GET', `${C}/v1/sources/savedquestions`)).json.length;
    const connections = (await h.call<unknown[]>('GET', `${C}/v1/connections`)).json.length;
    for (const [streams, message] of [
      [
        [
          { route: '/v1/sources/savedquestions', arguments: { savedQuestionName: 'x' } },
          { route: '/v1/destinations/files', arguments: { name: 'f' } },
        ],
        'field "fileName" is required',
      ],
      [
        [
          { route: '/v1/destinations/files', arguments: { name: 'f', fileName: 'f.json' } },
          { route: '/v1/sources/savedquestions', arguments: { savedQuestionName: 'x' } },
        ],
        'must be one source, any filters, at most one format and one destination',
      ],
      [
        [
          { route: '/v1/sources/nothing', arguments: {} },
          { route: '/v1/destinations/files', arguments: { name: 'f', fileName: 'f.json' } },
        ],
        'is not a Connect stream type',
      ],
    ] as const) {
      const reply = await h.call<{ text: string }>('POST', `${C}/v1/import`, {
        body: { name: 'Refused', destinationType: 'file', streams },
      });
      expect(reply.status).toBe(400);
      expect(reply.json.text).toContain(message);
    }
    expect((await h.call('POST', `${C}/v1/export`, { body: [1, 99999] })).status).toBe(404);
    expect((await h.call('POST', `${C}/v1/export`, { body: { ids: [1] } })).status).toBe(400);
    expect((await h.call<unknown[]>('GET', `${C}/v1/sources/savedquestions`)).json.length).toBe(before);
    expect((await h.call<unknown[]>('GET', `${C}/v1/connections`)).json.length).toBe(connections);
  });
  it('a persona without "Show Connect" gets 403 on these routes, before the body is read', async () => {
    const made = await h.call<{ token: string }>('POST', '/__emulator/personas', {
      token: null,
      body: { user: 'outsider', persona: 'No Show Connect', permissions: [] },
    });
    expect(made.status, made.text).toBe(200);
    const before = await h.call('GET', `${C}/v1/destinations/files`);
    for (const [method, path, body] of [
      ['POST', `${C}/v1/connections/1/stop`, {}],
      ['POST', `${C}/v1/import`, { name: 'x' }],
      ['GET', `${C}/v1/destinations/files`, undefined],
      ['POST', `${C}/v1/export/1`, {}],
    ] as const) {
      const reply = await h.call<{ text: string }>(method, path, { token: made.json.token, body });
      expect(reply.status, `${method} ${path}`).toBe(403);
      expect(reply.json.text).toContain('Show Connect');
    }
    expect((await h.call('GET', `${C}/v1/destinations/files`)).text).toBe(before.text);
  });
});
