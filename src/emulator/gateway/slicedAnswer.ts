import { Readable } from 'node:stream';
import type { SlicedResult } from './slicedExecution.js';

/**
 * The bytes `JSON.stringify({ errors, data })` gives for a sliced answer (errors only when there are
 * some, as the Gateway route answers), as a stream: each read stringifies one window's edges, so the
 * socket drains between slices and no string of the whole page is ever built.
 */
export function slicedAnswer(result: SlicedResult): Readable {
  const chunks = answerChunks(result);
  return new Readable({
    read() {
      const next = chunks.next();
      this.push(next.done ? null : next.value);
    },
  });
}

function* answerChunks({ plan, errors, windows }: SlicedResult): Generator<string> {
  const head = errors.length > 0 ? `{"errors":${JSON.stringify(errors)},` : '{';
  const connection = windows[0]![plan.rootKey] as Record<string, unknown>;
  let text = `${head}"data":{${JSON.stringify(plan.rootKey)}:{`;
  let first = true;
  for (const [key, value] of Object.entries(connection)) {
    // JSON.stringify leaves out keys whose value it cannot write.
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    text += `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    if (!plan.edgeKeys.has(key)) {
      text += JSON.stringify(value);
      continue;
    }
    yield `${text}[`;
    text = '';
    let written = false;
    for (const window of windows) {
      const edges = (window[plan.rootKey] as Record<string, unknown[]>)[key]!;
      if (edges.length === 0) continue;
      const items = JSON.stringify(edges);
      yield `${written ? ',' : ''}${items.slice(1, -1)}`;
      written = true;
    }
    text = ']';
  }
  yield `${text}}}}`;
}
