import type { FastifyInstance } from 'fastify';
import type { Principal } from '../authenticate.js';
import { objectBody, onlyFields, optionalInteger, optionalString, requiredString } from '../body.js';
import type { EmulatorState } from '../emulatorState.js';
import { badBody } from '../httpError.js';
import { findVisibleToken, grantToken, revokeToken, rotateToken, visibleTokens } from '../tokenService.js';
import { restToken } from '../tokenViews.js';
import { data, idParam, list } from './envelope.js';

const CREATE_FIELDS = ['name', 'notes', 'expire_in_days', 'trusted_ip_addresses', 'as_persona'] as const;

/** `/api/v2/api_tokens`: list, get, create, rotate (PATCH, or POST with only `token_string`), revoke. */
export function apiTokenRoutes(app: FastifyInstance, state: EmulatorState): void {
  app.get('/api/v2/api_tokens', async (request) =>
    list(
      visibleTokens(state, request.principal!).map((t) => restToken(state, t)),
      state.now(),
    ),
  );

  app.get<{ Params: { id: string } }>('/api/v2/api_tokens/:id', async (request) => {
    const id = idParam(request.params.id, 'APITokenNotFound', 'API token');
    return data(restToken(state, findVisibleToken(state, request.principal!, id)));
  });

  // Tanium's platform API: create takes an empty body (`{}` or `null`) or any of the creation fields.
  app.post('/api/v2/api_tokens', async (request) => {
    const body = objectBody(request.body);
    // Tanium's API token guidance rotates with POST and a body holding only token_string; Tanium's spec uses PATCH.
    if ('token_string' in body) {
      if (Object.keys(body).length > 1) {
        throw badBody('a body with "token_string" rotates that token and takes no other field');
      }
      return rotate(body, request.principal!);
    }
    onlyFields(body, CREATE_FIELDS);
    const { record, tokenString } = grantToken(state, request.principal!, {
      name: optionalString(body, 'name'),
      notes: optionalString(body, 'notes'),
      expireInDays: optionalInteger(body, 'expire_in_days'),
      trustedIpAddresses: trustedField(body['trusted_ip_addresses']),
      persona: body['as_persona'],
    });
    return data(restToken(state, record, tokenString));

    function trustedField(value: unknown): string | undefined {
      if (value === undefined || value === null) return undefined;
      if (typeof value !== 'string') {
        throw badBody('field "trusted_ip_addresses" must be a string of addresses separated by commas');
      }
      return value;
    }
  });

  // An empty or null body lacks token_string, which is how Tanium names the failure (InvalidJSONBody).
  app.patch('/api/v2/api_tokens', async (request) => rotate(objectBody(request.body), request.principal!));

  app.delete<{ Params: { id: string } }>('/api/v2/api_tokens/:id', async (request) => {
    const id = idParam(request.params.id, 'APITokenNotFound', 'API token');
    return data(restToken(state, revokeToken(state, request.principal!, id), undefined, true));
  });

  function rotate(body: Record<string, unknown>, principal: Principal) {
    onlyFields(body, ['token_string']);
    const tokenString = requiredString(body, 'token_string');
    const { record, tokenString: fresh } = rotateToken(state, principal, tokenString);
    return data(restToken(state, record, fresh));
  }
}
