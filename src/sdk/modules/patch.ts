import type { ModuleDefinition } from './moduleDefinition.js';

/** Patch: patches, patch lists, scan configurations, maintenance windows, deployments (bare JSON, no `data`). */
export const patch: ModuleDefinition = {
  key: 'patch',
  name: 'Patch',
  basePath: '/plugin/products/patch',
  // The Gateway documents "Patch Deployment - Execute/Write" for creating; reading is assumed.
  permission: 'Patch Deployment (Read)',
  permissionSource: 'assumption',
  probe: '/v1/patches?take=1',
};
