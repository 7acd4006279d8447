export { EmulatorFaults, type FaultDecision } from './emulatorFaults.js';
export { EmulatorStats, type StatsView } from './emulatorStats.js';
export {
  countRequests,
  cursorExpiryInjected,
  faultActsOnAnswer,
  injectFaults,
  type RequestFaults,
} from './faultHooks.js';
export { type Fault, type FaultRule, FaultRuleError, parseFaultRules } from './faultRules.js';
export { DEFAULT_SEED } from './prng.js';
