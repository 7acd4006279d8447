import type { ModuleDefinition } from './moduleDefinition.js';

/** Patch: patches, patch lists, scan configurations, maintenance windows, deployments (bare JSON, no `data`). */
export const patch: ModuleDefinition = {
  key: 'patch',
  name: 'Patch',
  basePath: '/plugin/products/patch',
  // RBAC name from Tanium's Patch API description (the Gateway documents "Patch Deployment -
  // Execute/Write" for creating deployments).
  permission: 'Show Patch',
  permissionSource: 'module-api-description',
  probe: '/v1/patches?take=1',
};
