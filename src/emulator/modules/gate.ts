import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hasPermission } from '../directory.js';
import { HttpError } from '../httpError.js';
import type { ModuleInfo } from './moduleTable.js';

/** Refuses a caller whose persona lacks the module's permission (`*`, the Administrator role, has all). */
export function requireModule(request: FastifyRequest, info: ModuleInfo): void {
  if (info.permission === null) return;
  const principal = request.principal;
  if (!principal) throw new HttpError(401, 'Unauthorized', 'a session header with an API token is required');
  if (!hasPermission(principal.persona, info.permission)) {
    throw new HttpError(
      403,
      'RBACInsufficientPrivilege',
      `this persona lacks the "${info.permission}" permission needed for the ${info.name} module`,
    );
  }
}

/**
 * Registers a module's routes under its base path, behind the permission check. The check runs
 * before the body is read, so a refused caller learns nothing about the module's data or validation.
 */
export function moduleScope(
  app: FastifyInstance,
  info: ModuleInfo,
  routes: (scope: FastifyInstance) => void,
): void {
  app.register(
    async (scope) => {
      scope.addHook('onRequest', async (request) => requireModule(request, info));
      routes(scope);
    },
    { prefix: info.basePath },
  );
}
