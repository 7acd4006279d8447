import { type FieldNode, Kind, type OperationDefinitionNode, parse, type ValueNode } from 'graphql';

/** What fault rules need to know about a Gateway request. */
export interface GatewayRequestInfo {
  /** The operation's name (if any) and the names of its root fields, e.g. `apiTokenRotate`. */
  names: Set<string>;
  /** Whether a root field is given a non-empty `after` or `before` cursor (literal or variable). */
  presentsCursor: boolean;
}

/**
 * Reads the operation a Gateway body would run (`operationName`, else the first operation), the way
 * the Gateway route will. A body that does not parse gives undefined: no `operation` rule matches it.
 */
export function gatewayRequestInfo(body: unknown): GatewayRequestInfo | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { query, operationName, variables } = body as Record<string, unknown>;
  if (typeof query !== 'string') return undefined;
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(query).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
  } catch {
    return undefined;
  }
  const operation =
    typeof operationName === 'string'
      ? operations.find((o) => o.name?.value === operationName)
      : operations[0];
  if (!operation) return undefined;
  const vars =
    typeof variables === 'object' && variables !== null ? (variables as Record<string, unknown>) : {};
  const fields = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  const names = new Set(fields.map((f) => f.name.value));
  if (operation.name) names.add(operation.name.value);
  const presentsCursor = fields.some((field) =>
    (field.arguments ?? []).some(
      (arg) => (arg.name.value === 'after' || arg.name.value === 'before') && isCursor(arg.value, vars),
    ),
  );
  return { names, presentsCursor };
}

function isCursor(value: ValueNode, variables: Record<string, unknown>): boolean {
  if (value.kind === Kind.STRING) return value.value !== '';
  if (value.kind === Kind.VARIABLE) {
    const bound = variables[value.name.value];
    return typeof bound === 'string' && bound !== '';
  }
  return false;
}
