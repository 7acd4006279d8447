import type { ModuleDefinition } from './moduleDefinition.js';

/** Connect: data export connections, destinations and connection runs. */
export const connect: ModuleDefinition = {
  key: 'connect',
  name: 'Connect',
  basePath: '/plugin/products/connect',
  permission: 'Show Connect',
  permissionSource: 'assumption',
  probe: '/v1/connections?limit=1',
};
