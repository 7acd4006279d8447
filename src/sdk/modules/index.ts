/** The ten modules, in Tanium's order. One file per module; this is only the registry. */

import { UnknownModuleError } from '../errors.js';
import { asset } from './asset.js';
import { comply } from './comply.js';
import { connect } from './connect.js';
import { deploy } from './deploy.js';
import { enforce } from './enforce.js';
import { integrityMonitor } from './integrityMonitor.js';
import type { ModuleDefinition, ModuleKey } from './moduleDefinition.js';
import { patch } from './patch.js';
import { platform } from './platform.js';
import { reputation } from './reputation.js';
import { threatResponse } from './threatResponse.js';

export type { ModuleDefinition, ModuleKey } from './moduleDefinition.js';

export const MODULES: readonly ModuleDefinition[] = Object.freeze([
  platform,
  asset,
  comply,
  connect,
  deploy,
  enforce,
  integrityMonitor,
  patch,
  reputation,
  threatResponse,
]);

export const MODULE_KEYS: readonly ModuleKey[] = MODULES.map((m) => m.key);

export function isModuleKey(value: string): value is ModuleKey {
  return (MODULE_KEYS as readonly string[]).includes(value);
}

/** Look up a module; unknown keys list the valid ones. */
export function getModule(key: string): ModuleDefinition {
  const found = MODULES.find((m) => m.key === key);
  if (found === undefined) {
    throw new UnknownModuleError(`Unknown Tanium module "${key}". Use one of: ${MODULE_KEYS.join(', ')}.`);
  }
  return found;
}
