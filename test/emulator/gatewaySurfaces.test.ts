import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';

type Page<N> = {
  edges: { cursor: string; node: N }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  totalRecords?: number;
  totalCount?: number;
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ endpoints: 300, seed: 21, realism: 0 });
});
afterAll(() => h.close());

/** A Gateway answer's data, failing the test on any error. */
async function data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const reply = await h.gql<{ data: T; errors?: { message: string }[] }>(query, variables);
  expect(reply.json.errors, JSON.stringify(reply.json.errors)).toBeUndefined();
  expect(reply.status).toBe(200);
  return reply.json.data;
}

describe('computer groups', () => {
  it('pages both ways, filters by name operator, and a created group holds the endpoints its filter passes', async () => {
    const all = await data<{ computerGroups: Page<{ name: string }> }>(
      '{ computerGroups(first: 100) { totalRecords edges { node { name } } } }',
    );
    const names = all.computerGroups.edges.map((e) => e.node.name);
    const forward = await data<{ computerGroups: Page<{ name: string }> }>(
      '{ computerGroups(first: 4) { edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }',
    );
    expect(forward.computerGroups.edges.map((e) => e.node.name)).toEqual(names.slice(0, 4));
    const end = forward.computerGroups.pageInfo.endCursor!;
    const back = await data<{ computerGroups: Page<{ name: string }> }>(
      'query ($b: Cursor) { computerGroups(last: 2, before: $b) { edges { node { name } } pageInfo { hasPreviousPage } } }',
      { b: end },
    );
    // `before` the fourth group: the two before it.
    expect(back.computerGroups.edges.map((e) => e.node.name)).toEqual(names.slice(1, 3));
    expect(back.computerGroups.pageInfo.hasPreviousPage).toBe(true);
    const starts = await data<{ computerGroups: Page<{ name: string }> }>(
      '{ computerGroups(filter: {name: "all", nameOp: STARTS_WITH}) { edges { node { name contentSet { name } modifiedTime } } } }',
    );
    expect(starts.computerGroups.edges.map((e) => e.node.name)).toEqual(
      names.filter((n) => n.toLowerCase().startsWith('all')),
    );

    const created = await data<{
      computerGroupCreate: { group: { id: string; name: string; expression: string }; error: null };
    }>(
      `mutation { computerGroupCreate(input: {name: "Mac Fleet", managementRightsEnabled: false,
        filter: {sensor: {name: "OS Platform"}, op: EQ, value: "Mac"}}) { group { id name expression } error { message } } }`,
    );
    const group = created.computerGroupCreate.group;
    expect(group.expression).toBe('OS Platform eq Mac');
    const members = await data<{ endpoints: Page<{ os: { platform: string } }> }>(
      'query ($f: EndpointFieldFilter) { endpoints(first: 500, filter: $f) { totalRecords edges { node { os { platform } } } } }',
      { f: { memberOf: { id: group.id } } },
    );
    const macs = await data<{ endpoints: { totalRecords: number } }>(
      '{ endpoints(filter: {path: "os.platform", value: "Mac"}) { totalRecords } }',
    );
    expect(members.endpoints.totalRecords).toBe(macs.endpoints.totalRecords);
    expect(members.endpoints.edges.every((e) => e.node.os.platform === 'Mac')).toBe(true);
  });

  it('a deleted group is gone from the Gateway, from REST and from memberOf filters', async () => {
    const deleted = await data<{ computerGroupDelete: { id: string; error: null } }>(
      'mutation { computerGroupDelete(ref: {name: "Virtual Machines"}) { id error { message } } }',
    );
    const id = deleted.computerGroupDelete.id;
    expect(
      (await data<{ computerGroup: null }>(`{ computerGroup(ref: {id: "${id}"}) { id } }`)).computerGroup,
    ).toBeNull();
    expect((await h.call('GET', `/api/v2/groups/${id}`)).status).toBe(404);
    const members = await data<{ endpoints: { totalRecords: number } }>(
      `{ endpoints(filter: {memberOf: {id: "${id}"}}) { totalRecords } }`,
    );
    expect(members.endpoints.totalRecords).toBe(0);
    const again = await data<{ computerGroupDelete: { id: null; error: { message: string } } }>(
      `mutation { computerGroupDelete(ref: {id: "${id}"}) { id error { message } } }`,
    );
    expect(again.computerGroupDelete.error.message).toContain('no computer group');
  });
});

describe('sensors', () => {
  it('answer SensorParameter objects, columns only for multi-column sensors, contentSetName, and page backwards', async () => {
    const reply = await data<{
      sensors: Page<{
        name: string;
        parameters: { name: string; defaultValue: string | null }[] | null;
        columns: unknown[] | null;
        contentSetName: string;
      }>;
    }>(
      '{ sensors { totalRecords edges { cursor node { name parameters { name defaultValue } columns { name } contentSetName } } } }',
    );
    const nodes = reply.sensors.edges.map((e) => e.node);
    const patches = nodes.find((n) => n.name === 'Applicable Patches')!;
    expect(patches.columns?.length).toBeGreaterThan(1);
    expect(nodes.find((n) => n.name === 'Computer Name')?.columns).toBeNull();
    const parameterised = nodes.find((n) => n.parameters !== null)!;
    expect(parameterised.parameters![0]).toHaveProperty('name');
    expect(nodes.every((n) => n.contentSetName === 'Base')).toBe(true);
    const last = reply.sensors.edges.at(-1)!.cursor;
    const back = await data<{ sensors: Page<{ name: string }> }>(
      'query ($b: Cursor) { sensors(last: 2, before: $b) { edges { node { name } } } }',
      {
        b: last,
      },
    );
    expect(back.sensors.edges.map((e) => e.node.name)).toEqual(nodes.slice(-3, -1).map((n) => n.name));
  });

  it('sensorHarvest registers a sensor for harvest and refuses reserved integration names', async () => {
    const ok = await data<{ sensorHarvest: { success: boolean } }>(
      'mutation { sensorHarvest(input: {name: "Applicable Patches", harvest: true, integrationName: "acme-inventory"}) { success error { message } } }',
    );
    expect(ok.sensorHarvest.success).toBe(true);
    const reserved = await data<{ sensorHarvest: { success: boolean; error: { message: string } } }>(
      'mutation { sensorHarvest(input: {name: "Applicable Patches", harvest: true, integrationName: "tanium-x"}) { success error { message } } }',
    );
    expect(reserved.sensorHarvest.error.message).toContain('reserved');
  });

  it('REST creates, changes and deletes sensors; a deleted one is unknown to the Gateway', async () => {
    const made = await h.call<{ data: { id: number; hidden_flag: boolean; ignore_case_flag: boolean } }>(
      'POST',
      '/api/v2/sensors',
      {
        body: { name: 'Acme Agent Version', category: 'Acme', value_type: 'Version', hidden_flag: false },
      },
    );
    expect(made.status).toBe(200);
    expect(made.json.data.ignore_case_flag).toBe(true);
    const changed = await h.call<{ data: { description: string } }>(
      'PATCH',
      `/api/v2/sensors/${made.json.data.id}`,
      {
        body: { description: 'The Acme agent' },
      },
    );
    expect(changed.json.data.description).toBe('The Acme agent');
    const reading = await data<{ endpoints: Page<{ sensorReadings: { columns: { values: string[] }[] } }> }>(
      '{ endpoints(first: 1) { edges { node { sensorReadings(sensors: [{name: "Acme Agent Version"}]) { columns { values } } } } } }',
    );
    expect(reading.endpoints.edges[0]?.node.sensorReadings.columns[0]?.values).toEqual(['[no results]']);
    expect((await h.call('DELETE', `/api/v2/sensors/${made.json.data.id}`)).status).toBe(200);
    const gone = await h.gql<{ errors: { message: string }[] }>(
      '{ endpoints(first: 1) { edges { node { sensorReadings(sensors: [{name: "Acme Agent Version"}]) { columns { values } } } } } }',
    );
    expect(gone.json.errors[0]?.message).toContain('Acme Agent Version');
    expect((await h.call('GET', `/api/v2/sensors/${made.json.data.id}`)).status).toBe(404);
  });
});

describe('asset products', () => {
  it('lists products with usage, filters by vendor and search, and pages with totalCount', async () => {
    const reply = await data<{
      assetProducts: Page<{ vendor: string; name: string; installation: { installedCount: number } }>;
    }>(
      '{ assetProducts(first: 500) { totalCount edges { node { vendor name installation { installedCount } usage { high normal } versions { version installs } } } } }',
    );
    expect(reply.assetProducts.totalCount).toBe(reply.assetProducts.edges.length);
    const chrome = reply.assetProducts.edges.find((e) => e.node.name === 'Google Chrome')!.node;
    const byVendor = await data<{ assetProducts: Page<{ vendor: string }> }>(
      '{ assetProducts(filter: {vendors: ["Google"]}, first: 50) { edges { node { vendor } } } }',
    );
    expect(byVendor.assetProducts.edges.every((e) => e.node.vendor === 'Google')).toBe(true);
    const endpoints = await data<{ assetProductEndpoints: Page<{ eid: number; computerName: string }> }>(
      '{ assetProductEndpoints(filter: {name: "Google Chrome"}, first: 1000) { totalCount edges { node { eid computerName id } } } }',
    );
    expect(endpoints.assetProductEndpoints.totalCount).toBe(chrome.installation.installedCount);
    const first = await data<{ assetProductEndpoints: Page<{ eid: number }> }>(
      '{ assetProductEndpoints(filter: {name: "Google Chrome"}, first: 10) { edges { cursor node { eid } } pageInfo { hasNextPage endCursor } } }',
    );
    const next = await data<{ assetProductEndpoints: Page<{ eid: number }> }>(
      'query ($a: Cursor) { assetProductEndpoints(filter: {name: "Google Chrome"}, first: 10, after: $a) { edges { node { eid } } } }',
      { a: first.assetProductEndpoints.pageInfo.endCursor },
    );
    expect(next.assetProductEndpoints.edges.map((e) => e.node.eid)).toEqual(
      endpoints.assetProductEndpoints.edges.slice(10, 20).map((e) => e.node.eid),
    );
  });
});

describe('actions and scheduled actions', () => {
  it('an action stopped stays stopped; a deleted scheduled action is gone', async () => {
    const created = await data<{
      actionCreate: { action: { id: string; status: string; results: { waiting: number } } };
    }>(
      `mutation { actionCreate(input: {name: "Tag", package: {name: "Custom Tagging - Add Tags", params: ["lab"]},
        targets: {targetGroup: {name: "All Windows"}}}) { action { id status results { waiting completed } } error { message } } }`,
    );
    const id = created.actionCreate.action.id;
    expect(created.actionCreate.action.status).toBe('OPEN');
    const stop = await data<{ actionStop: { id: string } }>(
      `mutation { actionStop(ref: {id: "${id}"}) { id error { message } } }`,
    );
    expect(stop.actionStop.id).toBe(id);
    await h.advance('2d');
    const later = await data<{ action: { status: string; stopped: boolean } }>(
      `{ action(ref: {id: "${id}"}) { status stopped } }`,
    );
    expect(later.action).toEqual({ status: 'STOPPED', stopped: true });
    const groups = await data<{ actionGroups: Page<{ name: string }> }>(
      '{ actionGroups { totalRecords edges { node { name computerGroups { name } } } } }',
    );
    expect(groups.actionGroups.edges.map((e) => e.node.name)).toContain('Default');

    const scheduled = await data<{ scheduledActionCreate: { scheduledAction: { id: string } } }>(
      `mutation { scheduledActionCreate(input: {package: {name: "Reboot Windows Machine"}, targets: {},
        schedule: {reissueSeconds: 86400}}) { scheduledAction { id issueCount nextStartTime } error { message } } }`,
    );
    const sid = scheduled.scheduledActionCreate.scheduledAction.id;
    await data(`mutation { scheduledActionDelete(ref: {id: "${sid}"}) { id error { message } } }`);
    expect(
      (await data<{ scheduledAction: null }>(`{ scheduledAction(ref: {id: "${sid}"}) { id } }`))
        .scheduledAction,
    ).toBeNull();
    const unknown = await data<{ actionCreate: { action: null; error: { message: string } } }>(
      'mutation { actionCreate(input: {package: {name: "No Such Package"}, targets: {}}) { action { id } error { message } } }',
    );
    expect(unknown.actionCreate.error.message).toContain('no package');
  });
});

describe('patch', () => {
  it('filters and sorts definitions; a deployment stopped stays stopped', async () => {
    const defs = await data<{
      patchDefinitions: Page<{ id: string; platform: string; releaseDate: string }>;
    }>(
      '{ patchDefinitions(filter: {platform: WINDOWS}, first: 20) { totalRecords edges { node { id platform releaseDate severity } } } }',
    );
    const dates = defs.patchDefinitions.edges.map((e) => e.node.releaseDate);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(defs.patchDefinitions.edges.every((e) => e.node.platform === 'WINDOWS')).toBe(true);
    const patch = defs.patchDefinitions.edges[0]!.node.id;
    const now = Date.parse((await data<{ now: string }>('{ now }')).now);
    const start = new Date(now + 3_600_000).toISOString();
    const end = new Date(now + 7 * 86_400_000).toISOString();
    const created = await data<{ patchCreateDeployment: { deployment: { id: string; status: string } } }>(
      `mutation ($p: ID!, $s: Time!, $e: Time!) { patchCreateDeployment(input: {name: "Pilot", platform: WINDOWS,
        contentSet: {id: "48"}, patches: [{id: $p}], targets: {computerGroups: [{id: "2"}]},
        schedule: {type: SINGLE, startTime: $s, endTime: $e}}) { deployment { id status } error { message } } }`,
      { p: patch, s: start, e: end },
    );
    const id = created.patchCreateDeployment.deployment.id;
    expect(created.patchCreateDeployment.deployment.status).toBe('INACTIVE');
    await data(
      `mutation { patchStopDeployment(ref: {id: "${id}"}) { deployment { status } error { message } } }`,
    );
    await h.advance('1d');
    const later = await data<{ patchDeployment: { status: string; stoppedTime: string } }>(
      `{ patchDeployment(ref: {id: "${id}"}) { status stoppedTime } }`,
    );
    expect(later.patchDeployment.status).toBe('STOPPED');
    const refused = await data<{ patchCreateDeployment: { error: { message: string } } }>(
      `mutation { patchCreateDeployment(input: {name: "Bad", platform: MACOS, contentSet: {id: "1"},
        contentDeploymentType: ALL_UPDATES, targets: {}}) { deployment { id } error { message } } }`,
    );
    expect(refused.patchCreateDeployment.error.message).toContain('MANUAL_SELECTION');
  });
});

describe('reports and playbook schedules', () => {
  it('exports, imports and deletes reports', async () => {
    const exported = await data<{ reportExport: { reportDefinition: string } }>(
      '{ reportExport(ref: {id: "1"}) { reportDefinition } }',
    );
    const imported = await data<{ reportImport: { report: { id: string; name: string } } }>(
      'mutation ($d: String!) { reportImport(input: {reportDefinition: $d, allowDuplicate: true}) { report { id name } error { message } } }',
      { d: exported.reportExport.reportDefinition },
    );
    const id = imported.reportImport.report.id;
    expect(imported.reportImport.report.name).toBe('Endpoints by Operating System');
    await data(`mutation { reportDelete(ref: {id: "${id}"}) { id error { message } } }`);
    expect((await data<{ report: null }>(`{ report(ref: {id: "${id}"}) { id } }`)).report).toBeNull();
  });

  it('upserts a schedule (created, then replaced whole) and answers its next run times', async () => {
    const created = await data<{
      playbookScheduleUpsert: { isNewRecord: boolean; playbookSchedule: { id: string; revision: number } };
    }>(
      `mutation { playbookScheduleUpsert(input: {playbookID: "1", enabled: true,
        specification: {recurring: {cron: "0 3 * * 1"}}}) { isNewRecord playbookSchedule { id revision } error { message } } }`,
    );
    expect(created.playbookScheduleUpsert.isNewRecord).toBe(true);
    const id = created.playbookScheduleUpsert.playbookSchedule.id;
    const updated = await data<{
      playbookScheduleUpsert: {
        isNewRecord: boolean;
        playbookSchedule: { enabled: boolean; revision: number };
      };
    }>(
      `mutation { playbookScheduleUpsert(input: {id: "${id}", playbookID: "1", enabled: false}) { isNewRecord playbookSchedule { enabled revision } error { message } } }`,
    );
    expect(updated.playbookScheduleUpsert).toEqual({
      isNewRecord: false,
      playbookSchedule: { enabled: false, revision: 2 },
      error: null,
    });
    const read = await data<{
      playbookSchedule: { nextRunTimes: string[]; specification: { cron: string } };
    }>(
      `{ playbookSchedule(ref: {id: "${id}"}) { nextRunTimes(count: 3) specification { ... on PlaybookScheduleSpecificationRecurring { cron } } } }`,
    );
    expect(read.playbookSchedule.specification.cron).toBe('0 3 * * 1');
    expect(read.playbookSchedule.nextRunTimes).toHaveLength(3);
    for (const at of read.playbookSchedule.nextRunTimes) {
      const d = new Date(at);
      expect([d.getUTCDay(), d.getUTCHours(), d.getUTCMinutes()]).toEqual([1, 3, 0]);
    }
  });
});

describe('platform REST: users and packages', () => {
  it('GET /api/v2/users lists the users with 0/1 flags and a cache_info tail', async () => {
    const reply = await h.call<{ data: Record<string, unknown>[] }>('GET', '/api/v2/users');
    expect(reply.status).toBe(200);
    const admin = reply.json.data.find((u) => u['name'] === 'tanium-admin')!;
    expect(admin['local_admin_flag']).toBe(1);
    expect(admin['deleted_flag']).toBe(0);
    expect(reply.json.data.at(-1)).toHaveProperty('cache_info');
    expect((await h.call('GET', `/api/v2/users/${admin['id']}`)).status).toBe(200);
  });

  it('creates, changes and deletes a package; an action cannot run a deleted one', async () => {
    const made = await h.call<{ data: { id: number; name: string; deleted_flag: boolean } }>(
      'POST',
      '/api/v2/packages',
      {
        body: {
          name: 'Acme Cleanup',
          command: 'cmd /c cleanup.cmd',
          command_timeout: 60,
          expire_seconds: 900,
        },
      },
    );
    expect(made.status).toBe(200);
    const id = made.json.data.id;
    const patched = await h.call<{ data: { command: string } }>('PATCH', `/api/v2/packages/${id}`, {
      body: { command: 'cmd /c v2.cmd' },
    });
    expect(patched.json.data.command).toBe('cmd /c v2.cmd');
    const deleted = await h.call<{ data: { deleted_flag: boolean } }>('DELETE', `/api/v2/packages/${id}`);
    expect(deleted.json.data.deleted_flag).toBe(true);
    expect((await h.call('GET', `/api/v2/packages/${id}`)).status).toBe(404);
    const action = await data<{ actionCreate: { error: { message: string } } }>(
      `mutation { actionCreate(input: {package: {id: "${id}"}, targets: {}}) { action { id } error { message } } }`,
    );
    expect(action.actionCreate.error.message).toContain('no package');
  });
});
