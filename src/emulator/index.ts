export { buildEmulatorApp } from './app.js';
export { EmulatorClock, taniumTime } from './clock.js';
export { EmulatorState } from './emulatorState.js';
export type { CheckInModel } from './fleet/index.js';
export {
  buildGatewaySchema,
  GATEWAY_FEATURES,
  type GatewayFeature,
  isGatewayFeature,
} from './gateway/gatewaySchema.js';
export {
  DEFAULT_GATEWAY_LIMITS,
  type GatewayLimits,
  type LimitCode,
  resolveGatewayLimits,
} from './gateway/queryLimits.js';
export { type EmulatorOptions, type RunningEmulator, startEmulator } from './startEmulator.js';
export {
  MAX_TENANTS,
  type RunningTenants,
  startTenants,
  type TenantsOptions,
  tenantHost,
} from './startTenants.js';
