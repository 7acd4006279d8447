import { describe, expect, it } from 'vitest';
import { UnexpectedResponseError } from '../sdk/index.js';
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

/** The bytes cut where `cuts` say (indices into the UTF-8 bytes, ascending). */
async function* cutAt(bytes: Uint8Array, cuts: number[]) {
  let from = 0;
  for (const at of [...cuts, bytes.length]) {
    yield bytes.slice(from, at);
    from = at;
  }
}

async function read(text: string | AsyncIterable<Uint8Array>, size: number, chunk: number) {
  const chunks: unknown[][] = [];
  let pageInfo: unknown;
  const body = typeof text === 'string' ? pieces(text, size) : text;
  const rest = await readPageStream(body, {
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

  it('hands the edges of a compact answer on however its bytes are cut, inside characters too', async () => {
    const whole = answer(3);
    // Text that looks like the separator between edges (escaped in a string), a string ending in a
    // backslash just before a real separator, a character of four bytes and a byte order mark.
    whole.data.endpoints.edges[1]!.node.name = 'a },{"node": b 😀 \uFEFF c';
    Object.assign(whole.data.endpoints.edges[0]!.node, { tail: 'ends in \\' });
    const text = JSON.stringify(whole);
    expect(text).toContain('},{\\"node\\":');
    const bytes = encoder.encode(text);
    for (let at = 1; at < bytes.length; at++) {
      const { chunks, pageInfo, rest } = await read(cutAt(bytes, [at]), 0, 1);
      expect([...chunks.flat(), ...rest.data.endpoints.edges]).toEqual(whole.data.endpoints.edges);
      expect(chunks).toHaveLength(3);
      expect(pageInfo).toEqual(whole.data.endpoints.pageInfo);
    }
    for (const size of [1, 2, 3, 5]) {
      const { chunks } = await read(text, size, 2);
      expect(chunks.flat()).toEqual(whole.data.endpoints.edges.slice(0, 2));
    }
  });

  it('reads edges that hold the separator deeper, or are not separated by it, as they are', async () => {
    const nested = (i: number) => ({
      node: { id: `n${i}`, list: [{ node: 1 }, { node: { deep: [i] } }], z: i },
    });
    const whole = { data: { endpoints: { edges: Array.from({ length: 12 }, (_, i) => nested(i)) } } };
    const compact = JSON.stringify(whole);
    expect(compact).toContain('},{"node":{"deep"');
    const spaced = compact.replaceAll('},{"node":{"id"', '}, {"node":{"id"');
    const pretty = JSON.stringify(whole, null, 2);
    for (const text of [compact, spaced, pretty, `\uFEFF ${compact}\n`]) {
      for (const size of [1, 13, 1000]) {
        const { chunks, rest } = await read(text, size, 4);
        expect(chunks).toHaveLength(3);
        expect([...chunks.flat(), ...(rest.data.endpoints.edges as unknown[])]).toEqual(
          whole.data.endpoints.edges,
        );
      }
    }
  });

  it('reads on with the exact scan once a mebibyte holds no separator (edges separated another way)', async () => {
    const edges = Array.from({ length: 300 }, (_, i) => ({
      node: { id: `e${i}`, blob: 'x'.repeat(10_000) },
    }));
    const text = JSON.stringify({ data: { endpoints: { edges } } }).replaceAll('},{"node":', '}, {"node":');
    const bytes = encoder.encode(text);
    // Where each edge's text ends (ASCII: bytes and characters agree).
    const ends = edges.map(
      (_, i) => text.indexOf(i + 1 < edges.length ? `}, {"node":{"id":"e${i + 1}"` : ']}}}') + 1,
    );
    let yielded = 0;
    async function* body() {
      for (let i = 0; i < bytes.length; i += 16_384) {
        yielded = Math.min(bytes.length, i + 16_384);
        yield bytes.slice(i, i + 16_384);
      }
    }
    const lag: number[] = [];
    const rest = await readPageStream(body(), {
      chunk: () => 1,
      edges: async (chunk) => {
        lag.push(yielded - ends[lag.length]!);
        expect(chunk).toHaveLength(1);
      },
    });
    expect(lag).toHaveLength(edges.length);
    expect((rest as { data: { endpoints: { edges: unknown[] } } }).data.endpoints.edges).toEqual([]);
    // After the first mebibyte an edge is handed on within a piece of its end, not a mebibyte later
    // (which searching for the separator again from every edge would also cost in CPU).
    const late = lag.filter((_, i) => ends[i]! > 1.2 * 1024 * 1024);
    expect(late.length).toBeGreaterThan(100);
    expect(Math.max(...late)).toBeLessThan(64 * 1024);
  });

  it('reads an edge larger than a cut may span', async () => {
    const big = { node: { id: 'big', blob: 'x'.repeat(1_300_000), list: [1, 2] } };
    const whole = { data: { endpoints: { edges: [{ node: { id: 'a' } }, big, { node: { id: 'b' } }] } } };
    const { chunks } = await read(JSON.stringify(whole), 65_536, 1);
    expect(chunks.flat()).toEqual(whole.data.endpoints.edges);
  });

  it('refuses invalid JSON inside a compact edge with the invalid-json kind', async () => {
    const text = JSON.stringify(answer(4));
    const bad = [
      text.replace('"ok":false', '"ok":fals'),
      text.replace('"list":[[],{}]}', '"list":[[],{}],}'), // trailing commas inside an edge
      text.replace('"list":[[],{}]}', '"list":[[],{},]}'),
      text.replace('},{"node":', '},,{"node":'),
      text.replace('},{"node":', '}{"node":'),
    ];
    for (const body of bad) {
      expect(body).not.toBe(text);
      for (const size of [5, 100_000]) {
        const error = await read(body, size, 1).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UnexpectedResponseError);
        expect((error as UnexpectedResponseError).kind).toBe('invalid-json');
      }
    }
  });

  it('decodes bytes that are not UTF-8 as TextDecoder does', async () => {
    const text = JSON.stringify(answer(2));
    const at = text.indexOf('é');
    const utf8 = encoder.encode(text.slice(0, at));
    const bytes = new Uint8Array([...utf8, 0xff, 0xc3, ...encoder.encode(text.slice(at + 1))]);
    const expected = JSON.parse(new TextDecoder().decode(bytes)) as ReturnType<typeof answer>;
    for (const cut of [utf8.length, utf8.length + 1, utf8.length + 2]) {
      const { chunks, rest } = await read(cutAt(bytes, [cut]), 0, 1);
      expect([...chunks.flat(), ...rest.data.endpoints.edges]).toEqual(expected.data.endpoints.edges);
    }
  });

  it('hands pageInfo on before the edges arrive, and reads on only once a chunk is taken', async () => {
    const text = JSON.stringify(answer(6));
    const bytes = encoder.encode(text);
    const edgesAt = text.indexOf('"edges"');
    const seen: string[] = [];
    async function* body() {
      for (let i = 0; i < bytes.length; i += 20) {
        seen.push(i < edgesAt + 20 ? 'spine' : 'edges');
        yield bytes.slice(i, i + 20);
      }
    }
    let release: (() => void) | undefined;
    const rest = readPageStream(body(), {
      chunk: () => 2,
      edges: (edges) => {
        seen.push(`chunk of ${edges.length}`);
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
      pageInfo: () => seen.push('pageInfo'),
    });
    while (!release) await new Promise((resolve) => setImmediate(resolve));
    const pulled = seen.length;
    // The writer has not taken its chunk: nothing more is read.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(seen.length).toBe(pulled);
    expect(seen.indexOf('pageInfo')).toBeLessThan(seen.indexOf('edges'));
    for (let handed = 1; handed < 3; handed++) {
      const r = release;
      release = undefined;
      r();
      while (!release) await new Promise((resolve) => setImmediate(resolve));
    }
    release();
    await rest;
    expect(seen.filter((s) => s.startsWith('chunk'))).toEqual(['chunk of 2', 'chunk of 2', 'chunk of 2']);
  });
});
