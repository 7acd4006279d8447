import { describe, expect, it } from 'vitest';
import { readPageStream } from './pageStream.js';

const encoder = new TextEncoder();

/** The text in pieces of `size` bytes (cutting through strings, escapes and multi-byte characters). */
async function* pieces(text: string, size: number) {
  const bytes = encoder.encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

function answer(edges: number) {
  return {
    data: {
      endpoints: {
        totalRecords: edges,
        pageInfo: { hasNextPage: true, endCursor: 'c"1\\' },
        edges: Array.from({ length: edges }, (_, i) => ({
          node: {
            id: `e${i}`,
            name: `h\\"ost ${i} é ✓ [}{`,
            n: i * 1.5,
            ok: i % 2 === 0,
            none: null,
            list: [[], {}],
          },
        })),
      },
    },
  };
}

async function read(text: string, size: number, chunk: number) {
  const chunks: unknown[][] = [];
  let pageInfo: unknown;
  const rest = await readPageStream(pieces(text, size), {
    chunk: () => chunk,
    edges: async (edges) => {
      chunks.push(edges);
    },
    pageInfo: (info) => {
      pageInfo = info;
    },
  });
  return { chunks, pageInfo, rest: rest as ReturnType<typeof answer> };
}

describe('readPageStream', () => {
  it('hands every edge on once, in order, in chunks, however the text is cut', async () => {
    const whole = answer(23);
    const text = JSON.stringify(whole, null, 1);
    for (const size of [1, 3, 7, 64, 100_000]) {
      const { chunks, pageInfo, rest } = await read(text, size, 5);
      expect(chunks.every((c) => c.length === 5)).toBe(true);
      const all = [...chunks.flat(), ...rest.data.endpoints.edges];
      expect(all).toEqual(whole.data.endpoints.edges);
      expect(pageInfo).toEqual(whole.data.endpoints.pageInfo);
      expect(rest.data.endpoints.totalRecords).toBe(23);
    }
  });

  it('keeps every edge for the answer when the chunk is infinite', async () => {
    const whole = answer(4);
    const { chunks, rest } = await read(JSON.stringify(whole), 2, Number.POSITIVE_INFINITY);
    expect(chunks).toEqual([]);
    expect(rest).toEqual(whole);
  });

  it('hands no edge on after errors, and answers them', async () => {
    const text = JSON.stringify({ errors: [{ message: 'boom' }], ...answer(6) });
    const { chunks, rest } = await read(text, 5, 2);
    expect(chunks).toEqual([]);
    expect((rest as unknown as { errors: unknown }).errors).toEqual([{ message: 'boom' }]);
  });

  it('an empty errors list is no error: the edges are handed on', async () => {
    const whole = answer(6);
    const { chunks, rest } = await read(JSON.stringify({ errors: [], ...whole }), 5, 2);
    expect(chunks).toHaveLength(3);
    expect([...chunks.flat(), ...rest.data.endpoints.edges]).toEqual(whole.data.endpoints.edges);
  });

  it('refuses a trailing comma at every level of the spine', async () => {
    const text = JSON.stringify(answer(2));
    const bad = [
      text.replace(']}}}', ',]}}}'), // after the last edge
      text.replace(']}}}', '],}}}'), // in endpoints, after edges
      text.replace(']}}}', ']},}}'), // in data
      text.replace(']}}}', ']}},}'), // in the answer
    ];
    for (const body of bad) {
      expect(body).not.toBe(text);
      await expect(read(body, 7, 1)).rejects.toThrow(/trailing comma/);
    }
  });

  it('answers data null and other members as they are', async () => {
    const { rest } = await read(JSON.stringify({ data: null, extensions: { x: [1, '}'] } }), 3, 2);
    expect(rest).toEqual({ data: null, extensions: { x: [1, '}'] } });
  });

  it('refuses a cut or malformed answer', async () => {
    const text = JSON.stringify(answer(3));
    await expect(read(text.slice(0, -10), 4, 2)).rejects.toThrow(/not valid JSON/);
    await expect(read(text.replace('"node"', 'node'), 4, 2)).rejects.toThrow(/not valid JSON/);
    await expect(read(`${text}x`, 4, 2)).rejects.toThrow(/not valid JSON/);
  });
});
