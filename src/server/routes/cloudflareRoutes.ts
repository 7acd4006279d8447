import type { FastifyInstance } from 'fastify';
import { requireConnection } from '../../connections/editConnection.js';
import { AccessSettings } from '../../posture/cloudflare/accessSettings.js';
import { type CloudflareDevice, scoreDevices } from '../../posture/cloudflare/provider.js';
import { PolicyBook } from '../../posture/policies.js';
import { PostureService } from '../../posture/service.js';
import type { ServerDeps } from '../deps.js';
import { errors } from '../schemas.js';
import { cloudflareSettingsRoutes } from './cloudflareSettingsRoutes.js';

const text = { type: ['string', 'null'], maxLength: 255 } as const;

/**
 * Cloudflare Zero Trust's custom service-provider posture integration: Cloudflare calls with up to
 * 1,000 devices and an Access token; each device gets the Tanium endpoint id and a 0-100 score.
 * The route is public to API keys: the Access token is its credential. The team and AUD tag come from
 * serve's flags or the settings routes (docs/posture.md, Cloudflare).
 */
export function cloudflareRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const settings = deps.settings.cloudflare ?? { connection: 'default' };
  const access = new AccessSettings(deps.ctx.store, settings.access);
  cloudflareSettingsRoutes(app, deps, access);
  const service = new PostureService(deps.ctx.store, () => deps.now().getTime());
  const book = new PolicyBook(deps.ctx.store);

  app.post<{ Body: { devices: CloudflareDevice[] } }>(
    '/v1/integrations/cloudflare/posture',
    {
      config: { access: 'public' },
      schema: {
        tags: ['posture'],
        summary: "Cloudflare Zero Trust's custom device posture provider",
        headers: {
          type: 'object',
          properties: { 'cf-access-jwt-assertion': { type: 'string', maxLength: 16_384 } },
        },
        body: {
          type: 'object',
          required: ['devices'],
          properties: {
            devices: {
              type: 'array',
              maxItems: 1000,
              items: {
                type: 'object',
                required: ['device_id'],
                properties: {
                  device_id: { type: 'string', minLength: 1, maxLength: 255 },
                  email: text,
                  serial_number: text,
                  mac_address: text,
                  virtual_ipv4: text,
                  hostname: text,
                },
              },
            },
          },
        },
        response: errors(400, 403, 503),
      },
      // Answer 503 or 403 before the body is validated: an unauthenticated caller learns nothing.
      preValidation: async (request) => {
        const verifier = await access.verifier();
        const token = request.headers['cf-access-jwt-assertion'];
        await verifier.verify(typeof token === 'string' ? token : undefined, deps.now());
      },
    },
    async (request) => {
      const connection = (await requireConnection(deps.ctx, settings.connection)).name;
      const policy = settings.policy === undefined ? undefined : await book.policy(settings.policy);
      return { result: await scoreDevices(service, connection, request.body.devices, policy) };
    },
  );
}
