/** Token rotation: see docs/rotation.md. */
export { rotationClient } from './client.js';
export {
  CRASH_POINTS,
  type CrashPoint,
  type RotationPlan,
  type RotationPorts,
  runRotation,
} from './driver.js';
export { describeError, isRefusal } from './errorClassification.js';
export {
  lostMessage,
  type RotationHealth,
  type RotationSummary,
  refusedMessage,
  rotationHealth,
  rotationSummary,
} from './health.js';
export { next, type RotationEvent, type RotationOutcome } from './machine.js';
export {
  CREATE_TOKEN_PERMISSION,
  forecastFor,
  forecastLine,
  forecastMethod,
  GRANT_RECHECK_MS,
  METHOD_CHOICES,
  type MethodChoice,
  type MethodForecast,
  permissionNames,
} from './method.js';
export { DEFAULT_POLICY, dueness, type SchedulePolicy } from './schedule.js';
export {
  exitCodeOf,
  type RotateOptions,
  type RotateReport,
  resetAfterTokenReplace,
  rotateConnection,
  rotateIfDue,
} from './service.js';
export { type StoredTokenSource, storedTokenSource, withRotationRetry } from './tokenSource.js';
