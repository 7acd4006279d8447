import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import type { CompiledQuery } from 'graphql-jit';
import type { EdgeWindow } from './endpoints/edgeWindow.js';
import { windowEdgeCount } from './endpoints/edgeWindow.js';
import type { GatewayContext } from './gatewayModule.js';
import type { SlicedPlan } from './slicedPlan.js';

/**
 * Edges per slice: about 25 ms of executing or stringifying 5,000 nodes with their findings, a
 * twentieth of such a page.
 */
export const DEFAULT_SLICE_EDGES = 250;

/**
 * How large `endpoints` answers are sliced. Read on every request, so that a test can compare the
 * sliced answer with the one-piece answer (`edges: 0`) on one emulator and one collection.
 */
export interface GatewaySlices {
  edges: number;
}

/** A large answer executed window by window: the errors of all windows, then each window's data. */
export interface SlicedResult {
  plan: SlicedPlan;
  /** every window's errors as JSON, edge indices counted from the page's first edge */
  errors: GraphQLFormattedError[];
  /** each window's `data`, in order; all but the edges are the same in each */
  windows: Record<string, unknown>[];
}

type ErrorJson = (error: unknown) => GraphQLFormattedError;

/**
 * Executes an `endpoints` query `sliceEdges` edges at a time, letting the event loop run between
 * windows, so that answers already being sent keep flowing while a 5,000-endpoint page is built (a
 * real Gateway builds one answer without stalling the sending of another). A page of one window, and
 * any answer whose windows would not join into what one execution gives (an error outside the edges,
 * or one that nulls the edges list), is executed in one piece: `whole` is then that execution's result.
 */
export async function executeInSlices(
  compiled: CompiledQuery,
  context: GatewayContext,
  variables: Record<string, unknown>,
  plan: SlicedPlan,
  sliceEdges: number,
  toJson: ErrorJson,
): Promise<{ whole: ExecutionResult } | { sliced: SlicedResult }> {
  const window: EdgeWindow = { start: 0, end: sliceEdges };
  const run = async () => compiled.query(undefined, { ...context, edgeWindow: window }, variables);
  const first = await run();
  const total = windowEdgeCount(window);
  if (total === undefined || total <= sliceEdges) return { whole: first };
  const results = [first];
  for (let start = sliceEdges; start < total; start += sliceEdges) {
    await nextMacrotask();
    window.start = start;
    window.end = start + sliceEdges;
    results.push(await run());
  }
  const sliced = join(results, plan, sliceEdges, toJson);
  if (sliced) return { sliced };
  window.start = 0;
  window.end = total;
  return { whole: await run() };
}

/** The windows' results as one answer, or undefined when they do not join exactly. */
function join(
  results: ExecutionResult[],
  plan: SlicedPlan,
  sliceEdges: number,
  toJson: ErrorJson,
): SlicedResult | undefined {
  const errors: GraphQLFormattedError[] = [];
  const windows: Record<string, unknown>[] = [];
  for (const [n, result] of results.entries()) {
    const connection = result.data?.[plan.rootKey] as Record<string, unknown> | null | undefined;
    if (!connection || ![...plan.edgeKeys].every((key) => Array.isArray(connection[key]))) return undefined;
    for (const error of result.errors ?? []) {
      const json = toJson(error);
      const path = json.path ?? [];
      const [root, key, index] = path;
      if (root !== plan.rootKey || !plan.edgeKeys.has(key as string) || typeof index !== 'number')
        return undefined;
      errors.push({ ...json, path: [root, key as string, index + n * sliceEdges, ...path.slice(3)] });
    }
    windows.push(result.data as Record<string, unknown>);
  }
  return { plan, errors, windows };
}
