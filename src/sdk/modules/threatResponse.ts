import type { ModuleDefinition } from './moduleDefinition.js';

/** Threat Response: alerts, intel, live response, snapshots, quarantine (routes under `/api/v1`). */
export const threatResponse: ModuleDefinition = {
  key: 'threat-response',
  name: 'Threat Response',
  basePath: '/plugin/products/threat-response',
  // The Gateway documents "Threat Response Alerts Write" for resolving; reading is assumed.
  permission: 'Threat Response Alerts (Read)',
  permissionSource: 'assumption',
  probe: '/api/v1/alerts?limit=1',
};
