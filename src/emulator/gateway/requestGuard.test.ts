import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { measureDocument } from './documentMeasure.js';
import { pageItems } from './pageTerms.js';
import { DEFAULT_GATEWAY_LIMITS, resolveGatewayLimits } from './queryLimits.js';
import { checkBeforeParse, checkPages, checkParsed, checkVariables, jsonNesting } from './requestGuard.js';
import { textNesting } from './textNesting.js';

const PAGE_DEFAULTS = new Map([
  ['endpoints', 20],
  ['sensors', 2000],
  ['computerGroups', 20],
]);

describe('textNesting (before parsing)', () => {
  it('tells selection sets from object values and ignores brackets in strings and comments', () => {
    const text = `query ($f: EndpointFieldFilter = {filters: [{path: "name", value: "{{{"}]}) {
      # { [ ( not counted
      endpoints(filter: $f) { edges { node { ... on Endpoint { name } } } }
      now @include(if: true)
    }
    fragment F on Query { now description: """ {{ [[ """ }`;
    expect(textNesting(text)).toEqual({ selections: 5, values: 3 });
  });

  it('measures thousands of levels without recursing, and stops quietly at a lexical error', () => {
    expect(textNesting(`${'{ a '.repeat(50_000)}${'}'.repeat(50_000)}`).selections).toBe(50_000);
    expect(textNesting(`{ endpoints(filter: ${'['.repeat(20_000)}`).values).toBe(20_000);
    expect(textNesting('{ a { b } } "unterminated')).toEqual({ selections: 2, values: 0 });
  });
});

describe('measureDocument (after parsing, fragments expanded)', () => {
  it('counts depth, aliases and fields through inline and named fragments', () => {
    const measure = measureDocument(
      parse(`{ a: endpoints { edges { node { ...N } } } b: now }
        fragment N on Endpoint { id os { name } ... on Endpoint { x: name } }`),
      PAGE_DEFAULTS,
    );
    expect(measure).toMatchObject({ depth: 5, aliases: 3, fields: 8 });
    expect(pageItems(measure.operationPages[0]!, {})).toBe(20);
  });

  it('measures an exponential fragment fan-out in linear time', () => {
    const levels = 40;
    const fragments = Array.from(
      { length: levels },
      (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
    ).join('\n');
    const measure = measureDocument(parse(`{ ...F0 } ${fragments} fragment F${levels} on Query { x: now }`));
    expect(measure.fields).toBe(2 ** levels);
    expect(measure.aliases).toBe(2 ** levels);
    expect(measure.depth).toBe(1);
  });

  it('handles long spread chains and cycles without recursing along them (validation reports cycles)', () => {
    const chain = Array.from({ length: 5_000 }, (_, i) => `fragment C${i} on Query { ...C${i + 1} }`).join(
      ' ',
    );
    expect(measureDocument(parse(`{ ...C0 } ${chain} fragment C5000 on Query { now }`)).fields).toBe(1);
    expect(
      measureDocument(parse('{ ...A now } fragment A on Query { ...B } fragment B on Query { ...A }')).fields,
    ).toBe(1);
  });

  it('sums connection pages over aliases, with variables and field defaults', () => {
    const measure = measureDocument(
      parse(`query ($n: Int) { a: endpoints(first: 5000) { totalRecords } b: endpoints(first: $n) { totalRecords }
        c: endpoints { totalRecords } sensors { totalRecords } now }`),
      PAGE_DEFAULTS,
    );
    const pages = measure.operationPages[0]!;
    expect(pageItems(pages, { n: 100 })).toBe(5000 + 100 + 20 + 2000);
    expect(pageItems(pages, {})).toBe(5000 + 20 + 20 + 2000);
    expect(pageItems(pages, { n: 'lots' })).toBe(5000 + 20 + 20 + 2000);
  });
});

describe('limit errors', () => {
  const limits = resolveGatewayLimits({
    maxDocumentBytes: 100,
    maxDepth: 3,
    maxAliases: 2,
    maxFields: 4,
    maxPageItems: 50,
  });

  it.each([
    [
      'QUERY_TOO_LARGE',
      () => checkBeforeParse(`{ ${'now '.repeat(30)}}`, limits),
      /is 123 bytes; the Gateway accepts at most 100\./,
    ],
    [
      'QUERY_TOO_DEEP',
      () => checkBeforeParse('{ a { b { c { d } } } }', limits),
      /nests selections 4 levels deep; the Gateway allows at most 3\./,
    ],
    [
      'VALUE_TOO_DEEP',
      () => checkBeforeParse('{ a(x: [[[[1]]]]) }', limits),
      /nests 4 levels deep; the Gateway allows at most 3\./,
    ],
    [
      'VALUE_TOO_DEEP',
      () => checkVariables({ f: { filters: [{ filters: [] }] } }, limits),
      /nests 4 levels deep/,
    ],
    [
      'TOO_MANY_ALIASES',
      () => error(checkParsed(parse('{ a: now b: now c: now }'), limits, PAGE_DEFAULTS)),
      /has 3 aliases; the Gateway allows at most 2\./,
    ],
    [
      'TOO_MANY_FIELDS',
      () =>
        error(checkParsed(parse('{ ...F ...F } fragment F on Query { now ping x }'), limits, PAGE_DEFAULTS)),
      /selects 6 fields \(fragments expanded\); the Gateway allows at most 4\./,
    ],
    [
      'TOO_MANY_ITEMS',
      () =>
        checkPages(pagesOf('{ a: endpoints(first: 30) { x } b: endpoints(first: 30) { x } }'), {}, limits),
      /asks for 60 connection items .*at most 50\./,
    ],
  ])('%s names what was found, the limit and what to do', (code, check, message) => {
    const found = check();
    expect(found?.message).toMatch(message);
    expect(found?.extensions).toMatchObject({ code });
  });

  function error(result: ReturnType<typeof checkParsed>) {
    return 'error' in result ? result.error : undefined;
  }

  function pagesOf(text: string) {
    return measureDocument(parse(text), PAGE_DEFAULTS).operationPages;
  }

  it('refuses a limit that is not a whole number of at least 1', () => {
    expect(() => resolveGatewayLimits({ maxDepth: 0 })).toThrow(
      /maxDepth must be a whole number of at least 1/,
    );
    expect(() => resolveGatewayLimits({ maxFields: 1.5 })).toThrow(RangeError);
    expect(resolveGatewayLimits({ maxAliases: 3 })).toEqual({ ...DEFAULT_GATEWAY_LIMITS, maxAliases: 3 });
  });

  it('measures JSON nesting without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(jsonNesting(deep)).toBe(100_000);
    expect(jsonNesting({ a: 1 })).toBe(1);
    expect(jsonNesting(null)).toBe(0);
  });
});
