import type { FastifyInstance } from 'fastify';
import { checkConnection } from '../../connections/check.js';
import {
  createConnection,
  deleteConnection,
  getConnection,
  listConnections,
  updateConnection,
} from '../../connections/editConnection.js';
import type { ServerDeps } from '../deps.js';
import { anyObject, errors, nameParams } from '../schemas.js';

const fields = {
  domain: {
    type: 'string',
    maxLength: 300,
    description: 'Tanium Cloud API domain, e.g. acme-api.cloud.tanium.com (no https://).',
  },
  server: {
    type: 'string',
    maxLength: 300,
    description: 'Advanced: an on-prem server or the emulator, https://host[:port] or http://127.0.0.1:PORT.',
  },
  token: {
    type: 'string',
    maxLength: 8192,
    description: 'A Tanium API token. Blank or absent on an update keeps the stored token.',
  },
} as const;

type Fields = { domain?: string; server?: string; token?: string };
type Named = { Params: { name: string } };

/** Connections: list, read (masked token), create, update with the connect form's Replace rules, delete, check. */
export function connectionRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { ctx } = deps;
  const tags = ['connections'];

  app.get(
    '/v1/connections',
    { schema: { tags, summary: 'Every connection, with health, token expiry and last sync' } },
    async () => ({ connections: await listConnections(ctx) }),
  );

  app.post<{ Body: Fields & { name: string } }>(
    '/v1/connections',
    {
      schema: {
        tags,
        summary: 'Create a connection (the token is not tested: run the check next)',
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: nameParams.properties.name, ...fields },
        },
        response: { 201: anyObject, ...errors(400, 409, 422) },
      },
    },
    async (request, reply) => {
      const { name, ...rest } = request.body;
      const saved = await createConnection(ctx, name, rest);
      reply.status(201);
      return saved;
    },
  );

  app.get<Named>(
    '/v1/connections/:name',
    { schema: { tags, summary: 'One connection', params: nameParams, response: { ...errors(404) } } },
    async (request) => getConnection(ctx, request.params.name),
  );

  app.patch<Named & { Body: Fields }>(
    '/v1/connections/:name',
    {
      schema: {
        tags,
        summary:
          'Edit: an absent domain keeps the address, an empty one is refused; a blank token keeps the stored one',
        params: nameParams,
        body: { type: 'object', additionalProperties: false, properties: fields },
        response: { 200: anyObject, ...errors(400, 404, 422) },
      },
    },
    async (request) => updateConnection(ctx, request.params.name, request.body),
  );

  app.delete<Named>(
    '/v1/connections/:name',
    {
      schema: {
        tags,
        summary: 'Delete a connection, its stored token and its synced data',
        params: nameParams,
      },
    },
    async (request, reply) => {
      await deleteConnection(ctx, request.params.name);
      reply.status(204);
    },
  );

  app.post<Named & { Querystring: { modules?: boolean; timeout?: number } }>(
    '/v1/connections/:name/check',
    {
      // Reads the connection's health; changes nothing, so a viewer may ask.
      config: { access: 'viewer' },
      schema: {
        tags,
        summary: "Test the stored token (and with modules=true, each module's permission)",
        params: nameParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            modules: { type: 'boolean' },
            timeout: { type: 'integer', minimum: 1, maximum: 300, description: 'seconds' },
          },
        },
      },
    },
    async (request) =>
      checkConnection(ctx, request.params.name, {
        modules: request.query.modules === true,
        ...(request.query.timeout === undefined ? {} : { timeoutMs: request.query.timeout * 1000 }),
      }),
  );
}
