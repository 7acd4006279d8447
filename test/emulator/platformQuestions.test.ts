import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';

interface ResultInfo {
  estimated_total: number;
  mr_tested: number;
  tested: number;
  row_count: number;
}
interface ResultSet extends ResultInfo {
  columns: { name: string }[];
  rows: { cid: number; data: { text: string }[][] }[];
}

describe('emulator Platform REST: sensors, questions and results', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ endpoints: 300, seed: 11 });
  });
  afterAll(() => h.close());

  it('lists sensors with a cache_info tail and finds one by name', async () => {
    const listed = await h.call<{ data: Record<string, unknown>[] }>('GET', '/api/v2/sensors');
    expect(listed.json.data.at(-1)).toHaveProperty('cache_info');
    const one = await h.call<{ data: { name: string; id: number } }>(
      'GET',
      '/api/v2/sensors/by-name/Computer%20Name',
    );
    expect(one.json.data.name).toBe('Computer Name');
    const missing = await h.call<{ text: string }>('GET', '/api/v2/sensors/by-name/Nope');
    expect(missing.status).toBe(404);
    expect(missing.json.text).toMatch(/^SensorNotFound:/);
  });

  it('parses question text, and answers [] when it cannot', async () => {
    const parsed = await h.call<{
      data: { question_text: string; selects: { sensor: { name: string } }[] }[];
    }>('POST', '/api/v2/parse_question', {
      body: { text: 'get computer name and ip address from all machines' },
    });
    expect(parsed.json.data[0]?.selects.map((s) => s.sensor.name)).toEqual(['Computer Name', 'IP Address']);
    const none = await h.call<{ data: unknown[] }>('POST', '/api/v2/parse_question', {
      body: { text: 'what is the weather' },
    });
    expect(none.json.data).toEqual([]);
  });

  it('asks a question whose answers arrive over several polls, with row paging', async () => {
    const asked = await h.call<{ data: { id: number } }>('POST', '/api/v2/questions', {
      body: { query_text: 'Get Computer Name from all machines' },
    });
    const id = asked.json.data.id;
    const progress: number[] = [];
    for (let poll = 0; poll < 4; poll++) {
      const info = await h.call<{ data: { result_infos: ResultInfo[] } }>(
        'GET',
        `/api/v2/result_info/question/${id}`,
      );
      progress.push(info.json.data.result_infos[0]!.mr_tested);
    }
    expect(progress[0]).toBeLessThan(progress[2]!);
    expect(progress[2]).toBe(progress[3]);
    const full = await h.call<{ data: { result_sets: ResultSet[] } }>(
      'GET',
      `/api/v2/result_data/question/${id}`,
    );
    const set = full.json.data.result_sets[0]!;
    expect(set.columns.map((c) => c.name)).toEqual(['Computer Name', 'Count']);
    expect(set.rows.length).toBe(set.row_count);
    expect(set.rows.length).toBe(set.mr_tested);
    const paged = await h.call<{ data: { result_sets: ResultSet[] } }>(
      'GET',
      `/api/v2/result_data/question/${id}?row_start=10&row_count=5`,
    );
    expect(paged.json.data.result_sets[0]!.rows).toEqual(set.rows.slice(10, 15));
    const bad = await h.call<{ text: string }>('GET', `/api/v2/result_data/question/${id}?row_start=-1`);
    expect(bad.status).toBe(400);
  });

  it('merges identical answers with a Count and keeps placeholder values', async () => {
    const asked = await h.call<{ data: { id: number } }>('POST', '/api/v2/questions', {
      body: { query_text: 'Get Operating System from all machines with OS Platform contains Windows' },
    });
    let set: ResultSet | undefined;
    for (let poll = 0; poll < 3; poll++) {
      set = (
        await h.call<{ data: { result_sets: ResultSet[] } }>(
          'GET',
          `/api/v2/result_data/question/${asked.json.data.id}`,
        )
      ).json.data.result_sets[0];
    }
    const counts = set!.rows.map((r) => Number(r.data.at(-1)?.[0]?.text));
    expect(counts.some((c) => c > 1)).toBe(true);
    expect(
      set!.rows.every((r) =>
        r.data[0]?.every((cell) => /windows|\[no results\]|\[current result unavailable\]/i.test(cell.text)),
      ),
    ).toBe(true);
  });

  it('refuses unknown sensors and unknown questions with Tanium error names', async () => {
    const unknown = await h.call<{ text: string }>('POST', '/api/v2/questions', {
      body: { query_text: 'Get Favourite Colour from all machines' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.text).toMatch(/^SensorNotFound: .*Favourite Colour/);
    const missing = await h.call<{ text: string }>('GET', '/api/v2/result_info/question/999999');
    expect(missing.status).toBe(404);
    expect(missing.json.text).toMatch(/^QuestionNotFound:/);
  });

  it('saves a question and reads its results', async () => {
    const created = await h.call<{ data: { id: number } }>('POST', '/api/v2/saved_questions', {
      body: { name: 'Serials', query_text: 'Get Computer Serial Number from all machines' },
    });
    expect(created.status).toBe(200);
    const byName = await h.call<{ data: { id: number } }>('GET', '/api/v2/saved_questions/by-name/Serials');
    expect(byName.json.data.id).toBe(created.json.data.id);
    const results = await h.call<{ data: { result_sets: ResultSet[] } }>(
      'GET',
      `/api/v2/result_data/saved_question/${created.json.data.id}`,
    );
    expect(results.json.data.result_sets[0]?.columns[0]?.name).toBe('Computer Serial Number');
  });

  it('lists computer groups and system status with an aggregate and cache_info', async () => {
    const groups = await h.call<{ data: { name?: string }[] }>('GET', '/api/v2/groups');
    expect(groups.json.data.map((g) => g.name)).toContain('All Computers');
    const status = await h.call<{ data: Record<string, unknown>[] }>('GET', '/api/v2/system_status');
    const clients = status.json.data.filter((s) => 'computer_id' in s);
    expect(clients.length).toBeGreaterThan(0);
    expect(status.json.data.at(-2)).toHaveProperty('normal_count');
    expect(status.json.data.at(-1)).toHaveProperty('cache_info');
  });
});

describe('emulator: churn moves the truth and the Gateway alike', () => {
  it('after the clock advances, counts change and the Gateway total equals the truth', async () => {
    const h = await startHarness({ endpoints: 2_000, seed: 5 });
    try {
      const truth = async () =>
        (
          await h.call<{
            endpoints: number;
            cveFindings: number;
            complianceFindings: number;
            retired: number;
            enrolled: number;
          }>('GET', '/__emulator/truth', { token: null })
        ).json;
      const total = async (token: string) =>
        (
          await h.gql<{ data: { endpoints: { totalRecords: number } } }>(
            '{ endpoints(first: 1) { totalRecords } }',
            undefined,
            token,
          )
        ).json.data.endpoints.totalRecords;
      const longLived = await h.call<{ data: { token_string: string } }>('POST', '/api/v2/api_tokens', {
        body: { expire_in_days: 365, trusted_ip_addresses: '127.0.0.1' },
      });
      const token = longLived.json.data.token_string;
      const before = await truth();
      expect(await total(token)).toBe(before.endpoints);
      await h.advance('30d');
      const after = await truth();
      expect(after).not.toEqual(before);
      expect(after.retired).toBeGreaterThan(before.retired);
      expect(after.enrolled).toBeGreaterThan(before.enrolled);
      expect(after.cveFindings).not.toBe(before.cveFindings);
      expect(await total(token)).toBe(after.endpoints);
    } finally {
      await h.close();
    }
  });

  it('the same seed gives the same fleet; another seed a different one', async () => {
    const query =
      '{ endpoints(first: 50) { edges { node { id name serialNumber ipAddress os { name } } } } }';
    const fleets: unknown[] = [];
    for (const seed of [42, 42, 43]) {
      const h = await startHarness({ endpoints: 100, seed });
      try {
        fleets.push((await h.gql(query)).json);
      } finally {
        await h.close();
      }
    }
    expect(fleets[0]).toEqual(fleets[1]);
    expect(fleets[2]).not.toEqual(fleets[0]);
  });
});
