import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { freezeClock } from '../helpers/syncHarness.js';

const UNAVAILABLE = '[current result unavailable]';

/**
 * The Gateway answers what Tanium's schema allows and a real server records: with realism, `compliance`,
 * its lists and nullable endpoint fields come back null, and sensors read `TSE-Error: …` or
 * `[current result unavailable]`, exactly where `/__emulator/truth/endpoints/:id` says.
 */

interface Node {
  id: string;
  isEncrypted: boolean | null;
  ipAddresses: string[] | null;
  risk: { totalScore: number } | null;
  compliance: {
    cveFindings: { cveId: string; epssScore: number | null }[] | null;
    complianceFindings: { id: string; excepted: boolean | null }[] | null;
  } | null;
  sensorReadings: { columns: { name: string; values: string[]; sensor: { name: string } }[] };
}

interface EndpointTruth {
  answered: {
    compliance: boolean;
    cveFindings: boolean;
    complianceFindings: boolean;
    nullFields: string[];
    findingFieldsNull: boolean;
  };
  cveFindings: { cveId: string }[];
  sensors: Record<string, { status: string; columns: { name: string; values: string[] }[] }>;
}

const QUERY = `query ($after: Cursor) { endpoints(first: 500, after: $after) {
  edges { node { id isEncrypted ipAddresses risk { totalScore }
    compliance { cveFindings { cveId epssScore } complianceFindings { id excepted } }
    sensorReadings(sensors: [{name: "Applicable Patches"}, {name: "Online"}]) { columns { name values sensor { name } } } } }
  pageInfo { hasNextPage endCursor } } }`;

describe('emulator realism over the Gateway', () => {
  let h: Harness;
  const nodes: Node[] = [];
  beforeAll(async () => {
    h = await startHarness({ endpoints: 800, seed: 13, realism: 0.1 });
    freezeClock(h.emulator);
    let after: string | null = null;
    for (;;) {
      type Page = { edges: { node: Node }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
      const reply = await h.gql<{ data: { endpoints: Page } }>(QUERY, { after });
      expect(reply.status).toBe(200);
      const page: Page = reply.json.data.endpoints;
      nodes.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
  });
  afterAll(() => h.close());

  it('answers null exactly where the truth says, and the real values elsewhere', async () => {
    const seen = { compliance: 0, cveFindings: 0, fields: 0, findingFields: 0, error: 0, unavailable: 0 };
    const now = (await h.call<{ now: string }>('GET', '/__emulator/clock', { token: null })).json.now;
    for (const node of nodes) {
      const truth = (
        await h.call<EndpointTruth>(
          'GET',
          `/__emulator/truth/endpoints/${node.id}?at=${now}&sensors=Applicable%20Patches,Online`,
          { token: null },
        )
      ).json;
      const a = truth.answered;
      expect(node.compliance === null).toBe(!a.compliance);
      if (!a.compliance) seen.compliance++;
      if (node.compliance) {
        expect(node.compliance.cveFindings === null).toBe(!a.cveFindings);
        expect(node.compliance.complianceFindings === null).toBe(!a.complianceFindings);
        if (node.compliance.cveFindings) {
          expect(node.compliance.cveFindings.map((f) => f.cveId)).toEqual(
            truth.cveFindings.map((f) => f.cveId),
          );
          if (a.findingFieldsNull && node.compliance.cveFindings.length > 0) {
            seen.findingFields++;
            expect(node.compliance.cveFindings.every((f) => f.epssScore === null)).toBe(true);
          }
        } else seen.cveFindings++;
      }
      expect(node.isEncrypted === null).toBe(a.nullFields.includes('isEncrypted'));
      expect(node.ipAddresses === null).toBe(a.nullFields.includes('ipAddresses'));
      expect(node.risk === null).toBe(a.nullFields.includes('risk'));
      if (a.nullFields.length > 0) seen.fields++;
      const patches = node.sensorReadings.columns.filter((c) => c.sensor.name === 'Applicable Patches');
      const status = truth.sensors['Applicable Patches']!.status;
      if (status === 'error' || status === 'unavailable') {
        seen[status]++;
        // What a server records: the placeholder in the first column, the other columns empty (a
        // volatile sensor's own unavailable reading fills every column).
        expect(patches.map((c) => c.values.length)).toEqual([1, 1, 1, 1]);
        const rest = patches.slice(1).map((c) => c.values[0]);
        if (status === 'error' || rest[0] === '') expect(rest).toEqual(['', '', '']);
        else expect(rest).toEqual([UNAVAILABLE, UNAVAILABLE, UNAVAILABLE]);
        expect(patches[0]!.values[0]).toMatch(
          status === 'error' ? /^TSE-Error: / : /^\[current result unavailable\]$/,
        );
      } else
        expect(patches.map((c) => c.values)).toEqual(
          truth.sensors['Applicable Patches']!.columns.map((c) => c.values),
        );
    }
    for (const [kind, count] of Object.entries(seen)) expect(count, kind).toBeGreaterThan(5);
  }, 60_000);

  it('truth at an instant: answers count what the Gateway answered; bad or future instants are refused', async () => {
    const truth = (
      await h.call<{ cveFindings: number; answers: { cveFindings: number; cveFindingsNull: number } }>(
        'GET',
        '/__emulator/truth',
        { token: null },
      )
    ).json;
    const answered = nodes.flatMap((n) => n.compliance?.cveFindings ?? []).length;
    expect(truth.answers.cveFindings).toBe(answered);
    expect(truth.answers.cveFindingsNull).toBe(nodes.filter((n) => !n.compliance?.cveFindings).length);
    expect(truth.cveFindings).toBeGreaterThan(answered);
    const bad = await h.call<{ text: string }>('GET', '/__emulator/truth?at=yesterday', { token: null });
    expect(bad.status).toBe(400);
    expect(bad.json.text).toBe('BadRequest: "at" must be an RFC 3339 time such as 2026-01-01T00:00:00Z');
    const future = await h.call<{ text: string }>('GET', '/__emulator/truth?at=2999-01-01T00:00:00Z', {
      token: null,
    });
    expect(future.status).toBe(400);
    expect(future.json.text).toMatch(/^BadRequest: "at" must not be after the emulator's now/);
    const missing = await h.call<{ text: string }>('GET', '/__emulator/truth/endpoints/42', { token: null });
    expect(missing.status).toBe(404);
    expect(missing.json.text).toMatch(/^NotFound: endpoint 42 is not in the fleet at /);
    const sensor = await h.call<{ text: string }>(
      'GET',
      `/__emulator/truth/endpoints/${nodes[0]!.id}?sensors=Nope`,
      {
        token: null,
      },
    );
    expect(sensor.status).toBe(400);
    expect(sensor.json.text).toBe(
      'BadRequest: Sensor "Nope" does not exist: a sensor must refer to an existing sensor.',
    );
  });
});
