import type { ModuleDefinition } from './moduleDefinition.js';

/** Threat Response: alerts, intel, live response, snapshots, quarantine (routes under `/api/v1`). */
export const threatResponse: ModuleDefinition = {
  key: 'threat-response',
  name: 'Threat Response',
  basePath: '/plugin/products/threat-response',
  // The Gateway documents "Threat Response Alerts Write" for resolving; the module-wide name is assumed.
  permission: 'Show Threat Response',
  permissionSource: 'assumption',
  probe: '/api/v1/alerts?limit=1',
};
