import AjvModule from 'ajv';
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';

/**
 * Request validation: bodies are checked exactly (no type coercion, unknown fields refused, nothing
 * silently removed), while path and query values, which arrive as text, are coerced to the declared
 * types. Fastify's default shares one coercing, field-removing Ajv for every part.
 */
const Ajv = AjvModule.default;
const common = {
  removeAdditional: false,
  useDefaults: true,
  allErrors: false,
  allowUnionTypes: true,
} as const;
const strict = new Ajv({ ...common, coerceTypes: false });
const coercing = new Ajv({ ...common, coerceTypes: 'array' });
for (const ajv of [strict, coercing]) ajv.addKeyword('example');

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? strict : coercing).compile(schema);

/** One readable line for the first schema error: which field, and what is wrong with it. */
export function describeSchemaErrors(errors: FastifySchemaValidationError[], where: string): string {
  const first = errors[0];
  if (!first) return `${where} is invalid`;
  const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const field = path === '' ? where : `${where} field "${path}"`;
  const params = first.params as Record<string, unknown>;
  if (first.keyword === 'additionalProperties')
    return `${where} has an unknown field "${path === '' ? '' : `${path}.`}${String(params['additionalProperty'])}"`;
  if (first.keyword === 'required') return `${where} needs the field "${String(params['missingProperty'])}"`;
  if (first.keyword === 'enum')
    return `${field} must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return `${field} ${first.message ?? 'is invalid'}`;
}
