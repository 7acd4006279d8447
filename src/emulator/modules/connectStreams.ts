import type { FastifyInstance } from 'fastify';
import type { JsonObject } from '../body.js';
import { badBody } from '../httpError.js';
import { Collection } from './collection.js';
import { crudRoutes, type StoredObject } from './crudRoutes.js';
import { type FieldSpec, readFields, withoutSecrets } from './fieldSpec.js';
import { DAY, iso, SEED_EPOCH_MS } from './seeded.js';

/**
 * Connect's stream elements: the sources, filters, formats and destinations a connection's
 * `streams` name by route (`/v1/sources/savedquestions/3`). Fields per type follow Connect's API
 * description; `password` fields are kept and never answered.
 */
export type StreamKind = 'sources' | 'filters' | 'formats' | 'destinations';

const SAVED_QUESTION: FieldSpec = {
  savedQuestionName: { type: 'string', required: true },
  contextGroupName: { type: 'string' },
  sortColumns: { type: 'string' },
  percentComplete: { type: 'number', min: 0 },
  batchSize: { type: 'integer', min: 1 },
  hideErrors: { type: 'boolean' },
  hideNoResults: { type: 'boolean' },
  flatten: { type: 'boolean' },
  mostRecent: { type: 'boolean' },
  resolveErrors: { type: 'boolean' },
  timeout: { type: 'number', min: 0 },
  recentResultBuckets: { type: 'string' },
  filterString: { type: 'string' },
};

const SYSTEM_STATUS: FieldSpec = {
  lastRegistrationMinutes: { type: 'integer', min: 0 },
  batchSize: { type: 'integer', min: 1 },
};

const FILE: FieldSpec = {
  name: { type: 'string', required: true },
  fileName: { type: 'string', required: true },
  fileNameTimeStampFormat: { type: 'string' },
  compress: { type: 'boolean' },
  replaceFile: { type: 'boolean' },
  allowEmptyResults: { type: 'boolean' },
};

const SMTP: FieldSpec = {
  name: { type: 'string', required: true },
  host: { type: 'string', required: true },
  port: { type: 'integer', required: true, min: 1 },
  username: { type: 'string', required: true },
  password: { type: 'string', required: true, secret: true },
  emailFrom: { type: 'string', required: true },
  emailTo: { type: 'string', required: true },
  timeout: { type: 'integer', min: 0 },
  useAuthentication: { type: 'boolean' },
  emailSubject: { type: 'string' },
  emailCc: { type: 'string' },
  emailBcc: { type: 'string' },
  attachment: { type: 'boolean' },
  attachmentFilename: { type: 'string' },
  compressionType: { type: 'string', oneOf: ['None', 'GZip', 'Zip'] },
  secure: { type: 'boolean' },
  fileNameTimeStampFormat: { type: 'string' },
  emptyEmailMessage: { type: 'string' },
};

const ELASTICSEARCH: FieldSpec = {
  name: { type: 'string', required: true },
  url: { type: 'string', required: true },
  pageSize: { type: 'integer', min: 1 },
  useAuthentication: { type: 'boolean' },
  username: { type: 'string' },
  password: { type: 'string', secret: true },
  useProxy: { type: 'boolean' },
  connectionTimeout: { type: 'integer', min: 0 },
  secure: { type: 'boolean' },
  trustOnFirstUse: { type: 'boolean' },
  cert: { type: 'string' },
};

/** Types with their own routes and declared fields. */
const ROUTED: Record<string, { kind: StreamKind; spec: FieldSpec; defaults: JsonObject }> = {
  savedquestions: {
    kind: 'sources',
    spec: SAVED_QUESTION,
    defaults: { contextGroupName: 'All Computers', percentComplete: 100, batchSize: 1000, hideErrors: false },
  },
  systemstatuses: {
    kind: 'sources',
    spec: SYSTEM_STATUS,
    defaults: { lastRegistrationMinutes: 0, batchSize: 1000 },
  },
  files: {
    kind: 'destinations',
    spec: FILE,
    defaults: { fileNameTimeStampFormat: '', compress: false, replaceFile: true, allowEmptyResults: false },
  },
  smtps: {
    kind: 'destinations',
    spec: SMTP,
    defaults: { timeout: 30, useAuthentication: true, secure: true },
  },
  elasticsearches: {
    kind: 'destinations',
    spec: ELASTICSEARCH,
    defaults: { pageSize: 1000, useAuthentication: false, username: '', useProxy: false, secure: true },
  },
};

/** Types a stream may name without routes of their own here: their arguments are kept as given. */
const UNROUTED: Record<string, StreamKind> = {
  csvs: 'formats',
  stringifies: 'formats',
  cefs: 'formats',
  leefs: 'formats',
  syslogs: 'formats',
  syslogrfcs: 'formats',
  htmls: 'formats',
  columns: 'formats',
  elasticsearches: 'formats',
  rowfieldseparators: 'formats',
  regexes: 'filters',
  numerics: 'filters',
  newitems: 'filters',
};

/** One stream step as import and export write it: `{route, arguments}`. */
export interface StreamStep {
  route: string;
  arguments: JsonObject;
}

export class StreamElements {
  private readonly stores = new Map<string, Collection<StoredObject>>();

  constructor(private readonly now: () => number) {}

  store(kind: StreamKind, type: string): Collection<StoredObject> {
    const key = `${kind}/${type}`;
    let store = this.stores.get(key);
    if (!store) {
      store = new Collection<StoredObject>('NotFound', `${kind} ${type} element`);
      this.stores.set(key, store);
    }
    return store;
  }

  /** The declared fields of a routed type, or `undefined` when its arguments are kept as given. */
  specOf(kind: StreamKind, type: string): FieldSpec | undefined {
    const routed = ROUTED[type];
    if (routed && routed.kind === kind) return routed.spec;
    if (UNROUTED[type] === kind) return undefined;
    throw badBody(`"${kind}/${type}" is not a Connect stream type this emulator knows`);
  }

  /** Validates one import step (`/v1/<kind>/<type>[/<id>]`) without changing anything. */
  check(step: unknown, where: string): { kind: StreamKind; type: string; id?: number; fields: JsonObject } {
    if (typeof step !== 'object' || step === null || Array.isArray(step))
      throw badBody(`${where} must be {"route", "arguments"}`);
    const { route, arguments: args } = step as JsonObject;
    const match =
      typeof route === 'string'
        ? /^\/v1\/(sources|filters|formats|destinations)\/([a-z]+)(?:\/(\d+))?$/.exec(route)
        : null;
    if (!match)
      throw badBody(`${where}.route must be like /v1/sources/savedquestions, got ${JSON.stringify(route)}`);
    const kind = match[1] as StreamKind;
    const type = match[2] as string;
    const spec = this.specOf(kind, type);
    const id = match[3] === undefined ? undefined : Number(match[3]);
    if (id !== undefined && !this.store(kind, type).find(id))
      throw badBody(`${where}.route names nothing: ${String(route)}`);
    const raw = args ?? {};
    if (typeof raw !== 'object' || Array.isArray(raw))
      throw badBody(`${where}.arguments must be a JSON object`);
    const fields = spec ? readFields(raw, spec, { partial: id !== undefined }) : (raw as JsonObject);
    return { kind, type, ...(id === undefined ? {} : { id }), fields };
  }

  /** Creates (or, with an id, updates) the element a checked step names; answers its route with id. */
  apply(step: ReturnType<StreamElements['check']>): string {
    const store = this.store(step.kind, step.type);
    const at = iso(this.now());
    if (step.id !== undefined) {
      Object.assign(store.get(String(step.id)), step.fields, { updatedAt: at });
      return `/v1/${step.kind}/${step.type}/${step.id}`;
    }
    const defaults = ROUTED[step.type]?.kind === step.kind ? ROUTED[step.type]?.defaults : {};
    const item = store.add((id) => ({ id, ...defaults, ...step.fields, createdAt: at, updatedAt: at }));
    return `/v1/${step.kind}/${step.type}/${item.id}`;
  }

  /** Deletes the element a stored route names, if it exists (deleting a connection with its streams). */
  removeRoute(route: string): void {
    const match = /^\/v1\/(sources|filters|formats|destinations)\/([a-z]+)\/(\d+)$/.exec(route);
    const store = match ? this.stores.get(`${match[1]}/${match[2]}`) : undefined;
    if (match && store?.find(Number(match[3]))) store.remove(match[3] as string);
  }

  /** A stored route as an export step; a route naming nothing exports with empty arguments. */
  exportStep(route: string): StreamStep {
    const match = /^\/v1\/(sources|filters|formats|destinations)\/([a-z]+)\/(\d+)$/.exec(route);
    const item = match ? this.stores.get(`${match[1]}/${match[2]}`)?.find(Number(match[3])) : undefined;
    if (!match || !item) return { route, arguments: {} };
    const { id: _id, createdAt: _c, updatedAt: _u, ...fields } = item;
    const spec = ROUTED[match[2] as string]?.spec ?? {};
    return { route: `/v1/${match[1]}/${match[2]}`, arguments: withoutSecrets(fields, spec) };
  }

  /** The routed types' CRUD routes: bare arrays and objects, 201 on create, `{}` on delete. */
  routes(scope: FastifyInstance): void {
    for (const [type, { kind, spec, defaults }] of Object.entries(ROUTED)) {
      crudRoutes(scope, {
        path: `/v1/${kind}/${type}`,
        items: this.store(kind, type),
        spec,
        now: this.now,
        list: (items) => items,
        one: (item) => item,
        defaults: () => defaults,
        createStatus: 201,
        deleted: 'emptyObject',
      });
    }
  }

  /** Seeds the elements the seeded connections name, so that they export like real ones. */
  seed(count: number): void {
    const at = iso(SEED_EPOCH_MS - 60 * DAY);
    for (let i = 1; i <= count; i++) {
      this.store('sources', 'savedquestions').add((id) => ({
        id,
        ...ROUTED['savedquestions']?.defaults,
        savedQuestionName: `Seeded saved question ${i}`,
        createdAt: at,
        updatedAt: at,
      }));
      this.store('formats', 'stringifies').add((id) => ({ id, createdAt: at, updatedAt: at }));
      this.store('destinations', 'files').add((id) => ({
        id,
        ...ROUTED['files']?.defaults,
        name: `Seeded file ${i}`,
        fileName: `connection-${i}.json`,
        createdAt: at,
        updatedAt: at,
      }));
    }
  }
}
