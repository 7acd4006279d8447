/** JSON schemas of the posture routes: they validate requests and give fastify a fast serializer. */
import { LOOKUP_KEYS } from '../../store/posture.js';

const ids = {
  type: 'object',
  properties: {
    endpointId: { type: 'string' },
    computerId: { type: ['string', 'null'] },
    serialNumber: { type: ['string', 'null'] },
    hostname: { type: ['string', 'null'] },
  },
} as const;

/** The decision (docs/posture.md, "The decision"). */
export const decisionSchema = {
  type: 'object',
  properties: {
    verdict: { type: 'string', enum: ['allow', 'deny', 'ambiguous'] },
    rule: { type: ['string', 'null'] },
    checks: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          check: { type: 'string' },
          passed: { type: 'boolean' },
          sentence: { type: 'string' },
          rule: { type: 'string' },
        },
      },
    },
    endpoint: { anyOf: [ids, { type: 'null' }] },
    dataAge: {
      type: 'object',
      properties: {
        syncedAt: { type: ['string', 'null'] },
        seconds: { type: ['integer', 'null'] },
        maxSeconds: { type: 'integer' },
        stale: { type: 'boolean' },
      },
    },
    reason: { type: 'string' },
    matches: { type: 'array', items: ids },
    failOpen: { type: 'boolean' },
  },
} as const;

const connection = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' } as const;
const policyName = { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]{0,62}$' } as const;
const device = { type: 'string', minLength: 1, maxLength: 255 } as const;
const by = { type: 'string', enum: [...LOOKUP_KEYS] } as const;

export const postureQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    by,
    connection: { ...connection, description: 'connection name (default: default)' },
    name: { ...connection, description: 'the same as connection' },
    policy: { ...policyName, description: 'a stored policy (default: require managed)' },
  },
} as const;

export const MAX_BATCH = 1000;

export const batchBody = {
  type: 'object',
  required: ['devices'],
  additionalProperties: false,
  properties: {
    connection,
    policy: policyName,
    devices: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_BATCH,
      items: {
        type: 'object',
        required: ['device'],
        additionalProperties: false,
        properties: { device, by },
      },
    },
  },
} as const;

export const policyParams = {
  type: 'object',
  required: ['name'],
  properties: { name: policyName },
} as const;

export const policyBody = {
  type: 'object',
  required: ['source'],
  additionalProperties: false,
  properties: {
    format: { type: 'string', enum: ['yaml', 'json'], default: 'yaml' },
    source: { type: 'string', minLength: 1, maxLength: 256 * 1024 },
  },
} as const;
