import type { FastifyInstance } from 'fastify';
import { type JsonObject, objectBody, onlyFields, optionalString } from '../body.js';
import type { EmulatorState } from '../emulatorState.js';
import { badBody } from '../httpError.js';
import { requiredEnum } from './fields.js';
import { moduleScope } from './gate.js';
import { moduleInfo } from './moduleTable.js';
import { booleanParam, notFound, pathId, queryOf, stringParam } from './query.js';
import { hex, iso, pick, SEED_EPOCH_MS, seededRandom } from './seeded.js';

/**
 * Reputation (`/plugin/products/reputation`, paths `/v3/…`): custom hash lists (public evidence)
 * and hash verdict lookups (ASSUMPTION: Tanium publishes no verdict route). Envelope `{data}`.
 */
export const HASH_LOOKUP_MAX = 1000;
const LISTS = ['blacklist', 'whitelist'] as const;
const HASH_TYPES: Record<number, 'md5' | 'sha1' | 'sha256'> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };

interface CustomEntry {
  id: number;
  list: (typeof LISTS)[number];
  md5: string;
  sha1: string;
  sha256: string;
  uploadedHash: string;
  notes: string;
  createdAt: string;
}

interface Verdict {
  hash: string;
  hashType: string;
  status: 'malicious' | 'suspicious' | 'non-malicious' | 'unknown';
  source: string;
  lastUpdated: string | null;
}

/** A hash as sent, checked and lower-cased; anything but 32, 40 or 64 hex digits is refused. */
export function readHash(raw: unknown, where: string): { hash: string; hashType: 'md5' | 'sha1' | 'sha256' } {
  const hash = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  const hashType = /^[0-9a-f]+$/.test(hash) ? HASH_TYPES[hash.length] : undefined;
  if (!hashType) {
    throw badBody(
      `${where} must be an MD5 (32), SHA-1 (40) or SHA-256 (64) hexadecimal hash, got ${JSON.stringify(raw)}`,
    );
  }
  return { hash, hashType };
}

export function reputationModule(app: FastifyInstance, state: EmulatorState): void {
  const random = seededRandom(53);
  const known = new Map<string, Verdict>();
  for (let i = 0; i < 60; i++) {
    const hash = hex(random, 64);
    known.set(hash, {
      hash,
      hashType: 'sha256',
      status: pick(random, ['malicious', 'malicious', 'suspicious', 'non-malicious'] as const),
      source: 'reversinglabs',
      lastUpdated: iso(SEED_EPOCH_MS),
    });
  }
  let custom: CustomEntry[] = [...known.values()].slice(0, 5).map((v, i) => ({
    id: i + 1,
    list: 'blacklist',
    md5: '',
    sha1: '',
    sha256: v.hash,
    uploadedHash: v.hash,
    notes: 'seeded',
    createdAt: iso(SEED_EPOCH_MS),
  }));
  let nextId = custom.length + 1;

  const verdict = (hash: string, hashType: string): Verdict => {
    const entry = custom.find((c) => c.md5 === hash || c.sha1 === hash || c.sha256 === hash);
    if (entry) {
      return {
        hash,
        hashType,
        status: entry.list === 'blacklist' ? 'malicious' : 'non-malicious',
        source: 'custom',
        lastUpdated: entry.createdAt,
      };
    }
    return known.get(hash) ?? { hash, hashType, status: 'unknown', source: 'none', lastUpdated: null };
  };

  moduleScope(app, moduleInfo('reputation'), (scope) => {
    scope.get('/v3/status', async () => ({ data: { status: 'ok' } }));

    scope.get('/v3/reputations/custom', async (request) => {
      const search = stringParam(queryOf(request), 'search')?.toLowerCase();
      return {
        data: custom.filter(
          (c) =>
            search === undefined ||
            [c.md5, c.sha1, c.sha256, c.notes].some((v) => v.toLowerCase().includes(search)),
        ),
      };
    });

    scope.post('/v3/reputations/custom/upload', async (request) => {
      const append = booleanParam(queryOf(request), 'append') ?? false;
      if (!Array.isArray(request.body) || request.body.length === 0) {
        throw badBody(
          'the body must be a non-empty list of {"list", "md5"|"sha1"|"sha256"|"uploadedHash", "notes"}',
        );
      }
      const now = iso(state.now());
      const entries = request.body.map((item, i) => readEntry(item, `[${i}]`, now));
      if (!append) custom = [];
      for (const entry of entries) {
        entry.id = nextId++;
        custom.push(entry);
      }
      return { data: entries };
    });

    scope.delete<{ Params: { id: string } }>('/v3/reputations/custom/:id', async (request) => {
      const id = pathId(request.params.id, 'ReputationNotFound', 'custom reputation entry');
      const index = custom.findIndex((c) => c.id === id);
      if (index < 0) throw notFound('ReputationNotFound', 'custom reputation entry', id);
      const [removed] = custom.splice(index, 1);
      return { data: removed };
    });

    scope.post('/v3/reputations/hashes', async (request) => {
      const body = objectBody(request.body, false);
      onlyFields(body, ['hashes']);
      const hashes = body['hashes'];
      if (!Array.isArray(hashes) || hashes.length === 0)
        throw badBody('field "hashes" must be a non-empty list of hashes');
      if (hashes.length > HASH_LOOKUP_MAX)
        throw badBody(`at most ${HASH_LOOKUP_MAX} hashes per request, got ${hashes.length}`);
      const read = hashes.map((h, i) => readHash(h, `hashes[${i}]`));
      return { data: read.map(({ hash, hashType }) => verdict(hash, hashType)) };
    });

    scope.get('/v3/reputations', async (request) => {
      const raw = stringParam(queryOf(request), 'hash');
      if (raw === undefined) throw badBody('query parameter "hash" is required');
      const { hash, hashType } = readHash(raw, 'query parameter "hash"');
      return { data: [verdict(hash, hashType)] };
    });
  });
}

function readEntry(raw: unknown, where: string, now: string): CustomEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw badBody(`${where} must be a JSON object`);
  const body = raw as JsonObject;
  onlyFields(body, ['list', 'md5', 'sha1', 'sha256', 'uploadedHash', 'notes']);
  const list = requiredEnum(body, 'list', LISTS);
  const entry: CustomEntry = {
    id: 0,
    list,
    md5: '',
    sha1: '',
    sha256: '',
    uploadedHash: '',
    notes: '',
    createdAt: now,
  };
  for (const field of ['md5', 'sha1', 'sha256', 'uploadedHash'] as const) {
    const value = optionalString(body, field);
    if (value === undefined || value === '') continue;
    const { hash, hashType } = readHash(value, `${where}.${field}`);
    if (field !== 'uploadedHash' && hashType !== field)
      throw badBody(`${where}.${field} is not an ${field} hash`);
    entry[field] = hash;
    if (field === 'uploadedHash') entry[hashType] ||= hash;
  }
  if (!entry.md5 && !entry.sha1 && !entry.sha256)
    throw badBody(`${where} needs a hash: md5, sha1, sha256 or uploadedHash`);
  entry.uploadedHash ||= entry.sha256 || entry.sha1 || entry.md5;
  entry.notes = optionalString(body, 'notes') ?? '';
  return entry;
}
