import { afterEach, describe, expect, it } from 'vitest';
import { type Fake, json, startFake, TOKEN } from '../../test/sdk/fakeTanium.js';
import { createTaniumClient, type TaniumClient, UnexpectedResponseError } from './index.js';

const QUERY = `query Endpoints($first: Int!, $after: Cursor) {
  endpoints(first: $first, after: $after) { totalRecords pageInfo { hasNextPage endCursor } edges { cursor node { id } } }
}`;

let fake: Fake | undefined;
let client: TaniumClient | undefined;
afterEach(async () => {
  await client?.close();
  await fake?.close();
});

/** A Gateway that serves `total` endpoints in pages of `first`, cursors = offsets; `stall` repeats one. */
async function gateway(total: number, stall?: 'repeat' | 'cycle' | 'null'): Promise<TaniumClient> {
  fake = await startFake((req, res) => {
    const { variables } = JSON.parse(req.body) as { variables: { first: number; after: string | null } };
    let offset = variables.after === null ? 0 : Number(variables.after);
    if (stall === 'cycle' && offset >= 4) offset = 0;
    const ids = Array.from(
      { length: Math.max(0, Math.min(variables.first, total - offset)) },
      (_, i) => offset + i,
    );
    const end = offset + ids.length;
    let endCursor: string | null = String(end);
    if (stall === 'repeat' && offset >= 2) endCursor = String(offset);
    if (stall === 'null') endCursor = null;
    json(res, 200, {
      data: {
        endpoints: {
          totalRecords: total,
          pageInfo: { hasNextPage: stall ? true : end < total, endCursor },
          edges: ids.map((id) => ({ cursor: String(id + 1), node: { id: String(id) } })),
        },
      },
    });
  });
  client = createTaniumClient({ target: { kind: 'server', url: fake.url }, token: TOKEN });
  return client;
}

describe('paginate', () => {
  it('yields every node exactly once across pages', async () => {
    const c = await gateway(23);
    const ids: string[] = [];
    for await (const node of c.paginate<{ id: string }>(QUERY, { connection: 'endpoints', first: 5 }))
      ids.push(node.id);
    expect(ids).toEqual(Array.from({ length: 23 }, (_, i) => String(i)));
    expect(fake?.requests).toHaveLength(5);
    const sent = fake?.requests.map((r) => (JSON.parse(r.body) as { variables: unknown }).variables);
    expect(sent?.[0]).toEqual({ first: 5, after: null });
    expect(sent?.[1]).toEqual({ first: 5, after: '5' });
  });

  it('handles an empty collection', async () => {
    const c = await gateway(0);
    const nodes: unknown[] = [];
    for await (const node of c.paginate(QUERY, { connection: 'endpoints' })) nodes.push(node);
    expect(nodes).toEqual([]);
  });

  for (const stall of ['repeat', 'cycle', 'null'] as const) {
    it(`refuses a cursor that does not advance (${stall})`, async () => {
      const c = await gateway(1000, stall);
      const run = async () => {
        for await (const _ of c.paginate(QUERY, { connection: 'endpoints', first: 2 })) {
          // drain
        }
      };
      const error = await run().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UnexpectedResponseError);
      expect((error as UnexpectedResponseError).kind).toBe('stalled-cursor');
      expect(fake?.requests.length).toBeLessThan(10);
    });
  }

  it('pages() exposes totalRecords', async () => {
    const c = await gateway(7);
    const totals: number[] = [];
    for await (const page of c.pages(QUERY, {
      connection: (d) => (d as { endpoints: unknown }).endpoints,
      first: 5,
    })) {
      totals.push(page.totalRecords ?? -1);
    }
    expect(totals).toEqual([7, 7]);
  });
});
