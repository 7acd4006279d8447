import type { FastifyInstance } from 'fastify';
import { objectBody, onlyFields, optionalString, requiredString } from '../body.js';
import type { EmulatorState } from '../emulatorState.js';
import { badBody, HttpError } from '../httpError.js';
import { ASSET_ATTRIBUTES, type AssetAttribute, type AssetRow, type AssetSource } from './assetSource.js';
import { optionalObject } from './fields.js';
import { moduleScope } from './gate.js';
import { moduleInfo } from './moduleTable.js';
import { booleanParam, integerParam, pathId, queryOf, stringParam } from './query.js';
import { SEED_EPOCH_MS } from './seeded.js';

/** Asset's documented page size: 100 by default; "anything greater than 5000 will return 5000". */
export const ASSET_DEFAULT_LIMIT = 100;
export const ASSET_MAX_LIMIT = 5000;

interface View {
  id: number;
  viewName: string;
  description: string;
  createdAt: number;
  updatedAt: number;
  definition: {
    filter: Record<string, unknown>;
    relatedFilters: unknown[];
    attributes: number[];
    userName: string;
    status: string;
    reserved: boolean;
  };
}

/**
 * Asset (`/plugin/products/asset`): keyset-paged assets, the attribute catalog and views.
 * Assets answer `{response: {data, meta}}` (one asset: `{response: {data}}`), as Tanium's Asset API
 * describes them; views and attributes answer `{data}` as their descriptions do. `/status` needs a
 * valid token but no Asset permission ("No Permission" in Tanium's description).
 */
export function assetModule(app: FastifyInstance, state: EmulatorState, source: AssetSource): void {
  const info = moduleInfo('asset');
  const views: View[] = [
    seedView(
      1,
      'All Attributes',
      'Every attribute',
      ASSET_ATTRIBUTES.map((a) => a.id),
    ),
    seedView(2, 'Hardware', 'Identity and hardware', [1, 3, 8, 9, 10, 11, 14]),
  ];
  let nextViewId = 3;

  const viewById = (raw: unknown): View | undefined => {
    if (raw === undefined || raw === '') return undefined;
    const id = Number(raw);
    const view = views.find((v) => v.id === id);
    if (!view)
      throw new HttpError(400, 'BadRequest', `query parameter "viewId" names no view: ${String(raw)}`);
    return view;
  };

  app.get(`${info.basePath}/status`, async () => ({ status: 'ok' }));

  moduleScope(app, info, (scope) => {
    scope.get('/v1/assets', async (request) => {
      const query = queryOf(request);
      const limit = integerParam(query, 'limit', { min: 1, cap: ASSET_MAX_LIMIT }) ?? ASSET_DEFAULT_LIMIT;
      const minimumAssetId = integerParam(query, 'minimumAssetId', { min: 0 }) ?? 0;
      const view = viewById(stringParam(query, 'viewId'));
      const rows = source.rows(minimumAssetId, limit);
      const last = rows[rows.length - 1];
      const endOfReader = last === undefined || source.rows(last.id + 1, 1).length === 0;
      return {
        response: {
          data: rows.map((row) => project(row, view)),
          meta: { endOfReader, ...(last ? { nextAssetId: last.id + 1 } : {}) },
        },
      };
    });

    scope.get<{ Params: { id: string } }>('/v1/assets/:id', async (request) => {
      const id = pathId(request.params.id, 'AssetNotFound', 'asset');
      const view = viewById(stringParam(queryOf(request), 'viewId'));
      const row = source.byId(id);
      if (!row) throw new HttpError(404, 'AssetNotFound', `no asset with id ${id}`);
      return { response: { data: project(row, view) } };
    });

    scope.get('/v1/attributes', async (request) => {
      const query = queryOf(request);
      const id = integerParam(query, 'id', { min: 0 });
      const name = stringParam(query, 'attributeName') ?? stringParam(query, 'displayName');
      const fieldName = stringParam(query, 'fieldName');
      const enabled = booleanParam(query, 'enabled');
      const data = ASSET_ATTRIBUTES.filter(
        (a) =>
          (id === undefined || a.id === id) &&
          (name === undefined || a.displayName === name) &&
          (fieldName === undefined || a.fieldName === fieldName) &&
          (enabled === undefined || enabled),
      ).map(attributeView);
      return { data };
    });

    scope.get('/v1/views', async () => ({ data: views.map(viewView) }));

    scope.post('/v1/views', async (request) => {
      const body = objectBody(request.body, false);
      onlyFields(body, ['items']);
      const items = body['items'];
      if (!Array.isArray(items) || items.length === 0) {
        throw badBody('field "items" is required: a non-empty list of views');
      }
      const now = state.now();
      const created = items.map((item, index) => readView(item, index, now));
      for (const view of created) {
        view.id = nextViewId++;
        view.definition.userName = request.principal!.user.name;
        views.push(view);
      }
      return { data: created.map(viewView) };
    });

    scope.delete<{ Params: { id: string } }>('/v1/views/:id', async (request, reply) => {
      const id = pathId(request.params.id, 'ViewNotFound', 'view');
      const index = views.findIndex((v) => v.id === id);
      const view = views[index];
      if (!view) throw new HttpError(404, 'ViewNotFound', `no view with id ${id}`);
      if (view.definition.reserved) {
        throw new HttpError(400, 'BadRequest', `view ${id} is reserved for system use and cannot be deleted`);
      }
      views.splice(index, 1);
      return reply.code(204).send();
    });
  });
}

function project(row: AssetRow, view: View | undefined): AssetRow {
  if (!view) return row;
  const out: Record<string, unknown> = { id: row.id };
  for (const attributeId of view.definition.attributes) {
    const attribute = ASSET_ATTRIBUTES.find((a) => a.id === attributeId);
    if (attribute) out[attribute.fieldName] = row[attribute.fieldName] ?? null;
  }
  return out as AssetRow;
}

function readView(item: unknown, index: number, now: number): View {
  const where = `items[${index}]`;
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    throw badBody(`${where} must be a JSON object`);
  const body = item as Record<string, unknown>;
  onlyFields(body, ['viewName', 'description', 'definition']);
  const viewName = requiredString(body, 'viewName');
  const description = optionalString(body, 'description') ?? '';
  const definition = optionalObject(body, 'definition');
  if (!definition) throw badBody(`${where}.definition is required with "attributes": [{"id"}]`);
  onlyFields(definition, ['attributes', 'filter', 'relatedFilters']);
  const attributes = definition['attributes'];
  if (!Array.isArray(attributes) || attributes.length === 0) {
    throw badBody(`${where}.definition.attributes must be a non-empty list of {"id"}`);
  }
  const ids = attributes.map((a, i) => {
    const id = (a as { id?: unknown } | null)?.id;
    if (typeof id !== 'number' || !ASSET_ATTRIBUTES.some((attr) => attr.id === id)) {
      throw badBody(`${where}.definition.attributes[${i}].id names no attribute: ${JSON.stringify(id)}`);
    }
    return id;
  });
  const filter = optionalObject(definition, 'filter') ?? {};
  const related = definition['relatedFilters'] ?? [];
  if (!Array.isArray(related)) throw badBody(`${where}.definition.relatedFilters must be a list`);
  return {
    id: 0,
    viewName,
    description,
    createdAt: now,
    updatedAt: now,
    definition: {
      filter,
      relatedFilters: related,
      attributes: ids,
      userName: '',
      status: 'ready',
      reserved: false,
    },
  };
}

function seedView(id: number, viewName: string, description: string, attributes: number[]): View {
  return {
    id,
    viewName,
    description,
    createdAt: SEED_EPOCH_MS,
    updatedAt: SEED_EPOCH_MS,
    definition: {
      filter: {},
      relatedFilters: [],
      attributes,
      userName: 'tanium-admin',
      status: 'ready',
      reserved: true,
    },
  };
}

function attributeView(a: AssetAttribute) {
  return {
    id: a.id,
    entityId: 1,
    entityName: 'Computer',
    tableName: 'ci_item',
    displayName: a.displayName,
    fieldName: a.fieldName,
    dataType: a.dataType,
    enabled: true,
    status: 'imported',
  };
}

function viewView(v: View) {
  return {
    ...v,
    definition: {
      ...v.definition,
      attributes: v.definition.attributes.flatMap((id) => {
        const attribute = ASSET_ATTRIBUTES.find((a) => a.id === id);
        return attribute ? [attributeView(attribute)] : [];
      }),
    },
  };
}
