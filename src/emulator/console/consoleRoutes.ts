import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { uiRoot } from '../../common/uiRoot.js';
import type { Principal } from '../authenticate.js';
import { objectBody, onlyFields, optionalInteger, optionalString } from '../body.js';
import type { EmulatorState } from '../emulatorState.js';
import { badBody, HttpError } from '../httpError.js';
import { grantToken, revokeToken, visibleTokens } from '../tokenService.js';
import { restToken } from '../tokenViews.js';
import { unmapIPv4 } from '../trustList.js';

/** The console's Advanced Settings: the four that shape API tokens (Tanium's "Enable systems to use API tokens" and "Configure token expiration settings"). */
export const CONSOLE_SETTINGS = [
  'api_token_expiration_in_days',
  'api_token_max_expiration_in_days',
  'api_token_trusted_ip_address_list',
  'authenticate_api_token_with_x_forwarded_for_ip',
] as const;

/** Where the page lives; its data routes sit under /__emulator/console (docs/emulator.md). */
export const CONSOLE_PATH = '/console';
const API = '/__emulator/console';

/**
 * The emulator's console: Tanium's API Tokens page (Administration > Permissions > API Tokens), signed in
 * as the emulator's administrator. Like the administrator token the emulator prints, it is for this
 * machine only: its routes answer loopback clients and refuse every other address.
 */
export function consoleRoutes(app: FastifyInstance, state: EmulatorState): void {
  const root = uiRoot();
  app.register(async (scope) => {
    await scope.register(fastifyStatic, { root, serve: false });
    scope.get(CONSOLE_PATH, async (request, reply) => {
      localOnly(request);
      if (!existsSync(join(root, 'console.html')))
        throw new HttpError(404, 'NotFound', 'the console page is not built: run npm run build');
      return reply.header('cache-control', 'no-store').sendFile('console.html', { cacheControl: false });
    });
    scope.get<{ Params: { '*': string } }>('/assets/*', async (request, reply) => {
      // Vite writes flat, hashed names: anything else (a sub-path, `..`) is not ours.
      const name = request.params['*'];
      if (!/^[\w-]+\.(?:js|css|svg|png|woff2?)$/.test(name) || !existsSync(join(root, 'assets', name)))
        throw new HttpError(404, 'NotFound', `no console asset ${name}`);
      return reply.sendFile(join('assets', name), { maxAge: '1y', immutable: true });
    });
  });

  const administrator = (): Principal => {
    const tokenString = state.bootstrapToken();
    const token = state.tokens.byString(tokenString)!;
    const user = state.directory.user(token.userId);
    return { user, persona: state.directory.persona(user, token.personaId), token };
  };

  app.get(`${API}/tokens`, async (request) => {
    localOnly(request);
    const principal = administrator();
    return {
      nowMs: state.now(),
      user: principal.user.name,
      defaultDays: state.settings.number('api_token_expiration_in_days'),
      maxDays: state.settings.number('api_token_max_expiration_in_days'),
      tokens: visibleTokens(state, principal).map((t) => restToken(state, t)),
    };
  });

  app.get(`${API}/clock`, async (request) => {
    localOnly(request);
    return { nowMs: state.now() };
  });

  app.post(`${API}/tokens`, async (request) => {
    localOnly(request);
    const body = objectBody(request.body);
    onlyFields(body, ['notes', 'expireInDays', 'trustedIpAddresses']);
    // The console accepts commas or line breaks between addresses; Tanium stores them comma-separated.
    const trusted = optionalString(body, 'trustedIpAddresses')
      ?.split(/[\n,]/)
      .map((s) => s.trim())
      .filter(Boolean)
      .join(',');
    const { record, tokenString } = grantToken(state, administrator(), {
      notes: optionalString(body, 'notes'),
      expireInDays: optionalInteger(body, 'expireInDays'),
      trustedIpAddresses: trusted,
    });
    return { nowMs: state.now(), token: restToken(state, record, tokenString) };
  });

  app.delete(`${API}/tokens`, async (request) => {
    localOnly(request);
    const body = objectBody(request.body, false);
    onlyFields(body, ['ids']);
    const ids = body['ids'];
    if (!Array.isArray(ids) || !ids.every((id) => Number.isInteger(id)))
      throw badBody('send {"ids": [<token id>, ...]}');
    const principal = administrator();
    for (const id of ids as number[]) revokeToken(state, principal, id);
    return { deleted: ids };
  });

  app.get(`${API}/settings`, async (request) => {
    localOnly(request);
    return { settings: CONSOLE_SETTINGS.map((name) => ({ name, value: state.settings.find(name).value })) };
  });

  app.patch<{ Params: { name: string } }>(`${API}/settings/:name`, async (request) => {
    localOnly(request);
    const name = request.params.name;
    if (!(CONSOLE_SETTINGS as readonly string[]).includes(name))
      throw new HttpError(404, 'SystemSettingNotFound', `the console does not edit "${name}"`);
    const body = objectBody(request.body, false);
    onlyFields(body, ['value']);
    const value = body['value'];
    if (typeof value !== 'string') throw badBody('send {"value": "<text>"}');
    const record = state.settings.set(name, value, state.now());
    state.save();
    return { name, value: record.value };
  });
}

const LOOPBACK = new Set(['127.0.0.1', '::1']);

function localOnly(request: FastifyRequest): void {
  if (!LOOPBACK.has(unmapIPv4(request.ip)))
    throw new HttpError(403, 'Forbidden', 'the emulator console answers only this machine (loopback)');
}
