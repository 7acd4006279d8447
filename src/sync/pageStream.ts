import { UnexpectedResponseError } from '../sdk/index.js';
import { Utf8Pieces } from './utf8Pieces.js';

/**
 * Reads a Gateway `endpoints` answer (`{"data":{"endpoints":{…,"edges":[…]}}}`) as it arrives and hands
 * its edges on in chunks, so that a page of thousands of endpoints never sits parsed in memory at once:
 * memory follows the chunk, not the page (docs/sync.md, "Streamed pages"). Only the spine of the answer
 * is scanned here; every edge, and every other member (`pageInfo`, `totalRecords`, `errors`), is parsed
 * by `JSON.parse` from its own slice of the text. In a compact answer (what the Gateway writes) an edge
 * is not even scanned: it is cut at the separator before the next edge (see `SEPARATOR`). Edges after
 * an `errors` member are not handed on, so an answer that puts `errors` first (graphql-js, the
 * emulator) fails as a whole, as an unstreamed one does; chunks handed on before a late `errors` member
 * are already written (docs/sync.md, "Limits").
 */
export interface PageStreamSink {
  /** Edges per chunk (read when a chunk is due); Infinity keeps every edge for the answer. */
  chunk: () => number;
  /** A chunk of edges; the next is parsed only once this resolves (the writer's backpressure). */
  edges: (edges: unknown[]) => Promise<void>;
  /** `endpoints.pageInfo`, as soon as it is read (before the edges when the server keeps query order). */
  pageInfo?: (pageInfo: unknown) => void;
}

/** The answer without the edges already handed on (the rest are its `edges`). */
export async function readPageStream(
  body: AsyncIterable<Uint8Array>,
  sink: PageStreamSink,
): Promise<unknown> {
  const scanner = new SpineScanner(sink.pageInfo);
  const decoder = new Utf8Pieces();
  for await (const bytes of body) {
    scanner.push(decoder.decode(bytes));
    await handOn(scanner, sink);
  }
  // The last edge is cut only now (nothing follows it to cut at): its chunk is handed on like the others.
  scanner.push(decoder.end(), true);
  await handOn(scanner, sink);
  return scanner.end();
}

/** Every chunk of edges that is ready, one at a time. */
async function handOn(scanner: SpineScanner, sink: PageStreamSink): Promise<void> {
  for (let n = sink.chunk(); scanner.ready(n); n = sink.chunk()) await sink.edges(scanner.take(n));
}

function invalid(why: string): UnexpectedResponseError {
  return new UnexpectedResponseError(`Gateway answer is not valid JSON (${why}).`, { kind: 'invalid-json' });
}

type Expect = 'key' | 'colon' | 'value' | 'next';
/** Levels of the spine: the answer, `data`, `data.endpoints`, `data.endpoints.edges`. */
interface Frame {
  level: 0 | 1 | 2 | 3;
  expect: Expect;
  key: string;
  into: Record<string, unknown>;
  /** A comma was the last token: a closing `}` or `]` now is a trailing comma, which JSON refuses. */
  comma?: boolean;
}
const DESCEND = ['data', 'endpoints', 'edges'] as const;

/** JSON's four whitespace characters (RFC 8259, section 2). */
function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** How a compact edge begins: the query asks for `edges { node { … } }`, nothing else per edge. */
const EDGE_START = '{"node":';
/**
 * What a compact answer has between two edges. Only a candidate: the same text may sit deeper inside
 * an edge (a `node` key in a list of objects; inside a string it cannot, its `"` would be escaped).
 * A cut there leaves the edge's own `{` unclosed, so `JSON.parse` of the slice refuses it, and only a
 * slice that parses is taken as an edge; any other case is left to the exact scan.
 */
const SEPARATOR = `},${EDGE_START}`;
/**
 * What the separator is searched for by: V8's `indexOf` has a fast path for patterns of up to six
 * characters, which found the separators of a Gateway answer 10-25 times faster than the whole
 * separator (ten characters: a Boyer-Moore-Horspool search) in Node 20; the rest is compared after.
 */
const SEPARATOR_KEY = SEPARATOR.slice(0, 6);
/**
 * The most text a cut edge may span: the last edge of a page has no separator after it, so it waits
 * for the answer's end, and this bounds what an unusual answer (a huge edge, a large member after
 * `edges`, a separator far away) can make it hold, or parse in vain.
 */
const CUT_LIMIT = 1 << 20;
/**
 * Cuts refused before an answer is scanned exactly to its end: an answer whose edges hold the separator
 * deeper would otherwise parse each edge twice. An answer with no separator in a mebibyte is scanned
 * exactly at once.
 */
const REFUSALS_LIMIT = 8;
/** `JSON.parse` refused the text. */
const REFUSED = Symbol('refused');

/** The spine of the answer; edges are parsed one by one as their text completes. */
class SpineScanner {
  #text = '';
  #pos = 0;
  readonly #root: Record<string, unknown> = {};
  #frames: Frame[] = [];
  #started = false;
  #ended = false;
  #edges: unknown[] = [];
  #erred = false;
  /** An edge whose text is incomplete: where its scan stopped. */
  #partial: { start: number; at: number; depth: number; inString: boolean } | undefined;
  /** Where the search for the separator after the edge at `#pos` goes on (0: from the edge's start). */
  #searched = 0;
  /** The whole answer has arrived: nothing is waited for any more. */
  #final = false;
  /** Cuts that `JSON.parse` refused (see `REFUSALS_LIMIT`). */
  #refusals = 0;

  constructor(private readonly onPageInfo?: (pageInfo: unknown) => void) {}

  /** The next text of the answer (`final` with its last). */
  push(text: string, final = false): void {
    this.#final = final;
    // The text read is dropped first, so the one copy that joining makes (the first search or
    // charCodeAt flattens the joined string) is of the unread tail and the new text only.
    if (this.#pos > 0) {
      this.#text = this.#text.slice(this.#pos);
      if (this.#partial) {
        this.#partial.start -= this.#pos;
        this.#partial.at -= this.#pos;
      }
      this.#searched = Math.max(0, this.#searched - this.#pos);
      this.#pos = 0;
    }
    this.#text += text;
    this.#scan();
  }

  ready(n: number): boolean {
    return !this.#erred && this.#edges.length >= n;
  }

  take(n: number): unknown[] {
    return this.#edges.splice(0, n);
  }

  end(): unknown {
    this.#skipWs();
    if (!this.#ended || this.#pos < this.#text.length) throw invalid('the answer ended early or goes on');
    const data = this.#root['data'] as Record<string, unknown> | null | undefined;
    const endpoints = data?.['endpoints'] as Record<string, unknown> | null | undefined;
    if (endpoints && typeof endpoints === 'object' && !this.#erred) endpoints['edges'] = this.#edges;
    return this.#root;
  }

  #skipWs(): void {
    const t = this.#text;
    while (this.#pos < t.length && isWs(t.charCodeAt(this.#pos))) this.#pos++;
  }

  /** Advances as far as the text allows. */
  #scan(): void {
    for (;;) {
      this.#skipWs();
      if (this.#pos >= this.#text.length) return;
      if (!this.#started) {
        if (this.#text[this.#pos] !== '{') throw invalid('not an object');
        this.#pos++;
        this.#started = true;
        this.#frames.push({ level: 0, expect: 'key', key: '', into: this.#root });
        continue;
      }
      const frame = this.#frames.at(-1);
      if (!frame) throw invalid('text after the answer');
      if (!this.#step(frame)) return;
    }
  }

  /** One token of the spine; false when the text stops inside it. */
  #step(f: Frame): boolean {
    const c = this.#text[this.#pos];
    if (f.expect === 'next') {
      if (c === ',') {
        f.expect = f.level === 3 ? 'value' : 'key';
        f.comma = true;
      } else if (c === (f.level === 3 ? ']' : '}')) this.#close();
      else throw invalid(`unexpected ${c}`);
      this.#pos++;
      return true;
    }
    if (f.expect === 'key') {
      if (c === '}') {
        if (f.comma) throw invalid('a trailing comma');
        this.#close();
        this.#pos++;
        return true;
      }
      const end = stringEnd(this.#text, this.#pos);
      if (end < 0) return false;
      f.key = JSON.parse(this.#text.slice(this.#pos, end)) as string;
      f.comma = false;
      this.#pos = end;
      f.expect = 'colon';
      return true;
    }
    if (f.expect === 'colon') {
      if (c !== ':') throw invalid(`expected : not ${c}`);
      this.#pos++;
      f.expect = 'value';
      return true;
    }
    if (f.level === 3) return this.#edge(f, c);
    return this.#member(f, c);
  }

  #member(f: Frame, c: string | undefined): boolean {
    const opens = f.level === 2 ? '[' : '{';
    if (f.key === DESCEND[f.level as 0 | 1 | 2] && c === opens) {
      const into: Record<string, unknown> = {};
      if (f.level < 2) f.into[f.key] = into;
      f.expect = 'next';
      this.#frames.push({
        level: (f.level + 1) as Frame['level'],
        expect: f.level === 2 ? 'value' : 'key',
        key: '',
        into,
      });
      this.#pos++;
      return true;
    }
    const end = valueEnd(this.#text, this.#pos);
    if (end < 0) return false;
    const value = parse(this.#text.slice(this.#pos, end));
    this.#pos = end;
    f.into[f.key] = value;
    f.expect = 'next';
    // As graphqlMessages reads an answer: only a non-empty list is an error (`"errors": []` is none).
    if (f.level === 0 && f.key === 'errors' && Array.isArray(value) && value.length > 0) this.#erred = true;
    if (f.level === 2 && f.key === 'pageInfo') this.onPageInfo?.(value);
    return true;
  }

  #edge(f: Frame, c: string | undefined): boolean {
    if (c === ']' && !this.#partial) {
      if (f.comma) throw invalid('a trailing comma');
      this.#close();
      this.#pos++;
      return true;
    }
    if (!this.#partial && c === '{' && !this.#erred && this.#refusals < REFUSALS_LIMIT) {
      const cut = this.#cut(f);
      if (cut !== undefined) return cut;
    }
    const p = this.#partial ?? { start: this.#pos, at: this.#pos, depth: 0, inString: false };
    const end = scanValue(this.#text, p);
    if (end < 0) {
      this.#partial = p;
      return false;
    }
    this.#partial = undefined;
    f.comma = false;
    if (!this.#erred) this.#edges.push(parse(this.#text.slice(p.start, end)));
    this.#pos = end;
    f.expect = 'next';
    return true;
  }

  /**
   * A compact edge cut at the separator after it, unscanned: true when it is taken, false when its end
   * is waited for, undefined when the exact scan is to read it (not compact, a separator deeper in the
   * edge, invalid JSON, the last edge of the answer, or a wait too long).
   */
  #cut(f: Frame): boolean | undefined {
    const t = this.#text;
    const from = this.#pos;
    if (t.length - from < EDGE_START.length && !this.#final) return false;
    if (!t.startsWith(EDGE_START, from)) return undefined;
    const sep = separatorAt(t, Math.max(this.#searched, from));
    if (sep < 0) {
      if (this.#final) return this.#uncut();
      // A mebibyte without a separator: the edges are separated some other way (`}, {"node":`, one per
      // line); searching again from every edge would scan the same text once per edge.
      if (t.length - from > CUT_LIMIT) return this.#stopCutting();
      // A separator split across texts is found again from here.
      this.#searched = Math.max(from, t.length - SEPARATOR.length + 1);
      return false;
    }
    if (sep - from > CUT_LIMIT) return this.#stopCutting();
    const edge = attempt(t.slice(from, sep + 1));
    if (edge === REFUSED) {
      this.#refusals++;
      return this.#uncut();
    }
    this.#searched = 0;
    f.comma = false;
    this.#edges.push(edge);
    this.#pos = sep + 1;
    f.expect = 'next';
    return true;
  }

  #uncut(): undefined {
    this.#searched = 0;
    return undefined;
  }

  /** The rest of the answer is scanned exactly. */
  #stopCutting(): undefined {
    this.#refusals = REFUSALS_LIMIT;
    return this.#uncut();
  }

  #close(): void {
    this.#frames.pop();
    if (this.#frames.length === 0) this.#ended = true;
  }
}

/** The first separator at or after `from`, or -1 when none has arrived whole. */
function separatorAt(text: string, from: number): number {
  for (let i = text.indexOf(SEPARATOR_KEY, from); i >= 0; i = text.indexOf(SEPARATOR_KEY, i + 1)) {
    if (text.startsWith(SEPARATOR, i)) return i;
  }
  return -1;
}

function parse(text: string): unknown {
  const value = attempt(text);
  if (value === REFUSED) throw invalid('a member does not parse');
  return value;
}

function attempt(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return REFUSED;
  }
}

/** The index after the string starting at `from` (a quote), or -1 when it is incomplete. */
function stringEnd(text: string, from: number): number {
  if (text[from] !== '"') throw invalid(`expected a string at ${text[from]}`);
  return closingQuote(text, from + 1);
}

/** The index after the first unescaped quote at or after `from`, or -1 when none has arrived. */
function closingQuote(text: string, from: number): number {
  let i = from;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) return -1;
    let slashes = 0;
    while (text.charCodeAt(q - 1 - slashes) === 0x5c) slashes++;
    if (slashes % 2 === 0) return q + 1;
    i = q + 1;
  }
}

/** The index after the (small) value at `from`, or -1 when it is incomplete. */
function valueEnd(text: string, from: number): number {
  return scanValue(text, { start: from, at: from, depth: 0, inString: false });
}

/**
 * Scans a value from `p.at`, keeping where it stopped in `p` (so a long edge is scanned once however
 * many chunks it spans); answers the index after the value, or -1 when the text ends first.
 */
function scanValue(text: string, p: { start: number; at: number; depth: number; inString: boolean }): number {
  let i = p.at;
  const first = text.charCodeAt(p.start);
  // A number, true, false or null ends at a delimiter, which must have arrived.
  if (first !== 0x7b && first !== 0x5b && first !== 0x22) {
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x2c || c === 0x7d || c === 0x5d || isWs(c)) return i;
    }
    p.at = i;
    return -1;
  }
  while (i < text.length) {
    if (p.inString) {
      const end = closingQuote(text, i);
      if (end < 0) {
        p.at = text.length;
        return -1;
      }
      p.inString = false;
      i = end;
      if (p.depth === 0) return i;
      continue;
    }
    const c = text.charCodeAt(i);
    i++;
    if (c === 0x22) p.inString = true;
    else if (c === 0x7b || c === 0x5b) p.depth++;
    else if ((c === 0x7d || c === 0x5d) && --p.depth === 0) return i;
  }
  p.at = i;
  return -1;
}
