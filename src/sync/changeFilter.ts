import type { StreamDefinition, StreamOptions } from '../streams/stream.js';

/** A Gateway `EndpointFieldFilter`, as the runner sends it. */
export type EndpointFilter = Record<string, unknown>;

/** Fields every pass selects that are not data: the key, and the check-in time that moves without data. */
const NOT_DATA = new Set(['id', 'eidLastSeen']);

/** The top-level fields of a GraphQL selection (`a b(x: 1) { c } d` → a, b with its body, d). */
export function topFields(selection: string): { name: string; body: string }[] {
  const out: { name: string; body: string }[] = [];
  const text = selection.trim();
  let k = 0;
  while (k < text.length) {
    const match = /^[\s,]*([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(k));
    if (!match) break;
    const name = match[1]!;
    k += match[0].length;
    k = skipGroup(text, k, '(', ')').end;
    const body = skipGroup(text, k, '{', '}');
    k = body.end;
    out.push({ name, body: body.inner });
  }
  return out;
}

/** Skips whitespace and one balanced group opening at `k` (arguments or a selection set), if any. */
function skipGroup(text: string, k: number, open: string, close: string): { end: number; inner: string } {
  let at = k;
  while (at < text.length && /\s/.test(text[at]!)) at++;
  if (text[at] !== open) return { end: k, inner: '' };
  let depth = 0;
  let quoted = false;
  for (let j = at; j < text.length; j++) {
    const ch = text[j]!;
    if (ch === '"' && text[j - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (ch === open) depth++;
    else if (ch === close && --depth === 0) return { end: j + 1, inner: text.slice(at + 1, j) };
  }
  return { end: text.length, inner: text.slice(at + 1) };
}

/**
 * The filter of an incremental pass: the endpoints with any field the streams read updated after `since`
 * (Tanium's `UPDATED_AFTER` operator, "the field value must have been updated after the given date and
 * time"), one clause per top-level field (`compliance` per finding list, `sensorReadings` per chosen
 * sensor), or first seen after it (joined). eidLastSeen is left out: it is updated by every check-in
 * and is not data (the check-in pass records it, src/sync/checkIns.ts). docs/sync.md, "Incremental".
 */
export function changeFilter(
  streams: readonly StreamDefinition[],
  options: StreamOptions,
  since: string,
): EndpointFilter {
  const paths = new Set<string>();
  const sensors = new Set<string>();
  for (const stream of streams)
    for (const field of topFields(stream.selection(options))) {
      if (NOT_DATA.has(field.name)) continue;
      if (field.name === 'sensorReadings') for (const name of options.sensors) sensors.add(name);
      else if (field.name === 'compliance' && field.body)
        for (const list of topFields(field.body)) paths.add(`compliance.${list.name}`);
      else paths.add(field.name);
    }
  const updated = (leaf: EndpointFilter) => ({ ...leaf, op: 'UPDATED_AFTER', value: since });
  return {
    any: true,
    filters: [
      { path: 'eidFirstSeen', op: 'GT', value: since },
      ...[...paths].map((path) => updated({ path })),
      ...[...sensors].map((name) => updated({ sensor: { name } })),
    ],
  };
}
