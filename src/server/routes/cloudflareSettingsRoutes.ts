import type { FastifyInstance } from 'fastify';
import type { AccessSettings } from '../../posture/cloudflare/accessSettings.js';
import type { ServerDeps } from '../deps.js';
import { errors } from '../schemas.js';

const nullable = { type: ['string', 'null'] } as const;
const settingsSchema = {
  type: 'object',
  properties: {
    source: {
      type: 'string',
      enum: ['flags', 'api', 'none'],
      description: "Which settings apply: serve's flags win over those stored through this API.",
    },
    team: nullable,
    issuer: nullable,
    aud: nullable,
    changedBy: nullable,
    changedAt: nullable,
    overridden: {
      anyOf: [
        {
          type: 'object',
          properties: {
            team: { type: 'string' },
            aud: { type: 'string' },
            changedBy: { type: 'string' },
            changedAt: { type: 'string' },
          },
        },
        { type: 'null' },
      ],
      description: 'Stored settings the flags override, if any.',
    },
    history: {
      type: 'array',
      description:
        'Every change stored through the API with who and when, oldest first (a clear: team and aud null).',
      items: {
        type: 'object',
        properties: {
          version: { type: 'integer' },
          team: nullable,
          aud: nullable,
          changedBy: { type: 'string' },
          changedAt: { type: 'string' },
        },
      },
    },
  },
} as const;

const settingsBody = {
  type: 'object',
  required: ['team', 'aud'],
  additionalProperties: false,
  properties: {
    team: {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description: 'The team name of <team>.cloudflareaccess.com, or https://<team>.cloudflareaccess.com.',
    },
    aud: {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description: "The Access application's Application Audience (AUD) tag (hex).",
    },
  },
} as const;

const PATH = '/v1/integrations/cloudflare/settings';

/** The Cloudflare posture provider's team and AUD tag: read (viewer), stored or cleared (admin). */
export function cloudflareSettingsRoutes(
  app: FastifyInstance,
  deps: ServerDeps,
  settings: AccessSettings,
): void {
  const tags = ['posture'];
  const actor = (caller: { actor: string } | undefined) => caller?.actor ?? 'unknown';

  app.get(
    PATH,
    {
      schema: {
        tags,
        summary: "The Cloudflare posture provider's team and AUD tag, and whether flags or the API set them",
        response: { 200: settingsSchema },
      },
    },
    async () => settings.view(),
  );

  app.put<{ Body: { team: string; aud: string } }>(
    PATH,
    {
      schema: {
        tags,
        summary: 'Store the team and AUD tag (checked first; a bad one changes nothing); in force at once',
        body: settingsBody,
        response: { 200: settingsSchema, ...errors(400, 409, 422) },
      },
    },
    async (request) => settings.save(request.body, actor(request.caller), deps.now()),
  );

  app.delete(
    PATH,
    {
      schema: {
        tags,
        summary: 'Clear the stored team and AUD tag (the provider then answers 503)',
        response: { 200: settingsSchema, ...errors(409) },
      },
    },
    async (request) => settings.clear(actor(request.caller), deps.now()),
  );
}
