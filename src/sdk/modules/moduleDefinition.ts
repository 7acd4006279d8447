/** What the SDK knows about one Tanium module: where its API lives and what a persona needs. */

export type ModuleKey =
  | 'platform'
  | 'asset'
  | 'comply'
  | 'connect'
  | 'deploy'
  | 'enforce'
  | 'integrity-monitor'
  | 'patch'
  | 'reputation'
  | 'threat-response';

export interface ModuleDefinition {
  key: ModuleKey;
  /** Display name, as in Tanium's console. */
  name: string;
  /** Base path on the tenant's -api host; request paths are relative to it. */
  basePath: string;
  /**
   * Permission a refused token's persona needs (shown in PermissionError and `check --modules`).
   * The names match the emulator's table (`src/emulator/modules/moduleTable.ts`), whose 403 text is
   * what a user sees: Tanium publishes no module-wide permission list, so most are assumptions.
   */
  permission: string;
  /** Where the permission name comes from: the vulnerability-management connector guide, a module's API description, or our assumption. */
  permissionSource: 'seed-000' | 'module-api-description' | 'assumption';
  /** A cheap GET (relative to basePath) that succeeds only when the token may use the module. */
  probe: string;
  /** Known gaps in the public documentation that shaped this definition. */
  notes?: string;
}
