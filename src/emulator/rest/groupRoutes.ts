import type { FastifyInstance } from 'fastify';
import { taniumTime } from '../clock.js';
import type { EmulatorState } from '../emulatorState.js';
import type { ComputerGroup } from '../fleet/index.js';
import { HttpError } from '../httpError.js';
import { data, idParam, list } from './envelope.js';

/**
 * Platform computer groups (`/api/v2/groups` and `/api/v2/computer_groups`, by id and by name, and
 * DELETE by id), read from the tenant's one group catalogue: a group deleted over the Gateway is gone
 * here too, and one deleted here is gone from the Gateway.
 */
export function groupRoutes(app: FastifyInstance, state: EmulatorState): void {
  const catalogue = state.objects.groups;
  for (const route of ['groups', 'computer_groups']) {
    app.get(`/api/v2/${route}`, async () => list(catalogue.list().map(groupView), state.now()));
    app.get<{ Params: { id: string } }>(`/api/v2/${route}/:id`, async (request) => {
      const id = idParam(request.params.id, 'GroupNotFound', 'group');
      return data(groupView(found(catalogue.find({ id: String(id) }), `no group with id ${id}`)));
    });
    app.get<{ Params: { name: string } }>(`/api/v2/${route}/by-name/:name`, async (request) =>
      data(
        groupView(
          found(catalogue.find({ name: request.params.name }), `no group named "${request.params.name}"`),
        ),
      ),
    );
    app.delete<{ Params: { id: string } }>(`/api/v2/${route}/:id`, async (request) => {
      const id = idParam(request.params.id, 'GroupNotFound', 'group');
      const group = found(catalogue.find({ id: String(id) }), `no group with id ${id}`);
      catalogue.delete({ id: group.id });
      return data({ ...groupView(group), deleted_flag: true });
    });
  }
}

function found<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw new HttpError(404, 'GroupNotFound', message);
  return value;
}

function groupView(g: ComputerGroup & { modifiedMs: number }) {
  return {
    id: Number(g.id),
    name: g.name,
    text: g.expression,
    type: g.type === 'MANUAL' ? 4 : 0,
    and_flag: false,
    not_flag: false,
    filter_flag: g.filterEnabled,
    management_rights_flag: g.managementRightsEnabled,
    deleted_flag: false,
    modification_time: taniumTime(g.modifiedMs),
  };
}
