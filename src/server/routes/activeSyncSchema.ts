/**
 * The shape of a sync this service runs (`ActiveSync`, src/sync/activeSyncs.ts), as `POST …/sync`
 * answers it with 202, for the OpenAPI document and fastify's serializer. `lastPage` is the run's last
 * `page` event (docs/sync.md, "Events"), documented loosely.
 */
export const activeSyncSchema = {
  type: 'object',
  required: ['connection', 'runId', 'startedAt', 'actor', 'lastPage'],
  properties: {
    connection: { type: 'string' },
    runId: { type: ['integer', 'null'], description: 'The run recorded in the store (GET …/runs/:id).' },
    startedAt: { type: 'string', format: 'date-time' },
    actor: { type: 'string', description: 'Who asked: scheduler, apikey:<name>, admin.' },
    lastPage: {
      type: ['object', 'null'],
      additionalProperties: true,
      description: 'The last page event of the run, or null before its first page.',
    },
  },
} as const;

/** `DELETE …/sync`: the running sync stops at its next page boundary. */
export const cancellingSchema = {
  type: 'object',
  required: ['cancelling'],
  properties: { cancelling: { type: 'boolean', const: true } },
} as const;
