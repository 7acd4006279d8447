import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewaySlices } from '../../src/emulator/gateway/slicedExecution.js';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';

/**
 * A large `endpoints` answer is executed and streamed in slices of edges (docs/emulator.md, "Large
 * answers in slices"); its bytes must be those of the answer in one piece. Both are asked of one
 * emulator (`slices.edges = 0` answers in one piece) over one collection, so cursors compare too.
 */
const slices: GatewaySlices = { edges: 100 };

const SYNC_LIKE = `query ($first: Int, $after: Cursor, $last: Int, $before: Cursor) {
  endpoints(first: $first, after: $after, last: $last, before: $before) {
    totalRecords
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    collectionInfo { active success expectedTotal respondedTotal respondedPercentage startCursor }
    edges { cursor node { id name eidLastSeen os { platform } compliance {
      cveFindings { cveId cvssScoreV3 severity firstFound lastFound excepted }
      complianceFindings { id ruleId state lastScanDate } } } }
  }
}`;

// `sensorReading` of a sensor with several columns and none named fails on every node: a nullable
// field, so each edge reports its own error and the answer keeps its data.
const WITH_ERRORS = `query ($first: Int, $after: Cursor) {
  page: endpoints(first: $first, after: $after) {
    rows: edges { node { id
      sensorReadings(sensors: [{ name: "Computer Name" }, { name: "Endpoint Criticality with Level" }]) {
        columns { name values sensor { name } } }
      sensorReading(sensor: { name: "Endpoint Criticality with Level" }) { values } } }
    totalRecords
    edges { cursor }
    pageInfo { endCursor }
    collectionInfo { startCursor }
  }
}`;

// On a cursor page an unknown sensor fails inside each node's non-null `sensorReadings`: the error
// nulls the edge, the edges list and so `endpoints` (the slices cannot join: answered in one piece).
const NULLED = `query ($first: Int, $after: Cursor) {
  endpoints(first: $first, after: $after) { edges { node { id sensorReadings(sensors: [{ name: "No Such Sensor" }]) { columns { name } } } } }
}`;

interface Answer {
  status: number;
  type: string | undefined;
  text: string;
}

describe('emulator Gateway: a large endpoints answer in slices', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ endpoints: 1_500, seed: 11, gatewaySlices: slices });
  });
  afterAll(() => h.close());

  async function ask(query: string, variables: Record<string, unknown>, edges: number): Promise<Answer> {
    slices.edges = edges;
    const response = await request(`${h.url}/plugin/products/gateway/graphql`, {
      method: 'POST',
      headers: { session: h.token, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.body.text();
    streamed.push(response.headers['content-length'] === undefined);
    return { status: response.statusCode, type: response.headers['content-type'] as string, text };
  }
  /** Per answer: whether it came streamed (no Content-Length), that is, in slices. */
  const streamed: boolean[] = [];

  /** The sliced answer to a page of a collection, and the one-piece answer to the same page. */
  async function both(query: string, variables: Record<string, unknown>) {
    const sliced = await ask(query, variables, 100);
    const whole = await ask(query, variables, 0);
    return { sliced, whole };
  }

  it('answers a first page, a cursor page and a backward page with the one-piece bytes', async () => {
    const first = await ask(SYNC_LIKE, { first: 1_000 }, 100);
    const page = JSON.parse(first.text).data.endpoints;
    expect(page.edges).toHaveLength(1_000);
    // The first page of a collection is the page after its start cursor.
    const again = await ask(SYNC_LIKE, { first: 1_000, after: page.collectionInfo.startCursor }, 0);
    expect(first).toEqual(again);
    const next = await both(SYNC_LIKE, { first: 450, after: page.pageInfo.endCursor });
    expect(JSON.parse(next.sliced.text).data.endpoints.edges).toHaveLength(450);
    expect(next.sliced).toEqual(next.whole);
    const back = await both(SYNC_LIKE, { last: 730, before: page.pageInfo.endCursor });
    expect(JSON.parse(back.sliced.text).data.endpoints.pageInfo.hasPreviousPage).toBe(true);
    expect(back.sliced).toEqual(back.whole);
    expect(first.type).toBe('application/json; charset=utf-8');
    expect(streamed).toEqual([true, false, true, false, true, false]);
  });

  it('reports nested field errors in the same order with the same paths, under aliases', async () => {
    const start = JSON.parse((await ask(WITH_ERRORS, { first: 1 }, 0)).text).data.page.collectionInfo
      .startCursor;
    const { sliced, whole } = await both(WITH_ERRORS, { first: 1_200, after: start });
    const parsed = JSON.parse(sliced.text);
    expect(parsed.errors).toHaveLength(1_200);
    expect(parsed.errors[1_199].path).toEqual(['page', 'rows', 1_199, 'node', 'sensorReading']);
    expect(sliced).toEqual(whole);
  });

  it('answers in one piece, byte for byte, when an error nulls the edges', async () => {
    const start = JSON.parse((await ask(SYNC_LIKE, { first: 1 }, 0)).text).data.endpoints.collectionInfo
      .startCursor;
    const { sliced, whole } = await both(NULLED, { first: 500, after: start });
    expect(JSON.parse(sliced.text).data.endpoints).toBeNull();
    expect(streamed.at(-2)).toBe(false);
    expect(sliced).toEqual(whole);
  });

  it('answers an expired cursor and a refused page size as before', async () => {
    const big = await both(SYNC_LIKE, { first: 5_001 });
    expect(big.sliced).toEqual(big.whole);
    const foreign = await both(SYNC_LIKE, { first: 1_000, after: 'bm90LWEtY3Vyc29y' });
    expect(JSON.parse(foreign.sliced.text).errors).toHaveLength(1);
    expect(foreign.sliced).toEqual(foreign.whole);
  });
});
