import AjvModule from 'ajv';

type Schema = { properties?: Record<string, unknown>; anyOf?: Schema[] };
type OpenApi = {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>
  >;
};

const ajv = new AjvModule.default({ allowUnionTypes: true, validateFormats: false, strict: false });

/**
 * Checks an answer against the served OpenAPI document's schema for that route and status: it fits,
 * and it has no field the (matching branch of the) schema leaves out, since fastify's serializer would
 * drop such a field. Returns what is wrong, or an empty list.
 */
export function documentedAnswerProblems(
  openapi: unknown,
  route: { path: string; method: 'get' | 'post' | 'delete'; status: number },
  answer: unknown,
): string[] {
  const response = (openapi as OpenApi).paths[route.path]?.[route.method]?.responses[String(route.status)];
  const schema = response?.content?.['application/json']?.schema;
  if (!schema) return [`no ${route.status} schema for ${route.method.toUpperCase()} ${route.path}`];
  const validate = ajv.compile(schema);
  if (!validate(answer)) return [JSON.stringify(validate.errors)];
  const branches = (schema.anyOf ?? [schema]).filter((branch) => ajv.validate(branch, answer));
  const known = new Set(branches.flatMap((branch) => Object.keys(branch.properties ?? {})));
  return Object.keys(answer as object)
    .filter((key) => !known.has(key))
    .map((key) => `"${key}" is not in the document`);
}
