import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';

const BIG = `query { endpoints(first: 5000) { pageInfo { endCursor } edges { node { id name
  compliance { cveFindings { cveId cvssScoreV3 severity summary } complianceFindings { id rule state } } } } } }`;

/**
 * While a 5,000-endpoint page is built, other requests are answered (docs/emulator.md, "Large
 * answers in slices"). The small request is sent only once the emulator has counted the big one: in
 * one piece, the big page's build starts in the same turn of the event loop as that count, so the
 * emulator cannot answer the count before the big page has been written.
 */
describe('emulator Gateway: a large endpoints page does not stall other requests', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ endpoints: 6_000, seed: 3 });
  });
  afterAll(() => h.close());

  it('answers a small request sent after the big one before the big page starts', async () => {
    const order: string[] = [];
    const gatewayCount = async () => {
      const stats = await h.call<{ requests: { total: number } }>('GET', '/__emulator/stats', {
        token: null,
      });
      return stats.json.requests.total;
    };
    const before = await gatewayCount();
    const big = request(`${h.url}/plugin/products/gateway/graphql`, {
      method: 'POST',
      headers: { session: h.token, 'content-type': 'application/json' },
      body: JSON.stringify({ query: BIG }),
    }).then(async (response) => {
      order.push('big headers');
      await response.body.text();
    });
    while ((await gatewayCount()) === before) await new Promise((r) => setTimeout(r, 1));
    await h.call('GET', '/__emulator/clock', { token: null });
    order.push('small answered');
    await big;
    expect(order).toEqual(['small answered', 'big headers']);
  });
});
