import type { ModuleDefinition } from './moduleDefinition.js';

/**
 * Integrity Monitor: file integrity monitors and watchlists.
 * ASSUMPTION: Tanium publishes no REST path for this module (only experimental Gateway
 * `integrityMonitor*` fields). We assume `/plugin/products/integrity-monitor` like the other modules,
 * and probe its `/v1/status` route (the emulator's probe).
 */
export const integrityMonitor: ModuleDefinition = {
  key: 'integrity-monitor',
  name: 'Integrity Monitor',
  basePath: '/plugin/products/integrity-monitor',
  permission: 'Show Integrity Monitor',
  permissionSource: 'assumption',
  probe: '/v1/status',
  notes: 'No public REST base path; assumed. Prefer the Gateway integrityMonitor* fields.',
};
