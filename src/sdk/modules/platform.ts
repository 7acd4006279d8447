import type { ModuleDefinition } from './moduleDefinition.js';

/** Core Platform REST v2: sessions, users, questions, sensors, packages, actions, groups, tokens. */
export const platform: ModuleDefinition = {
  key: 'platform',
  name: 'Core Platform',
  basePath: '/api/v2',
  // The vulnerability-management connector guide lists "Administration > Token - Use" first: every API token call needs it.
  permission: 'Token - Use',
  permissionSource: 'seed-000',
  probe: '/session/current',
};
