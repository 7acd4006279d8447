import { type DocumentNode, type FieldNode, Kind, type SelectionNode } from 'graphql';
import { findOperation } from './compiledQueries.js';

/** Where the edges sit in the answer of an operation that may be answered in slices. */
export interface SlicedPlan {
  /** The response key of the one root field (`endpoints`, or its alias). */
  rootKey: string;
  /** The response keys of its `edges` fields (usually just `edges`). */
  edgeKeys: ReadonlySet<string>;
}

/**
 * The plan of an operation that can be answered in slices (gateway/slicedExecution.ts): a query whose
 * only root selection is an `endpoints` field, selecting its connection's fields directly (no
 * fragments, no directives), so that the edges' place in the answer is known from the document alone.
 * Anything else is answered in one piece.
 */
export function slicedPlan(
  document: DocumentNode,
  operationName: string | undefined,
): SlicedPlan | undefined {
  const operation = findOperation(document, operationName);
  if (operation?.operation !== 'query') return undefined;
  const roots = operation.selectionSet.selections;
  if (roots.length !== 1 || !isPlainField(roots[0]!)) return undefined;
  const root = roots[0];
  if (root.name.value !== 'endpoints' || !root.selectionSet) return undefined;
  const fields = root.selectionSet.selections;
  if (!fields.every(isPlainField)) return undefined;
  const edgeKeys = new Set(fields.filter((f) => f.name.value === 'edges').map(responseKey));
  if (edgeKeys.size === 0) return undefined;
  return { rootKey: responseKey(root), edgeKeys };
}

function isPlainField(selection: SelectionNode): selection is FieldNode {
  return selection.kind === Kind.FIELD && !selection.directives?.length;
}

const responseKey = (field: FieldNode) => field.alias?.value ?? field.name.value;
