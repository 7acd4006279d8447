/**
 * Is a GraphQL document safe to repeat? Only queries are; mutations (token rotation, deployments)
 * and subscriptions never are. Parsed with graphql-js so comments, fragments and aliases cannot
 * fool a text match; a document that does not parse is treated as unsafe.
 */
import { Kind, parse } from 'graphql';

export type OperationType = 'query' | 'mutation' | 'subscription' | 'unknown';

/** The type of the operation that will run (by `operationName`, else the only one, else the most dangerous). */
export function operationType(document: string, operationName?: string): OperationType {
  let ops: { type: OperationType; name: string | undefined }[];
  try {
    ops = parse(document)
      .definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION)
      .map((d) => ({ type: d.operation as OperationType, name: d.name?.value }));
  } catch {
    return 'unknown';
  }
  if (operationName !== undefined) return ops.find((o) => o.name === operationName)?.type ?? 'unknown';
  if (ops.length === 1) return ops[0]!.type;
  // Several operations and no name: the server will refuse, but stay conservative.
  if (ops.some((o) => o.type !== 'query') || ops.length === 0) return 'unknown';
  return 'query';
}

export function isSafeToRetry(document: string, operationName?: string): boolean {
  return operationType(document, operationName) === 'query';
}
