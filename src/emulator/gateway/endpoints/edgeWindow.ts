/**
 * The window of edges one execution of a sliced `endpoints` answer returns (gateway/slicedExecution.ts).
 * The page itself is computed once per request, by the first execution, and kept here: every window
 * shares its collection, cursors and `pageInfo`, and a resolver error is the same error in each.
 */
export interface EdgeWindow {
  start: number;
  end: number;
  /** The page (or the error) the resolver computed for this request; set by the first execution. */
  outcome?: { page: { edges: readonly unknown[] } } | { error: unknown };
}

/** The page's edge count once the resolver has run and succeeded; undefined otherwise. */
export function windowEdgeCount(window: EdgeWindow): number | undefined {
  return window.outcome && 'page' in window.outcome ? window.outcome.page.edges.length : undefined;
}

/** The page `compute` gives, computed at most once per window, with only the window's edges. */
export function windowed<P extends { edges: readonly unknown[] }>(
  window: EdgeWindow | undefined,
  compute: () => P,
): P {
  if (!window) return compute();
  if (!window.outcome) {
    try {
      window.outcome = { page: compute() };
    } catch (error) {
      window.outcome = { error };
    }
  }
  if ('error' in window.outcome) throw window.outcome.error;
  const page = window.outcome.page as P;
  return { ...page, edges: page.edges.slice(window.start, window.end) };
}
