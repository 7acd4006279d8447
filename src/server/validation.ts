import AjvModule from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * Request validation: bodies are checked exactly (no type coercion, unknown fields refused, nothing
 * silently removed), while path and query values, which arrive as text, are coerced to the declared
 * types. Fastify's default shares one coercing, field-removing Ajv for every part.
 */
const Ajv = AjvModule.default;
const strict = new Ajv({ coerceTypes: false, removeAdditional: false, useDefaults: true, allErrors: false });
const coercing = new Ajv({
  coerceTypes: 'array',
  removeAdditional: false,
  useDefaults: true,
  allErrors: false,
});
for (const ajv of [strict, coercing]) ajv.addKeyword('example');

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? strict : coercing).compile(schema);
