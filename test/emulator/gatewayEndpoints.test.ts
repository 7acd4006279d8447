import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';

interface Page<N> {
  totalRecords: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: N }[];
  collectionInfo: { success: boolean; respondedPercentage: number };
}
type EndpointsReply<N> = { data: { endpoints: Page<N> | null }; errors?: { message: string }[] };

const PAGE_QUERY = `query ($first: Int, $after: Cursor, $filter: EndpointFieldFilter) {
  endpoints(first: $first, after: $after, filter: $filter) {
    totalRecords
    pageInfo { hasNextPage endCursor }
    collectionInfo { success respondedPercentage }
    edges { cursor node { id name serialNumber eidLastSeen os { platform } } }
  }
}`;

interface Node {
  id: string;
  name: string;
  serialNumber: string;
  eidLastSeen: string;
  os: { platform: string };
}

async function all(h: Harness, filter?: unknown, first = 1000): Promise<Node[]> {
  const nodes: Node[] = [];
  let after: string | null = null;
  for (;;) {
    const reply = await h.gql<EndpointsReply<Node>>(PAGE_QUERY, {
      first,
      after,
      ...(filter ? { filter } : {}),
    });
    if (reply.json.errors) throw new Error(reply.json.errors[0]?.message);
    const page: Page<Node> = reply.json.data.endpoints!;
    nodes.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
}

describe('emulator Gateway: endpoints over a 10,000-endpoint fleet', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ endpoints: 10_000, seed: 7 });
  });
  afterAll(() => h.close());

  it('pages through the whole fleet, every id exactly once, matching the truth', async () => {
    const truth = (await h.call<{ endpoints: number }>('GET', '/__emulator/truth', { token: null })).json;
    const nodes = await all(h, undefined, 5_000);
    const ids = new Set(nodes.map((n) => n.id));
    expect(ids.size).toBe(nodes.length);
    expect(nodes.length).toBe(truth.endpoints);
    expect(truth.endpoints).toBeGreaterThan(9_000);
  });

  it('refuses first over 5,000 and defaults to 20', async () => {
    const over = await h.gql<EndpointsReply<Node>>(PAGE_QUERY, { first: 5_001 });
    expect(over.json.errors?.[0]?.message).toContain('at most 5000');
    const byDefault = await h.gql<{ data: { endpoints: Page<{ id: string }> } }>(
      '{ endpoints { totalRecords edges { node { id } } } }',
    );
    expect(byDefault.json.data.endpoints.edges).toHaveLength(20);
  });

  it('filters by path, by memberOf, by sensor, negated, and with any over nested filters', async () => {
    const everyone = await all(h);
    const mac = await all(h, { path: 'os.platform', value: 'Mac' });
    expect(mac.length).toBeGreaterThan(0);
    expect(mac.every((n) => n.os.platform === 'Mac')).toBe(true);
    expect(mac.length).toBe(everyone.filter((n) => n.os.platform === 'Mac').length);

    const notMac = await all(h, { path: 'os.platform', value: 'Mac', negated: true });
    expect(notMac.length + mac.length).toBe(everyone.length);

    const macGroup = await all(h, { memberOf: { name: 'All Mac' } });
    expect(macGroup.map((n) => n.id).sort()).toEqual(mac.map((n) => n.id).sort());

    const linuxOrMac = await all(h, {
      any: true,
      filters: [
        { path: 'os.platform', value: 'Mac' },
        { path: 'os.platform', value: 'Linux' },
      ],
    });
    expect(linuxOrMac.length).toBe(everyone.filter((n) => ['Mac', 'Linux'].includes(n.os.platform)).length);

    const one = everyone[123]!;
    const bySerial = await all(h, { path: 'serialNumber', op: 'EQ', value: one.serialNumber });
    expect(bySerial.map((n) => n.id)).toEqual([one.id]);
    const bySensor = await all(h, { sensor: { name: 'Computer Name' }, op: 'EQ', value: one.name });
    expect(bySensor.map((n) => n.id)).toEqual([one.id]);
    const prefix = one.name.slice(0, 4);
    const starts = await all(h, { path: 'name', op: 'STARTS_WITH', value: prefix });
    expect(starts.length).toBe(
      everyone.filter((n) => n.name.toLowerCase().startsWith(prefix.toLowerCase())).length,
    );
  });

  it('filters by eidLastSeen GT and GTE for incremental reads', async () => {
    // The fleet lives on real time too: endpoints keep checking in between the two reads, and
    // eidLastSeen only ever moves forward, so an earlier read bounds what a later filter must include.
    const everyone = await all(h);
    const times = everyone.map((n) => Date.parse(n.eidLastSeen)).sort((a, b) => a - b);
    const pivotMs = times[Math.floor(times.length / 2)]!;
    const pivot = new Date(pivotMs).toISOString().replace('.000Z', 'Z');
    const gt = await all(h, { path: 'eidLastSeen', op: 'GT', value: pivot });
    const gte = await all(h, { path: 'eidLastSeen', op: 'GTE', value: pivot });
    expect(gt.every((n) => Date.parse(n.eidLastSeen) > pivotMs)).toBe(true);
    expect(gte.every((n) => Date.parse(n.eidLastSeen) >= pivotMs)).toBe(true);
    const gtIds = new Set(gt.map((n) => n.id));
    const missing = everyone.filter((n) => Date.parse(n.eidLastSeen) > pivotMs && !gtIds.has(n.id));
    expect(missing).toEqual([]);
    expect(gt.length).toBeLessThan(everyone.length * 0.6);
    const atPivot = everyone.filter((n) => Date.parse(n.eidLastSeen) === pivotMs).map((n) => n.id);
    expect(atPivot.length).toBeGreaterThan(0);
    const gteIds = new Set(gte.map((n) => n.id));
    expect(atPivot.every((id) => gteIds.has(id) || gtIds.has(id))).toBe(true);
  });

  it('fails an invalid filter path and an unknown field the way Tanium does', async () => {
    const badPath = await h.gql<EndpointsReply<Node>>(PAGE_QUERY, {
      first: 1,
      filter: { path: 'nonsense.field', value: 'x' },
    });
    expect(badPath.json.errors?.[0]?.message).toContain('nonsense.field');
    const unknownField = await h.gql<{ errors: { message: string }[] }>(
      '{ endpoints { edges { node { id colour } } } }',
    );
    expect(unknownField.status).toBe(400);
    expect(unknownField.json.errors[0]?.message).toBe('Cannot query field "colour" on type "Endpoint".');
  });

  it('answers sensorReadings, names an unknown sensor, and serves findings', async () => {
    const reply = await h.gql<{ data: { endpoints: Page<Record<string, unknown>> } }>(`{
      endpoints(first: 50) { edges { node {
        id
        sensorReadings(sensors: [{name: "Computer Name"}, {name: "Installed Applications"}]) { columns { name values sensor { name } } }
        compliance { cveFindings { cveId cvssScoreV3 severityV3 firstFound lastFound } complianceFindings { id state rule } }
      } } }
    }`);
    const nodes = reply.json.data.endpoints.edges.map((e) => e.node);
    const readings = nodes[0]!['sensorReadings'] as {
      columns: { name: string; values: string[]; sensor: { name: string } }[];
    };
    expect(readings.columns[0]?.name).toBe('Computer Name');
    expect(readings.columns.some((c) => c.sensor.name === 'Installed Applications')).toBe(true);
    // Tanium's schema lets `compliance` and its lists be null (not known this time): the test profile does.
    const findings = nodes.flatMap(
      (n) => (n['compliance'] as { cveFindings: { cveId: string }[] | null } | null)?.cveFindings ?? [],
    );
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0]?.cveId).toMatch(/^CVE-\d{4}-\d+$/);

    const unknown = await h.gql<{ errors: { message: string }[] }>(
      '{ endpoints(first: 5) { edges { node { sensorReadings(sensors: [{name: "No Such Sensor"}]) { columns { name } } } } } }',
    );
    expect(unknown.json.errors).toHaveLength(1);
    expect(unknown.json.errors[0]?.message).toContain('No Such Sensor');
  });

  it('lists computer groups and sensors as connections', async () => {
    const reply = await h.gql<{
      data: { computerGroups: Page<{ name: string }>; sensors: Page<{ name: string }> };
    }>(
      '{ computerGroups { totalRecords edges { node { id name type } } } sensors { totalRecords edges { node { name columns { name } } } } }',
    );
    expect(reply.json.data.computerGroups.edges.map((e) => e.node.name)).toContain('All Computers');
    expect(reply.json.data.sensors.edges.map((e) => e.node.name)).toContain('Computer Serial Number');
  });
});

describe('emulator Gateway: cursors expire by the emulator clock', () => {
  it('accepts a cursor within 5 minutes of the last use and refuses it after, and after 1 hour in all', async () => {
    const h = await startHarness({ endpoints: 500, seed: 3 });
    try {
      const first = await h.gql<EndpointsReply<Node>>(PAGE_QUERY, { first: 10 });
      let after = first.json.data.endpoints!.pageInfo.endCursor;
      await h.advance('4m');
      const second = await h.gql<EndpointsReply<Node>>(PAGE_QUERY, { first: 10, after });
      expect(second.json.errors).toBeUndefined();
      after = second.json.data.endpoints!.pageInfo.endCursor;
      await h.advance('5m1s');
      const expired = await h.gql<EndpointsReply<Node>>(PAGE_QUERY, { first: 10, after });
      expect(expired.status).toBe(200);
      expect(expired.json.errors?.[0]?.message).toMatch(/cursor has expired/i);

      // Used every 4 minutes, a collection still dies one hour after it was created.
      const fresh = await h.gql<EndpointsReply<Node>>(PAGE_QUERY, { first: 1 });
      after = fresh.json.data.endpoints!.pageInfo.endCursor;
      for (let k = 0; k < 15; k++) {
        await h.advance('4m');
        const next = await h.gql<EndpointsReply<Node>>(PAGE_QUERY, { first: 1, after });
        if (k < 14) {
          expect(next.json.errors).toBeUndefined();
          after = next.json.data.endpoints!.pageInfo.endCursor;
        } else {
          expect(next.json.errors?.[0]?.message).toMatch(/cursor has expired/i);
        }
      }
      const foreign = await h.gql<EndpointsReply<Node>>(PAGE_QUERY, { first: 1, after: 'bm9wZQ' });
      expect(foreign.json.errors?.[0]?.message).toMatch(/Invalid cursor/);
    } finally {
      await h.close();
    }
  });
});

describe('emulator Gateway: the expire-cursor fault', () => {
  it('expires a presented cursor when the rule fires, and only pages with a cursor use up its count', async () => {
    const h = await startHarness({ endpoints: 200, seed: 9 });
    try {
      const install = await h.call('POST', '/__emulator/faults', {
        token: null,
        body: {
          rules: [
            { method: 'POST', path: '/plugin/products/gateway/graphql', fault: 'expire-cursor', count: 1 },
          ],
        },
      });
      expect(install.status).toBe(200);
      const first = await h.gql<EndpointsReply<Node>>(PAGE_QUERY, { first: 50 });
      expect(first.json.errors).toBeUndefined();
      const after = first.json.data.endpoints!.pageInfo.endCursor;
      const expired = await h.gql<EndpointsReply<Node>>(PAGE_QUERY, { first: 50, after });
      expect(expired.json.errors?.[0]?.message).toMatch(/cursor has expired/i);
      // The collection is gone; a fresh one pages normally again.
      const again = await h.gql<EndpointsReply<Node>>(PAGE_QUERY, { first: 50 });
      const next = await h.gql<EndpointsReply<Node>>(PAGE_QUERY, {
        first: 50,
        after: again.json.data.endpoints!.pageInfo.endCursor,
      });
      expect(next.json.errors).toBeUndefined();
      expect(next.json.data.endpoints!.edges).toHaveLength(50);
    } finally {
      await h.close();
    }
  });
});
