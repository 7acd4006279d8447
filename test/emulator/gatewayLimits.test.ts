import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_PATH } from '../../src/emulator/gateway/graphqlRoute.js';
import { DEFAULT_GATEWAY_LIMITS } from '../../src/emulator/index.js';
import { MY_TOKENS_QUERY, ROTATE_MUTATION } from '../../src/sdk/tokens.js';
import { STREAMS } from '../../src/streams/index.js';
import { endpointsQuery } from '../../src/sync/query.js';
import { type Harness, type Reply, startHarness } from '../helpers/emulatorHarness.js';

interface GatewayAnswer {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string; limit?: number; actual?: number | null } }[];
}

const ENDPOINT_FIELDS = 'id name os { name platform } ipAddress eidLastSeen';
const repeat = (count: number, make: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => make(i)).join(' ');

/** Requests over each default limit, as a probe would send them. */
const ABUSIVE: readonly (readonly [string, string, () => { query?: string; rawBody?: string }])[] = [
  ['QUERY_TOO_LARGE', 'a 70 KB document', () => ({ query: `{ now ${'# padding\n'.repeat(7_000)}}` })],
  ['TOO_MANY_ALIASES', '1,000 aliases', () => ({ query: `{ ${repeat(1_000, (i) => `alias${i}: now`)} }` })],
  [
    'TOO_MANY_ALIASES',
    '100 aliases of full endpoint pages',
    () => ({
      query: `{ ${repeat(100, (i) => `p${i}: endpoints(first: 5000) { edges { node { ${ENDPOINT_FIELDS} } } }`)} }`,
    }),
  ],
  [
    'TOO_MANY_ITEMS',
    '8 aliases of 5,000-endpoint pages',
    () => ({
      query: `{ ${repeat(8, (i) => `p${i}: endpoints(first: 5000) { edges { node { ${ENDPOINT_FIELDS} } } }`)} }`,
    }),
  ],
  [
    'QUERY_TOO_DEEP',
    'selections nested 2,000 levels',
    () => ({ query: `${'{ a '.repeat(2_000)}${'} '.repeat(2_000)}` }),
  ],
  [
    'QUERY_TOO_DEEP',
    'selections nested 40 levels through fragments',
    () => ({ query: deepThroughFragments(40) }),
  ],
  [
    'VALUE_TOO_DEEP',
    'a filter literal nested 3,000 levels',
    () => ({ query: `{ endpoints(filter: ${'['.repeat(3_000)}${']'.repeat(3_000)}) { totalRecords } }` }),
  ],
  [
    'VALUE_TOO_DEEP',
    'filter variables nested 1,000 levels',
    () => ({
      rawBody: `{"query":"query ($f: EndpointFieldFilter) { endpoints(filter: $f) { totalRecords } }","variables":{"f":${'{"filters":['.repeat(1_000)}{"path":"name","value":"x"}${']}'.repeat(1_000)}}}`,
    }),
  ],
  ['TOO_MANY_FIELDS', 'a fragment fan-out of 2^30 fields', () => ({ query: fragmentFanOut(30) })],
];

/** `{ ...F0 }`, where each fragment nests one more level and spreads the next. */
function deepThroughFragments(levels: number): string {
  const fragments = repeat(levels, (i) => `fragment F${i} on Query { a { ...F${i + 1} } }`);
  return `{ ...F0 } ${fragments} fragment F${levels} on Query { now }`;
}

/** Each fragment spreads the next one twice: 2^levels fields from a few hundred bytes. */
function fragmentFanOut(levels: number): string {
  const fragments = repeat(levels, (i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
  return `{ ...F0 } ${fragments} fragment F${levels} on Query { now }`;
}

describe('Gateway request limits (over HTTP)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const send = (request: { query?: string; rawBody?: string }) =>
    h.call<GatewayAnswer>(
      'POST',
      GATEWAY_PATH,
      request.rawBody ? { rawBody: request.rawBody } : { body: { query: request.query } },
    );

  const expectServing = async () => {
    const reply = await h.gql<GatewayAnswer>('{ now }');
    expect(reply.status).toBe(200);
    expect(reply.json.data).toEqual({ now: expect.any(String) });
  };

  it.each(ABUSIVE)(
    'answers %s for %s with a GraphQL error, then keeps serving',
    async (code, _label, make) => {
      const reply = await send(make());
      expect(reply.status).toBe(400);
      expect(reply.json.data).toBeNull();
      expect(reply.json.errors).toHaveLength(1);
      const [error] = reply.json.errors!;
      expect(error!.extensions).toMatchObject({ code, limit: expect.any(Number) });
      expect(error!.message).toMatch(/the Gateway (allows|accepts) at most [\d,]+\. [A-Z].+\.$/);
      expect(error!.message).not.toMatch(/toJSON|InternalError/);
      await expectServing();
    },
  );

  it('answers deep nesting with a GraphQL error, never a 500 (past ~1,000 levels the parser would overflow)', async () => {
    for (const levels of [1_000, 2_000, 5_000]) {
      const reply = await send({
        query: `{ endpoints { edges { node { os ${'{ name '.repeat(levels)}${'} '.repeat(levels)}} } } }`,
      });
      expect({ levels, status: reply.status }).toEqual({ levels, status: 400 });
      expect(reply.json.errors?.[0]?.message).toMatch(
        /^The query nests selections [\d,]+ levels deep; the Gateway allows at most 32\./,
      );
    }
    await expectServing();
  });

  it('still answers a normal page while abusive queries arrive', async () => {
    const abusive = ABUSIVE.map(([, , make]) => send(make()));
    const page = h.gql<GatewayAnswer>(`{ endpoints(first: 5) { edges { node { ${ENDPOINT_FIELDS} } } } }`);
    const [pageReply, ...refused] = await Promise.all([page, ...abusive]);
    expect(pageReply.status).toBe(200);
    expect((pageReply.json.data as { endpoints: { edges: unknown[] } }).endpoints.edges).toHaveLength(5);
    expect(refused.map((reply: Reply<GatewayAnswer>) => reply.status)).toEqual(ABUSIVE.map(() => 400));
  });

  it('accepts every document tanium-bridge sends, at the largest page it asks for', async () => {
    const sync = endpointsQuery(Object.values(STREAMS), {
      sensors: ['Online', 'Installed Applications', 'Applicable Patches'],
    });
    const page = await h.gql<GatewayAnswer>(sync, { first: 5_000, after: null, filter: null });
    expect(page.json.errors).toBeUndefined();
    expect(page.status).toBe(200);
    const tokens = await h.gql<GatewayAnswer>(MY_TOKENS_QUERY);
    expect(tokens.status).toBe(200);
    const introspection = await h.gql<GatewayAnswer>(
      getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true }),
    );
    expect(introspection.json.errors).toBeUndefined();
    // A rotation of an unknown string passes the limits and fails in the payload, as Tanium answers it.
    const rotate = await h.gql<GatewayAnswer>(ROTATE_MUTATION, { tokenString: 'token-unknown' });
    expect(rotate.status).toBe(200);
  });
});

describe('Gateway request limits are emulator options', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ gatewayLimits: { maxDepth: 4, maxAliases: 1, maxPageItems: 100 } });
  });
  afterAll(() => h.close());

  it('applies the configured limits and keeps the defaults for the others', async () => {
    const deep = await h.gql<GatewayAnswer>('{ endpoints { edges { node { os { name } } } } }');
    expect(deep.status).toBe(400);
    expect(deep.json.errors?.[0]?.extensions).toEqual({ code: 'QUERY_TOO_DEEP', limit: 4, actual: 5 });
    const aliases = await h.gql<GatewayAnswer>('{ a: now b: now }');
    expect(aliases.json.errors?.[0]?.extensions).toMatchObject({
      code: 'TOO_MANY_ALIASES',
      limit: 1,
      actual: 2,
    });
    const page = await h.gql<GatewayAnswer>('query ($n: Int) { endpoints(first: $n) { totalRecords } }', {
      n: 101,
    });
    expect(page.json.errors?.[0]?.extensions).toEqual({ code: 'TOO_MANY_ITEMS', limit: 100, actual: 101 });
    const fits = await h.gql<GatewayAnswer>('query ($n: Int) { endpoints(first: $n) { totalRecords } }', {
      n: 100,
    });
    expect(fits.status).toBe(200);
    const large = await h.gql<GatewayAnswer>(`{ now ${' '.repeat(DEFAULT_GATEWAY_LIMITS.maxDocumentBytes)}}`);
    expect(large.json.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_LARGE' });
  });
});
