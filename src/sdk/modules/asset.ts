import type { ModuleDefinition } from './moduleDefinition.js';

/** Asset: inventory (keyset-paged `/v1/assets`), attributes and views. */
export const asset: ModuleDefinition = {
  key: 'asset',
  name: 'Asset',
  basePath: '/plugin/products/asset',
  // The vulnerability-management connector guide: "Assets > Asset API User(Read)"; the emulator's table uses the bare name.
  permission: 'Asset API User',
  permissionSource: 'seed-000',
  probe: '/v1/assets?limit=1',
};
