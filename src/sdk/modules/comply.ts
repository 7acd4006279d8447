import type { ModuleDefinition } from './moduleDefinition.js';

/** Comply: benchmarks, custom checks and profiles, exceptions, vulnerability library. */
export const comply: ModuleDefinition = {
  key: 'comply',
  name: 'Comply',
  basePath: '/plugin/products/comply',
  // RBAC name from Tanium's Comply API description (the vulnerability-management connector guide lists only the "Comply Reporting"
  // content set for Comply streams, which a persona needs as well).
  permission: 'Show Comply',
  permissionSource: 'module-api-description',
  probe: '/v1/exceptions',
};
