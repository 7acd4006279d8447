/** Token rotation (issue 5): see docs/rotation.md. */
export { rotationClient } from './client.js';
export { CRASH_POINTS, type CrashPoint, type RotationPorts, runRotation } from './driver.js';
export {
  lostMessage,
  type RotationHealth,
  type RotationSummary,
  refusedMessage,
  rotationHealth,
  rotationSummary,
} from './health.js';
export { next, type RotationEvent, type RotationOutcome } from './machine.js';
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
