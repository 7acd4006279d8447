import type { FastifyInstance } from 'fastify';
import { taniumTime } from '../clock.js';
import type { EmulatorState } from '../emulatorState.js';
import { data, list } from './envelope.js';

/** Clients listed one by one in `system_status`; the aggregate always counts the whole fleet. */
export const SYSTEM_STATUS_CLIENT_LIMIT = 1_000;

/** Platform inventory: `system_status` and `server_info` (sensors, groups, packages and users have their own routes). */
export function inventoryRoutes(app: FastifyInstance, state: EmulatorState): void {
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
