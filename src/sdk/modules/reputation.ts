import type { ModuleDefinition } from './moduleDefinition.js';

/** Reputation: file hash reputation, custom lists (routes under `/v3`). */
export const reputation: ModuleDefinition = {
  key: 'reputation',
  name: 'Reputation',
  basePath: '/plugin/products/reputation',
  permission: 'Show Reputation',
  permissionSource: 'assumption',
  probe: '/v3/reputations/custom?limit=1',
};
