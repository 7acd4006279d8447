import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';

const ASSET = '/plugin/products/asset';
const TR = '/plugin/products/threat-response/api/v1';
const PATCH = '/plugin/products/patch';
const CONNECT = '/plugin/products/connect';
const DEPLOY = '/plugin/products/deploy';
const COMPLY = '/plugin/products/comply';

describe('emulator modules: each paging model yields every item once', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const expectUnique = (ids: unknown[], total: number) => {
    expect(ids.length).toBe(total);
    expect(new Set(ids).size).toBe(total);
  };

  it('Asset: keyset paging with minimumAssetId and nextAssetId until endOfReader', async () => {
    type Page = {
      response: { data: { id: number }[]; meta: { endOfReader: boolean; nextAssetId?: number } };
    };
    const all = await h.call<Page>('GET', `${ASSET}/v1/assets?limit=5000`);
    expect(all.json.response.meta.endOfReader).toBe(true);
    const total = all.json.response.data.length;
    expect(total).toBeGreaterThan(100);
    const seen: number[] = [];
    let minimum = 0;
    let pages = 0;
    for (;;) {
      const reply = await h.call<Page>('GET', `${ASSET}/v1/assets?limit=37&minimumAssetId=${minimum}`);
      expect(reply.status).toBe(200);
      seen.push(...reply.json.response.data.map((a) => a.id));
      pages++;
      if (reply.json.response.meta.endOfReader) break;
      expect(reply.json.response.meta.nextAssetId).toBeGreaterThan(reply.json.response.data.at(-1)!.id);
      minimum = reply.json.response.meta.nextAssetId!;
    }
    expectUnique(seen, total);
    expect(pages).toBe(Math.ceil(total / 37));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('Asset: defaults to 100, caps a larger limit at 5,000, and omits nextAssetId past the end', async () => {
    type Page = {
      response: { data: { id: number }[]; meta: { endOfReader: boolean; nextAssetId?: number } };
    };
    expect((await h.call<Page>('GET', `${ASSET}/v1/assets`)).json.response.data.length).toBe(100);
    const big = await h.call<Page>('GET', `${ASSET}/v1/assets?limit=99999`);
    expect(big.status).toBe(200);
    expect(big.json.response.meta.endOfReader).toBe(true);
    const past = await h.call<Page>('GET', `${ASSET}/v1/assets?minimumAssetId=999999999`);
    expect(past.json).toEqual({ response: { data: [], meta: { endOfReader: true } } });
  });

  it('Threat Response: limit/offset with sort=-createdAt', async () => {
    type Page = { data: { id: number; createdAt: string }[] };
    const seen: { id: number; createdAt: string }[] = [];
    for (let offset = 0; ; offset += 50) {
      const reply = await h.call<Page>('GET', `${TR}/alerts?limit=50&offset=${offset}&sort=-createdAt`);
      expect(reply.status).toBe(200);
      seen.push(...reply.json.data);
      if (reply.json.data.length < 50) break;
    }
    expectUnique(
      seen.map((a) => a.id),
      240,
    );
    const times = seen.map((a) => a.createdAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('Patch: skip/take through the catalog, total unchanged', async () => {
    type Page = { patches: { taniumUid: string }[]; total: number; applicableCount: number };
    const first = await h.call<Page>('GET', `${PATCH}/v1/patches?take=40`);
    const total = first.json.total;
    const seen: string[] = [];
    for (let skip = 0; skip < total; skip += 40) {
      const reply = await h.call<Page>('GET', `${PATCH}/v1/patches?skip=${skip}&take=40`);
      expect(reply.json.total).toBe(total);
      seen.push(...reply.json.patches.map((p) => p.taniumUid));
    }
    expectUnique(seen, total);
    const windows = await h.call<Page>('GET', `${PATCH}/v1/patches?osType=windows`);
    expect(windows.json.patches.length).toBe(windows.json.total);
    expect(windows.json.total).toBeLessThan(total);
  });

  it('Connect: offset/limit with orderBy and descending', async () => {
    type Conn = { id: number; name: string };
    const all = await h.call<Conn[]>('GET', `${CONNECT}/v1/connections`);
    const seen: Conn[] = [];
    for (let offset = 0; offset < all.json.length; offset += 5) {
      const reply = await h.call<Conn[]>(
        'GET',
        `${CONNECT}/v1/connections?offset=${offset}&limit=5&orderBy=name&descending=true`,
      );
      seen.push(...reply.json);
    }
    expectUnique(
      seen.map((c) => c.id),
      all.json.length,
    );
    const names = seen.map((c) => c.name);
    expect(names).toEqual([...names].sort().reverse());
  });

  it('Deploy: v4 software packages with skip/take', async () => {
    type Page = { data: { total: number; filteredTotal: number; softwarePackages: { id: number }[] } };
    const first = await h.call<Page>('GET', `${DEPLOY}/v4/software-packages?take=7`);
    const total = first.json.data.filteredTotal;
    const seen: number[] = [];
    for (let skip = 0; skip < total; skip += 7) {
      const reply = await h.call<Page>('GET', `${DEPLOY}/v4/software-packages?skip=${skip}&take=7`);
      seen.push(...reply.json.data.softwarePackages.map((p) => p.id));
    }
    expectUnique(seen, total);
  });

  it('Comply: the CVE library pages with limit/offset and reports count, offset and total', async () => {
    type Page = { items: { cve: string }[]; count: number; offset: number; total: number };
    const seen: string[] = [];
    let total = 0;
    for (let offset = 0; ; offset += 150) {
      const reply = await h.call<Page>('POST', `${COMPLY}/v1/vulnerability/cves`, {
        body: { limit: 150, offset, sort: { prop: 'cve' } },
      });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.json.offset).toBe(offset);
      expect(reply.json.count).toBe(reply.json.items.length);
      total = reply.json.total;
      seen.push(...reply.json.items.map((c) => c.cve));
      if (offset + reply.json.count >= total) break;
    }
    expectUnique(seen, total);
  });

  it('Comply: filters, sorts and selects CVEs', async () => {
    type Page = { items: Record<string, unknown>[]; total: number };
    const reply = await h.call<Page>('POST', `${COMPLY}/v1/vulnerability/cves`, {
      body: {
        filter: {
          operator: 'MatchesAll',
          filters: [
            { field: 'cvss3Score', operator: 'GreaterThanOrEqual', value: '9' },
            { field: 'summary', operator: 'Contains', value: 'openssl' },
          ],
        },
        sort: { prop: 'cvss3Score', direction: 'desc' },
        select: ['summary', 'cvss3Score'],
      },
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.json.total).toBeGreaterThan(0);
    const scores = reply.json.items.map(
      (c) => (c['scores'] as { cvssv3: { baseScore: number } }).cvssv3.baseScore,
    );
    expect(scores.every((s) => s >= 9)).toBe(true);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(reply.json.items.every((c) => String(c['summary']).includes('OpenSSL'))).toBe(true);
    expect(Object.keys(reply.json.items[0]!).sort()).toEqual(['cve', 'scores', 'summary']);
  });
});

describe('emulator modules: bad paging input is refused with a 400 naming the parameter', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it.each([
    [`${ASSET}/v1/assets?limit=-5`, '"limit" must be at least 1, got -5'],
    [`${ASSET}/v1/assets?limit=0`, '"limit" must be at least 1'],
    [`${ASSET}/v1/assets?limit=ten`, '"limit" must be a whole number, got "ten"'],
    [`${ASSET}/v1/assets?minimumAssetId=-1`, '"minimumAssetId" must be at least 0'],
    [`${ASSET}/v1/assets?minimumAssetId=1.5`, '"minimumAssetId" must be a whole number'],
    [`${ASSET}/v1/assets?limit=1&limit=2`, '"limit" was given 2 times'],
    [`${ASSET}/v1/assets?viewId=77`, '"viewId" names no view'],
    [`${TR}/alerts?limit=1001`, '"limit" must be at most 1000'],
    [`${TR}/alerts?offset=-1`, '"offset" must be at least 0'],
    [`${TR}/alerts?sort=severity`, '"sort" must be one of'],
    [`${TR}/alerts?state=open`, '"state" must be one of unresolved'],
    [`${PATCH}/v1/patches?skip=-3`, '"skip" must be at least 0'],
    [`${PATCH}/v1/patches?take=x`, '"take" must be a whole number'],
    [`${PATCH}/v1/patches?osType=solaris`, '"osType" must be one of'],
    [`${CONNECT}/v1/connections?limit=0`, '"limit" must be at least 1'],
    [`${CONNECT}/v1/connections?orderBy=color`, '"orderBy" must be one of'],
    [`${CONNECT}/v1/connections?descending=true`, '"descending" requires "orderBy"'],
    [`${DEPLOY}/v4/software-packages?skip=abc`, '"skip" must be a whole number'],
    [`${DEPLOY}/v1/deployments?take=-1`, '"take" must be at least 0'],
    ['/plugin/products/enforce/v1/policies?limit=501', '"limit" must be at most 500'],
    ['/plugin/products/integrity-monitor/v1/monitors?offset=z', '"offset" must be a whole number'],
  ])('GET %s', async (path, message) => {
    const reply = await h.call<{ text: string }>('GET', path);
    expect(reply.status).toBe(400);
    expect(reply.json.text).toContain(message);
  });

  it.each([
    [{ limit: 1001 }, 'field "limit" must be at most 1000'],
    [{ limit: -1 }, 'field "limit" must be a whole number of at least 0'],
    [{ offset: 'a' }, 'field "offset" must be a whole number'],
    [{ sort: { prop: 'color' } }, 'sort.prop must be one of'],
    [{ filter: { field: 'cve', operator: 'Like', value: 'x' } }, 'filter.operator must be one of'],
    [{ filter: { field: 'colour', operator: 'Equals', value: 'x' } }, 'filter.field must be one of'],
    [{ filter: { field: 'cve', operator: 'In' } }, 'operator In needs "values"'],
    [{ filter: { field: 'summary', operator: 'GreaterThan', value: '1' } }, 'GreaterThan applies to'],
    [{ select: ['cve', 'nope'] }, 'select[1] must be one of'],
  ])('POST the CVE library with %j', async (body, message) => {
    const reply = await h.call<{ text: string }>('POST', `${COMPLY}/v1/vulnerability/cves`, { body });
    expect(reply.status).toBe(400);
    expect(reply.json.text).toContain(message);
  });
});
