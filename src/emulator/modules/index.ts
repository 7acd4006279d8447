import type { FastifyInstance } from 'fastify';
import type { EmulatorState } from '../emulatorState.js';
import { assetModule } from './asset.js';
import type { AssetSource } from './assetSource.js';
import { complyModule } from './comply.js';
import { connectModule } from './connect.js';
import { deployModule } from './deploy.js';
import { enforceModule } from './enforce.js';
import { FleetAssetSource } from './fleetAssetSource.js';
import { integrityMonitorModule } from './integrityMonitor.js';
import { patchModule } from './patch.js';
import { personaRoutes } from './personaRoutes.js';
import { reputationModule } from './reputation.js';
import { threatResponseModule } from './threatResponse.js';

export type { AssetRow, AssetSource, AssetValue } from './assetSource.js';
export { CONNECT_PATH, CONNECT_UNAUTHORIZED } from './connect.js';
export { KNOWN_PERMISSIONS, MODULE_PERMISSIONS, type ModuleInfo, type ModuleKey } from './moduleTable.js';

export interface ModuleOptions {
  /** Where Asset rows come from; the built-in deterministic set of 300 assets by default. */
  assetSource?: (state: EmulatorState) => AssetSource;
}

/**
 * The ten module REST APIs and `/__emulator/personas`, as one emulator surface. Module objects
 * live in memory for the life of the app (they are not written to `--state`); personas are.
 */
export function createModuleSurface(options: ModuleOptions = {}) {
  return (app: FastifyInstance, state: EmulatorState): void => {
    personaRoutes(app, state);
    assetModule(app, state, options.assetSource?.(state) ?? new FleetAssetSource(state));
    complyModule(app, state);
    connectModule(app, state);
    deployModule(app, state);
    enforceModule(app, state);
    integrityMonitorModule(app, state);
    patchModule(app, state);
    reputationModule(app, state);
    threatResponseModule(app, state);
  };
}

export const moduleRoutes = createModuleSurface();
