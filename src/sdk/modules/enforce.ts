import type { ModuleDefinition } from './moduleDefinition.js';

/** Enforce: policies, enforcements, antimalware scans, device classes. */
export const enforce: ModuleDefinition = {
  key: 'enforce',
  name: 'Enforce',
  basePath: '/plugin/products/enforce',
  permission: 'Show Enforce',
  permissionSource: 'assumption',
  probe: '/v1/enforcements',
  notes: 'No public spec; /v1/enforcements is the one list route seen in community code.',
};
