import type { ModuleDefinition } from './moduleDefinition.js';

/** Deploy: software packages, deployment templates and deployments. */
export const deploy: ModuleDefinition = {
  key: 'deploy',
  name: 'Deploy',
  basePath: '/plugin/products/deploy',
  permission: 'Show Deploy',
  permissionSource: 'assumption',
  probe: '/v1/deployments?take=1',
};
