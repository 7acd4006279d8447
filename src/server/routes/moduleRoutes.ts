import type { FastifyInstance } from 'fastify';
import { REQUEST_METHODS, sendModuleRequest } from '../../connections/moduleRequest.js';
import { MODULE_KEYS } from '../../sdk/index.js';
import type { ServerDeps } from '../deps.js';
import { errors, nameParams } from '../schemas.js';

interface ModuleRequestBody {
  method: string;
  path: string;
  query?: Record<string, string | number | boolean>;
  body?: unknown;
}

/** One call to a module's API, through the SDK's allow-list and path guard, written to the audit log. */
export function moduleRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.post<{ Params: { name: string; module: string }; Body: ModuleRequestBody }>(
    '/v1/connections/:name/modules/:module/request',
    {
      schema: {
        tags: ['modules'],
        summary: "Send a request to one of the ten modules' APIs (admin only; audited)",
        params: {
          type: 'object',
          required: ['name', 'module'],
          properties: {
            name: nameParams.properties.name,
            module: { type: 'string', enum: [...MODULE_KEYS] },
          },
        },
        body: {
          type: 'object',
          required: ['method', 'path'],
          additionalProperties: false,
          properties: {
            method: { type: 'string', enum: [...REQUEST_METHODS] },
            path: {
              type: 'string',
              minLength: 1,
              maxLength: 4096,
              description: "Relative to the module's base.",
            },
            query: {
              type: 'object',
              additionalProperties: { type: ['string', 'number', 'boolean'] },
            },
            body: { description: 'JSON body for POST, PUT, PATCH, DELETE.' },
          },
        },
        response: errors(400, 403, 404, 422, 502, 503),
      },
    },
    async (request) => {
      const { method, path, query, body } = request.body;
      return sendModuleRequest(deps.ctx, request.params.name, {
        module: request.params.module,
        method,
        path,
        ...(query === undefined ? {} : { query }),
        ...(body === undefined ? {} : { body }),
        actor: request.caller?.actor ?? 'unknown',
      });
    },
  );
}
