import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Problem } from '../../common/problem.js';
import { uiRoot } from '../../common/uiRoot.js';
import type { ServerDeps } from '../deps.js';

const UI_ROOT = uiRoot();

/**
 * The page may load only its own scripts and styles and talk only to this origin; Recharts sets inline
 * style attributes, hence 'unsafe-inline' for styles (never for scripts).
 */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const notBuilt = () =>
  new Problem({
    code: 'ui_not_built',
    kind: 'not_found',
    message: 'The web UI is not built in this installation.',
    fix: 'Build it with npm run build (npm install does it too), then restart serve.',
  });

const ASSET_NAME = /^[\w-]+\.(?:js|css|svg|png|woff2?)$/;

const noAsset = () =>
  new Problem({
    code: 'not_found',
    kind: 'not_found',
    message: 'No such file in the web UI.',
    fix: 'Reload the page: a newer build names its files differently.',
  });

/** The web UI (docs/ui.md): a single page at `/` and its assets, public like any login page; it calls /v1. */
export function uiRoutes(app: FastifyInstance, _deps: ServerDeps): void {
  const page = { config: { access: 'public' as const }, schema: { hide: true } };
  const secure = (reply: FastifyReply) =>
    reply
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer');
  app.register(async (scope) => {
    await scope.register(fastifyStatic, { root: UI_ROOT, serve: false });
    scope.get('/', page, async (_request, reply) => {
      if (!existsSync(join(UI_ROOT, 'index.html'))) throw notBuilt();
      // The page is tiny and names hashed assets: never cache it, so a new build shows at once.
      return secure(reply)
        .header('cache-control', 'no-store')
        .sendFile('index.html', { cacheControl: false });
    });
    scope.get<{ Params: { '*': string } }>('/assets/*', page, async (request, reply) => {
      // Vite writes flat, hashed names: anything else (a sub-path, `..`) is not ours.
      const name = request.params['*'];
      if (!ASSET_NAME.test(name) || !existsSync(join(UI_ROOT, 'assets', name))) throw noAsset();
      return secure(reply).sendFile(join('assets', name), { maxAge: '1y', immutable: true });
    });
  });
}
