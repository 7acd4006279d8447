import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JsonObject } from '../body.js';
import type { Collection } from './collection.js';
import { type FieldSpec, readFields, withoutSecrets } from './fieldSpec.js';
import { iso } from './seeded.js';

/** A stored module object: its declared fields plus id and times. */
export type StoredObject = JsonObject & { id: number; createdAt: string; updatedAt: string };

/**
 * One module resource with the usual five routes (list, create, get, update, delete). Each module
 * keeps its own envelope (`{data}` for Deploy, bare or keyed objects for Comply, Connect, Patch), so
 * the envelope is given, not assumed. See docs/emulator-modules.md for each resource.
 */
export interface CrudResource {
  path: string;
  items: Collection<StoredObject>;
  spec: FieldSpec;
  now: () => number;
  /** Wraps the list answer, e.g. `(items) => ({ blacklists: items })`. */
  list: (items: JsonObject[]) => unknown;
  /** Wraps a single-object answer (get, create, update, delete). */
  one: (item: JsonObject) => unknown;
  /** Fields a created object gets when the body leaves them out. */
  defaults?: (request: FastifyRequest) => JsonObject;
  /** Checks across fields and references to other objects; throws a 400 before anything changes. */
  check?: (merged: JsonObject, existing: StoredObject | undefined) => void;
  /** Fields worked out from the stored ones on every answer (e.g. counts). */
  view?: (item: StoredObject) => JsonObject;
  createStatus?: 200 | 201;
  /** How an update is sent; `null`: the resource has no update route. */
  update?: 'PUT' | 'PATCH' | null;
  /** What a delete answers: the removed object (200), 204 with no body, or 200 `{}`. */
  deleted?: 'object' | 'noContent' | 'emptyObject';
}

export function crudRoutes(scope: FastifyInstance, resource: CrudResource): void {
  const { path, items, spec } = resource;
  const answer = (item: StoredObject) =>
    resource.one(withoutSecrets({ ...item, ...resource.view?.(item) }, spec));

  scope.get(path, async () =>
    resource.list(items.list().map((item) => withoutSecrets({ ...item, ...resource.view?.(item) }, spec))),
  );

  scope.get<{ Params: { id: string } }>(`${path}/:id`, async (request) =>
    answer(items.get(request.params.id)),
  );

  scope.post(path, async (request, reply) => {
    const fields = { ...resource.defaults?.(request), ...readFields(request.body, spec) };
    resource.check?.(fields, undefined);
    const at = iso(resource.now());
    const item = items.add((id) => ({ id, ...fields, createdAt: at, updatedAt: at }));
    return reply.code(resource.createStatus ?? 200).send(answer(item));
  });

  const update = resource.update === undefined ? 'PUT' : resource.update;
  if (update !== null) {
    scope.route<{ Params: { id: string } }>({
      method: update,
      url: `${path}/:id`,
      handler: async (request) => {
        const item = items.get(request.params.id);
        const changes = readFields(request.body, spec, { partial: true });
        const merged = { ...item, ...changes };
        resource.check?.(merged, item);
        Object.assign(item, changes, { updatedAt: iso(resource.now()) });
        return answer(item);
      },
    });
  }

  scope.delete<{ Params: { id: string } }>(`${path}/:id`, async (request, reply) => {
    const removed = items.remove(request.params.id);
    if (resource.deleted === 'noContent') return reply.code(204).send();
    if (resource.deleted === 'emptyObject') return {};
    return answer(removed);
  });
}
