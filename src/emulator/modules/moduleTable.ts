import { TOKEN_CREATE_PERMISSION } from '../directory.js';

/**
 * The ten Tanium modules the emulator serves: where each lives, the permission a token's persona
 * needs to use it, and a cheap GET a health check can call to learn whether the token may use it.
 *
 * Permission names: "Asset API User" is the vulnerability-management connector guide's name; "Show Patch" and "Show Comply" follow the
 * RBAC names in Tanium's Patch and Comply API descriptions; the others follow the same "Show <Module>"
 * pattern and are ASSUMPTIONS (Tanium publishes no module-wide permission list). The Core Platform
 * needs no module permission: any valid token may call it.
 */
export type ModuleKey =
  | 'platform'
  | 'asset'
  | 'comply'
  | 'connect'
  | 'deploy'
  | 'enforce'
  | 'integrityMonitor'
  | 'patch'
  | 'reputation'
  | 'threatResponse';

export interface ModuleInfo {
  key: ModuleKey;
  /** The module's name as Tanium's console shows it. */
  name: string;
  basePath: string;
  /** The persona permission that admits a token to every route of the module; null: none needed. */
  permission: string | null;
  /** Where the permission name comes from. */
  permissionSource: 'connector guide' | 'module API description' | 'assumption' | 'none';
  /** A cheap GET (full path) that answers 200 exactly when the token may use the module. */
  probe: string;
}

export const MODULE_PERMISSIONS: readonly ModuleInfo[] = [
  {
    key: 'platform',
    name: 'Core Platform',
    basePath: '/api/v2',
    permission: null,
    permissionSource: 'none',
    probe: '/api/v2/session/current',
  },
  {
    key: 'asset',
    name: 'Asset',
    basePath: '/plugin/products/asset',
    permission: 'Asset API User',
    permissionSource: 'connector guide',
    probe: '/plugin/products/asset/v1/assets?limit=1',
  },
  {
    key: 'comply',
    name: 'Comply',
    basePath: '/plugin/products/comply',
    permission: 'Show Comply',
    permissionSource: 'module API description',
    probe: '/plugin/products/comply/v1/benchmarks',
  },
  {
    key: 'connect',
    name: 'Connect',
    basePath: '/plugin/products/connect',
    permission: 'Show Connect',
    permissionSource: 'assumption',
    probe: '/plugin/products/connect/v1/connections?limit=1',
  },
  {
    key: 'deploy',
    name: 'Deploy',
    basePath: '/plugin/products/deploy',
    permission: 'Show Deploy',
    permissionSource: 'assumption',
    probe: '/plugin/products/deploy/v4/software-packages?take=1',
  },
  {
    key: 'enforce',
    name: 'Enforce',
    basePath: '/plugin/products/enforce',
    permission: 'Show Enforce',
    permissionSource: 'assumption',
    probe: '/plugin/products/enforce/private/info',
  },
  {
    key: 'integrityMonitor',
    name: 'Integrity Monitor',
    basePath: '/plugin/products/integrity-monitor',
    permission: 'Show Integrity Monitor',
    permissionSource: 'assumption',
    probe: '/plugin/products/integrity-monitor/v1/status',
  },
  {
    key: 'patch',
    name: 'Patch',
    basePath: '/plugin/products/patch',
    permission: 'Show Patch',
    permissionSource: 'module API description',
    probe: '/plugin/products/patch/v1/patches?take=1',
  },
  {
    key: 'reputation',
    name: 'Reputation',
    basePath: '/plugin/products/reputation',
    permission: 'Show Reputation',
    permissionSource: 'assumption',
    probe: '/plugin/products/reputation/v3/status',
  },
  {
    key: 'threatResponse',
    name: 'Threat Response',
    basePath: '/plugin/products/threat-response/api/v1',
    permission: 'Show Threat Response',
    permissionSource: 'assumption',
    probe: '/plugin/products/threat-response/api/v1/alerts?limit=1',
  },
];

export function moduleInfo(key: ModuleKey): ModuleInfo {
  const info = MODULE_PERMISSIONS.find((m) => m.key === key);
  if (!info) throw new Error(`unknown module ${key}`);
  return info;
}

/** Every permission a persona made through `/__emulator/personas` may hold. */
export const KNOWN_PERMISSIONS: readonly string[] = [
  '*',
  TOKEN_CREATE_PERMISSION,
  ...MODULE_PERMISSIONS.flatMap((m) => (m.permission ? [m.permission] : [])),
];
