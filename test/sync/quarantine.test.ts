import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { counts, freezeClock, syncTarget, truth } from '../helpers/syncHarness.js';
import { DIALECTS } from '../store/dialects.js';

let h: Harness;
let proxy: Server;
let proxyUrl: string;
/** CVE findings of the endpoint whose id the proxy removed (they cannot be attributed). */
let orphanFindings = 0;
/** Whether the proxy has damaged a page since the last sync began (one page per sync). */
let damaged = false;

/**
 * A pass-through proxy in front of the emulator that damages three records of the first Gateway page,
 * as a Tanium answer with a broken record would look: the runner, the streams and the store run for real.
 */
beforeAll(async () => {
  h = await startHarness({ endpoints: 600, seed: 9 });
  freezeClock(h.emulator);
  proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const upstream = await request(`${h.url}${req.url}`, {
      method: req.method as 'POST',
      headers: { session: String(req.headers['session']), 'content-type': 'application/json' },
      body: Buffer.concat(chunks),
    });
    let text = await upstream.body.text();
    const body = JSON.parse(text) as {
      data?: { endpoints?: { edges: { node: Record<string, unknown> }[] } };
    };
    const edges = body.data?.endpoints?.edges;
    // A page of the sync (its nodes carry the streams' fields), not the computer group read's member
    // ids, which the run reads beside its pages.
    if (!damaged && edges && edges.length > 5 && 'eidFirstSeen' in edges[0]!.node) {
      damaged = true;
      // The test profile answers some lists null (not known): such an endpoint has no findings to orphan.
      type Compliance = { cveFindings: Record<string, unknown>[] | null } | null;
      orphanFindings = (edges[1]!.node['compliance'] as Compliance)?.cveFindings?.length ?? 0;
      delete edges[1]!.node['id'];
      edges[2]!.node['eidFirstSeen'] = 'yesterday';
      const withCves = edges.slice(3).find((e) => {
        const c = e.node['compliance'] as Compliance;
        return (c?.cveFindings?.length ?? 0) > 1;
      })!;
      delete (withCves.node['compliance'] as { cveFindings: Record<string, unknown>[] }).cveFindings[0]![
        'cveId'
      ];
      text = JSON.stringify(body);
    }
    res.writeHead(upstream.statusCode, { 'content-type': 'application/json' });
    res.end(text);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve));
  await h.close();
});

it.each(DIALECTS)(
  'malformed records land in quarantine and do not stop the page ($name)',
  async (dialect) => {
    damaged = false;
    orphanFindings = 0;
    const t = await syncTarget(h.emulator, proxyUrl, dialect);
    try {
      const summary = await t.sync({ streams: ['assets', 'vulnerabilities', 'compliance'] });
      const records = await t.store.sync.quarantined('default');
      expect(records.map((r) => [r.stream, r.reason])).toEqual([
        ['assets', 'id is missing'],
        ['assets', 'eidFirstSeen is not an RFC 3339 time: "yesterday"'],
        ['vulnerabilities', 'cveId is missing'],
      ]);
      expect(records[0]!.key).toMatch(/^#[0-9a-f]{16}$/);
      expect((records[1]!.raw as { eidFirstSeen: string }).eidFirstSeen).toBe('yesterday');
      expect(summary.streams.assets!.quarantined).toBe(2);
      expect(summary.streams.vulnerabilities!.quarantined).toBe(1);
      const now = await truth(h.url);
      const stored = await counts(t.store);
      expect(stored.endpoints).toBe(now.endpoints - 2);
      // A fresh store holds the findings of the lists Tanium answered (`answers`), less the damaged ones.
      expect(stored.cveFindings).toBe(now.answers.cveFindings - orphanFindings - 1);
    } finally {
      await t.close();
    }
  },
  60_000,
);
