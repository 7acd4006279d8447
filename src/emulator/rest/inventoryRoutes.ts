import type { FastifyInstance } from 'fastify';
import { taniumTime } from '../clock.js';
import type { EmulatorState } from '../emulatorState.js';
import type { ComputerGroup, SensorInfo } from '../fleet/index.js';
import { HttpError } from '../httpError.js';
import { data, idParam, list } from './envelope.js';
import { hashOf } from './questionRun.js';

/** Clients listed one by one in `system_status`; the aggregate always counts the whole fleet. */
export const SYSTEM_STATUS_CLIENT_LIMIT = 1_000;

/** Platform inventory: sensors, computer groups (`groups` and `computer_groups`) and `system_status`. */
export function inventoryRoutes(app: FastifyInstance, state: EmulatorState): void {
  const sensors = () => state.fleet.sensors().map((s, k) => sensorView(s, k + 1, state));
  const groups = () => state.fleet.groups().map(groupView);

  app.get('/api/v2/sensors', async () => list(sensors(), state.now()));
  app.get<{ Params: { id: string } }>('/api/v2/sensors/:id', async (request) => {
    const id = idParam(request.params.id, 'SensorNotFound', 'sensor');
    return data(
      found(
        sensors().find((s) => s.id === id),
        'SensorNotFound',
        `no sensor with id ${id}`,
      ),
    );
  });
  app.get<{ Params: { name: string } }>('/api/v2/sensors/by-name/:name', async (request) => {
    const name = request.params.name.toLowerCase();
    return data(
      found(
        sensors().find((s) => s.name.toLowerCase() === name),
        'SensorNotFound',
        `no sensor named "${request.params.name}"`,
      ),
    );
  });

  for (const route of ['groups', 'computer_groups']) {
    app.get(`/api/v2/${route}`, async () => list(groups(), state.now()));
    app.get<{ Params: { id: string } }>(`/api/v2/${route}/:id`, async (request) => {
      const id = idParam(request.params.id, 'GroupNotFound', 'group');
      return data(
        found(
          groups().find((g) => g.id === id),
          'GroupNotFound',
          `no group with id ${id}`,
        ),
      );
    });
    app.get<{ Params: { name: string } }>(`/api/v2/${route}/by-name/:name`, async (request) =>
      data(
        found(
          groups().find((g) => g.name === request.params.name),
          'GroupNotFound',
          `no group named "${request.params.name}"`,
        ),
      ),
    );
  }

  app.get('/api/v2/system_status', async () => {
    const view = state.fleet.view(state.now());
    const clients = [];
    let normal = 0;
    for (const i of view.live()) {
      const online = view.isOnline(i);
      if (online) normal++;
      if (clients.length >= SYSTEM_STATUS_CLIENT_LIMIT) continue;
      const endpoint = view.endpoint(i);
      clients.push({
        computer_id: Number(endpoint.computerID),
        host_name: endpoint.name,
        full_version: '7.6.3.1114',
        ipaddress_client: endpoint.ipAddress,
        ipaddress_server: '10.0.0.10',
        last_registration: taniumTime(view.eidLastSeen(i)),
        port_number: 17472,
        protocol_version: 316,
        public_key_valid: true,
        registered_with_tls: true,
        registration_error: '',
        receive_state: 'None',
        send_state: 'None',
        status: online ? 'Normal' : 'Slow link',
      });
    }
    const aggregate = {
      leader_count: 0,
      normal_count: normal,
      blocked_count: 0,
      slowlink_count: view.count() - normal,
      registered_with_tls_count: view.count(),
      registered_with_errors_count: 0,
      versions: [{ version_string: '7.6.3.1114', count: view.count(), filtered: 0 }],
    };
    return list([...clients, aggregate], state.now());
  });

  app.get('/api/v2/server_info', async () =>
    data({
      Diagnostics: {
        Client_Connections: {
          Overall_Connection_Limit: 200000,
          Active_Connections: state.fleet.view(state.now()).count(),
        },
      },
    }),
  );
}

function found<T>(value: T | undefined, code: string, message: string): T {
  if (value === undefined) throw new HttpError(404, code, message);
  return value;
}

function sensorView(s: SensorInfo, id: number, state: EmulatorState) {
  return {
    id,
    name: s.name,
    hash: hashOf(s.name),
    category: s.category,
    description: s.description,
    value_type: s.valueType,
    max_age_seconds: 900,
    ignore_case_flag: 1,
    hidden_flag: 0,
    delimiter: '|',
    parameter_definition: s.parameters.length
      ? JSON.stringify({
          parameters: s.parameters.map((key) => ({
            key,
            label: key,
            parameterType: 'com.tanium.components.parameters::TextInputParameter',
          })),
        })
      : '',
    subcolumns:
      s.columns.length > 1
        ? s.columns.map((name, index) => ({ name, index, value_type: 'String', hidden_flag: 0 }))
        : [],
    content_set: { id: 1, name: 'Base' },
    modification_time: taniumTime(state.fleet.epoch),
  };
}

function groupView(g: ComputerGroup) {
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
  };
}
