/** The emulator's seeded fleet: endpoints, findings, sensors and groups as pure functions of (seed, index, time). */
export { CVE_CATALOGUE_SIZE, CVES, type CveRecord, cveById } from './catalogue/cves.js';
export { BENCHMARKS, type Benchmark, type Rule } from './catalogue/rules.js';
export { CHURN, type CheckInModel, DEFAULT_EPOCH, type FleetOptions } from './context.js';
export { createFleet, type Fleet, type FleetView, type SensorInfo } from './fleet.js';
export {
  type AnswerGaps,
  NULLABLE_COMPLIANCE_FINDING_FIELDS,
  NULLABLE_CVE_FINDING_FIELDS,
  NULLABLE_ENDPOINT_FIELDS,
  type NullableEndpointField,
} from './realism.js';
export { NO_RESULTS, SensorParameterError, UNAVAILABLE, UnknownSensorError } from './sensors.js';
export { rfc3339 } from './time.js';
export type * from './types.js';
