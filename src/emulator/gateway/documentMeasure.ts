import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { addPages, fieldPages, noPages, type PageTerms } from './pageTerms.js';

/** What executing one operation would select, named fragments expanded. */
export interface Measure {
  /** Selection sets enclosing the deepest field (inline fragments count as a level). */
  depth: number;
  aliases: number;
  fields: number;
  /** Connection items asked for; the request's variables complete the sum. */
  pages: PageTerms;
}

/** The worst depth, aliases and fields over the operations, and each operation's pages. */
export interface DocumentMeasure {
  depth: number;
  aliases: number;
  fields: number;
  operationPages: PageTerms[];
}

const zero = (): Measure => ({ depth: 0, aliases: 0, fields: 0, pages: noPages() });

/** Connection fields by name and their default page size (`endpoints` 20, `sensors` 2,000). */
export type PageDefaults = ReadonlyMap<string, number>;

/**
 * The largest depth, alias count and field count over the document's operations, fragments expanded
 * as execution would expand them. A fragment is measured once and reused, so a document that spreads
 * fragments exponentially (`...A` twice in B, B twice in C…) is measured in linear time; its counts
 * simply become very large. Fragments are measured in dependency order without recursing along spread
 * chains; a cycle or an unknown fragment counts as nothing here, and validation then reports it.
 */
export function measureDocument(document: DocumentNode, defaults: PageDefaults = new Map()): DocumentMeasure {
  const fragments = fragmentMeasures(document, defaults);
  const worst: DocumentMeasure = { depth: 0, aliases: 0, fields: 0, operationPages: [] };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const measure = measureSet((definition as OperationDefinitionNode).selectionSet, fragments, defaults);
    worst.depth = Math.max(worst.depth, measure.depth);
    worst.aliases = Math.max(worst.aliases, measure.aliases);
    worst.fields = Math.max(worst.fields, measure.fields);
    worst.operationPages.push(measure.pages);
  }
  return worst;
}

/** One selection set. Recursion follows `{ … }` nesting only, which the text scan has bounded. */
function measureSet(
  set: SelectionSetNode,
  fragments: ReadonlyMap<string, Measure>,
  defaults: PageDefaults,
): Measure {
  const total = zero();
  let below = 0;
  const add = (inner: Measure, levels: number) => {
    below = Math.max(below, levels);
    total.aliases += inner.aliases;
    total.fields += inner.fields;
    addPages(total.pages, inner.pages);
  };
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      total.fields += 1;
      if (selection.alias) total.aliases += 1;
      addPages(total.pages, fieldPages(selection, defaults));
      if (selection.selectionSet) {
        const inner = measureSet(selection.selectionSet, fragments, defaults);
        add(inner, inner.depth);
      }
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const inner = measureSet(selection.selectionSet, fragments, defaults);
      add(inner, inner.depth);
    } else {
      // A named fragment's fields join this selection set: its top level is this level.
      const inner = fragments.get(selection.name.value) ?? zero();
      add(inner, inner.depth - 1);
    }
  }
  total.depth = 1 + below;
  return total;
}

/** Every fragment's measure, computed after the fragments it spreads (Kahn's algorithm). */
function fragmentMeasures(document: DocumentNode, defaults: PageDefaults): Map<string, Measure> {
  const definitions = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) definitions.set(definition.name.value, definition);
  }
  const spreads = new Map<string, Set<string>>();
  const spreadBy = new Map<string, string[]>();
  for (const [name, definition] of definitions) {
    const used = new Set([...spreadNames(definition.selectionSet)].filter((n) => definitions.has(n)));
    spreads.set(name, used);
    for (const dependency of used) {
      const dependents = spreadBy.get(dependency);
      if (dependents) dependents.push(name);
      else spreadBy.set(dependency, [name]);
    }
  }
  const measures = new Map<string, Measure>();
  const ready = [...definitions.keys()].filter((name) => spreads.get(name)!.size === 0);
  const waiting = new Map([...spreads].map(([name, used]) => [name, used.size]));
  while (ready.length > 0) {
    const name = ready.pop()!;
    measures.set(name, measureSet(definitions.get(name)!.selectionSet, measures, defaults));
    for (const dependent of spreadBy.get(name) ?? []) {
      const left = waiting.get(dependent)! - 1;
      waiting.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  return measures;
}

/** Names of the fragments spread anywhere in a selection set (iterative walk). */
function spreadNames(root: SelectionSetNode): Set<string> {
  const names = new Set<string>();
  const pending: SelectionSetNode[] = [root];
  while (pending.length > 0) {
    for (const selection of pending.pop()!.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) names.add(selection.name.value);
      else if (selection.selectionSet) pending.push(selection.selectionSet);
    }
  }
  return names;
}
