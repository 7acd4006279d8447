/** JSON schemas shared by the routes; they validate requests and document them in /v1/openapi.json. */

export const nameParams = {
  type: 'object',
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9_-]{0,62}$',
      description: 'Connection name: 1 to 63 lower-case letters, digits, _ or -.',
    },
  },
} as const;

export const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'fix'],
      properties: {
        code: { type: 'string', description: 'Stable: scripts may branch on it.' },
        message: { type: 'string' },
        fix: { type: 'string' },
        details: { type: 'object', additionalProperties: true },
      },
    },
  },
} as const;

/** A response of any JSON object (documented loosely; the shape is described in docs/server.md). */
export const anyObject = { type: 'object', additionalProperties: true } as const;

/** Common error answers, for the OpenAPI document. */
export function errors(...statuses: number[]): Record<number, typeof errorSchema> {
  return Object.fromEntries(statuses.map((s) => [s, errorSchema]));
}
