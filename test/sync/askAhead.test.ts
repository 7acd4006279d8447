import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTaniumClient } from '../../src/sdk/index.js';
import { type GatewayClient, PageReader, type Received } from '../../src/sync/fetchPages.js';
import type { HeldLease } from '../../src/sync/lease.js';
import { DEFAULT_PAGE_SIZE, PageSizer } from '../../src/sync/pageSize.js';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { freezeClock } from '../helpers/syncHarness.js';

const GATEWAY = 'POST /plugin/products/gateway/graphql';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ endpoints: 400, seed: 21, realism: 0 });
  freezeClock(h.emulator);
}, 120_000);
afterAll(() => h.close());

async function gatewayRequests(): Promise<number> {
  const stats = (await h.call('GET', '/__emulator/stats', { token: null })).json as {
    requests: { byRoute: Record<string, number> };
  };
  return stats.requests.byRoute[GATEWAY] ?? 0;
}

/**
 * The client, watching the answers it streams: `spineRead(k)` settles once the reader has been handed
 * the k-th streamed answer up to its `edges` (so its pageInfo, which the query asks for first, is read).
 */
function watched(client: GatewayClient) {
  const settle: (() => void)[] = [];
  const reached: Promise<void>[] = [];
  const at = (k: number) => {
    while (reached.length <= k) reached.push(new Promise<void>((resolve) => settle.push(resolve)));
    return k;
  };
  let streamed = 0;
  const watching: GatewayClient = {
    graphql: (query, variables, options) => {
      const readBody = options?.readBody;
      if (!readBody) return client.graphql(query, variables, options);
      const k = at(streamed++);
      return client.graphql(query, variables, {
        readBody: (chunks) => readBody(untilEdges(chunks, settle[k]!)),
      });
    },
  };
  return { client: watching, spineRead: (k: number) => reached[at(k)]! };
}

/** The pieces as they come; `reached` runs once the piece holding `"edges"` has been consumed. */
async function* untilEdges(chunks: AsyncIterable<Uint8Array>, reached: () => void) {
  const decoder = new TextDecoder();
  let text = '';
  let done = false;
  for await (const piece of chunks) {
    if (!done) {
      text += decoder.decode(piece, { stream: true });
      done = text.includes('"edges"');
      // After the reader's synchronous handling of this piece (which hands pageInfo on).
      if (done) setImmediate(reached);
    }
    yield piece;
  }
}

/** The next page (the reader never restarts here: maxRestarts is 0). */
async function nextPage(reader: PageReader): Promise<Extract<Received, { kind: 'page' }>> {
  const received = await reader.next();
  if (received.kind !== 'page') throw new Error(`the reader restarted: ${received.reason}`);
  return received;
}

function lastId(received: Extract<Received, { kind: 'page' }>): string | null {
  return (received.page.edges.at(-1)?.node as { id?: string } | undefined)?.id ?? null;
}

/** Polls until the emulator has received `n` Gateway requests; false if it has not within `ms`. */
async function requestsReach(n: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if ((await gatewayRequests()) >= n) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe('streamed pages are asked for one ahead', () => {
  it('a page whose pageInfo came in while it was the page ahead asks for the next as soon as it is followed', async () => {
    const sdk = createTaniumClient({ baseUrl: h.url, token: h.token });
    const answers = watched(sdk);
    // Pages of 50 endpoints in chunks of about 10: each streamed page is several chunks.
    const sizer = new PageSizer(50, { ...DEFAULT_PAGE_SIZE, min: 50, max: 50, maxRowsPerPage: 400 });
    const reader = new PageReader({
      client: answers.client,
      sizer,
      lease: { check() {}, claim: () => undefined } as unknown as HeldLease,
      active: ['assets', 'vulnerabilities', 'compliance'],
      streamOptions: { sensors: [] },
      since: null,
      emit() {},
      onRefused: async () => undefined,
      maxPageFailures: 3,
      maxRestarts: 0,
      stream: true,
    });
    const before = await gatewayRequests();
    try {
      reader.start(null, null);
      // Page 1 begins the collection and is read whole; following it asks for page 2 (streamed).
      const first = await nextPage(reader);
      expect(first.more).toBe(false);
      reader.follow(first.page, lastId(first), false);
      // Page 2's first chunk: its pageInfo has asked for page 3, the page ahead.
      let chunk = await nextPage(reader);
      expect(await requestsReach(before + 3, 10_000)).toBe(true);
      // Page 3's pageInfo is read while page 2 is still current (page 3 is the second streamed answer).
      await answers.spineRead(1);
      for (;;) {
        reader.follow(chunk.page, lastId(chunk), chunk.more);
        if (!chunk.more) break;
        chunk = await nextPage(reader);
      }
      // Page 3 is now the current page; page 4 must be on its way without reading any of page 3.
      expect(await requestsReach(before + 4, 10_000)).toBe(true);
    } finally {
      reader.close();
      await sdk.close();
    }
  }, 60_000);
});
