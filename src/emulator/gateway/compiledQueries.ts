import {
  astFromValue,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  getVariableValues,
  isInputObjectType,
  Kind,
  type OperationDefinitionNode,
  typeFromAST,
  visit,
} from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';

/** Compiled documents kept at once; clients repeat the same few queries page after page. */
const MAX_CACHED = 256;

export interface PreparedQuery {
  compiled: CompiledQuery;
  variables: Record<string, unknown>;
}

/**
 * Gateway documents compiled to JavaScript with graphql-jit, which serves large endpoint pages
 * several times faster than the graphql-js interpreter, cached by query text and operation name.
 *
 * graphql-jit cannot compile variables of recursive input types (`EndpointFieldFilter` holds a
 * list of itself; graphql-jit issue 81), so such variables are coerced by graphql-js and written
 * into the document as literals first; a sync's pages share one filter, so the cache still hits.
 */
export class CompiledQueries {
  readonly #cache = new Map<string, CompiledQuery>();
  readonly #recursive: ReadonlySet<string>;

  constructor(private readonly schema: GraphQLSchema) {
    this.#recursive = recursiveInputTypes(schema);
  }

  prepare(
    text: string,
    operationName: string | undefined,
    document: DocumentNode,
    inputs: Record<string, unknown>,
  ): PreparedQuery | ExecutionResult {
    const operation = findOperation(document, operationName);
    const inlined = (operation?.variableDefinitions ?? []).filter((def) =>
      this.#recursive.has(namedTypeOf(def.type)),
    );
    if (!operation || inlined.length === 0) {
      const compiled = this.#compile(`${operationName ?? ''}\u0000${text}`, () => document, operationName);
      return isCompiledQuery(compiled) ? { compiled, variables: inputs } : compiled;
    }
    const coerced = getVariableValues(this.schema, operation.variableDefinitions ?? [], inputs, {
      maxErrors: 10,
    });
    if (coerced.errors) return { errors: coerced.errors };
    const names = new Set(inlined.map((def) => def.variable.name.value));
    const values = Object.fromEntries([...names].map((name) => [name, coerced.coerced[name]]));
    const key = `${operationName ?? ''}\u0000${text}\u0000${JSON.stringify(values)}`;
    const compiled = this.#compile(
      key,
      () => inlineVariables(this.schema, document, operation, names, values),
      operationName,
    );
    if (!isCompiledQuery(compiled)) return compiled;
    const rest = Object.fromEntries(Object.entries(inputs).filter(([name]) => !names.has(name)));
    return { compiled, variables: rest };
  }

  #compile(
    key: string,
    document: () => DocumentNode,
    operationName: string | undefined,
  ): CompiledQuery | ExecutionResult {
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const compiled = compileQuery(this.schema, document(), operationName);
    if (!isCompiledQuery(compiled)) return compiled;
    if (this.#cache.size >= MAX_CACHED) this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.set(key, compiled);
    return compiled;
  }
}

/** The operation a request runs: the one named, or the only one. */
export function findOperation(
  document: DocumentNode,
  name: string | undefined,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return name === undefined
    ? operations.length === 1
      ? operations[0]
      : undefined
    : operations.find((o) => o.name?.value === name);
}

function namedTypeOf(type: { kind: Kind; type?: unknown; name?: { value: string } }): string {
  let current = type;
  while (current.kind !== Kind.NAMED_TYPE) current = current.type as typeof type;
  return current.name?.value ?? '';
}

/** Replaces the named variables with literals of their coerced values and drops their definitions. */
function inlineVariables(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  names: ReadonlySet<string>,
  values: Record<string, unknown>,
): DocumentNode {
  const types = new Map(
    (operation.variableDefinitions ?? [])
      .filter((def) => names.has(def.variable.name.value))
      .map((def) => [def.variable.name.value, typeFromAST(schema, def.type as never) as GraphQLInputType]),
  );
  return visit(document, {
    VariableDefinition: (node) => (names.has(node.variable.name.value) ? null : undefined),
    Variable: (node) => {
      const name = node.name.value;
      if (!names.has(name)) return undefined;
      return astFromValue(values[name] ?? null, types.get(name)!) ?? { kind: Kind.NULL };
    },
  });
}

/** Input object types that can contain themselves, directly or through other input types. */
function recursiveInputTypes(schema: GraphQLSchema): Set<string> {
  const recursive = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isInputObjectType(type) || type.name.startsWith('__')) continue;
    const seen = new Set<string>();
    const stack = Object.values(type.getFields()).map((f) => getNamedType(f.type));
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (!isInputObjectType(next) || seen.has(next.name)) continue;
      if (next.name === type.name) {
        recursive.add(type.name);
        break;
      }
      seen.add(next.name);
      for (const field of Object.values(next.getFields())) stack.push(getNamedType(field.type));
    }
  }
  return recursive;
}
