import type { ModuleDefinition } from './moduleDefinition.js';

/** Comply: benchmarks, custom checks and profiles, exceptions, vulnerability library. */
export const comply: ModuleDefinition = {
  key: 'comply',
  name: 'Comply',
  basePath: '/plugin/products/comply',
  // Seed 000 lists no permission for Comply streams, only the "Comply Reporting" content set.
  permission: 'Comply Reporting content set (Read)',
  permissionSource: 'seed-000',
  probe: '/v1/exceptions',
};
