import { Problem } from '../common/problem.js';
import { isTaniumError } from '../sdk/index.js';
import { LeaseLostError } from '../store/leases.js';
import { GatewaySchemaError } from './streamPlan.js';
import { describeHolder, SyncRunningError } from './syncStatus.js';

/** A sync's failure as a problem any interface can show; Tanium's own errors keep their type. */
export function syncProblem(name: string, error: unknown): unknown {
  if (error instanceof SyncRunningError) {
    const line = describeHolder(error.holder);
    return new Problem({
      code: 'sync_running',
      kind: 'conflict',
      message: `${line[0]!.toUpperCase()}${line.slice(1)}`,
      fix: 'Wait for it to finish, or try again later.',
      details: { ...error.holder },
      cause: error,
    });
  }
  // The tenant's schema lacks a field a stream needs: the message names it and the module or version.
  if (error instanceof GatewaySchemaError)
    return new Problem({
      code: 'gateway_schema_missing',
      kind: 'upstream',
      message: error.message,
      fix: 'Install or update the Tanium module the message names, or sync without the streams that need it.',
      details: { name, missing: error.missing },
      cause: error,
    });
  if (error instanceof LeaseLostError)
    return new Problem({
      code: 'sync_lease_lost',
      kind: 'conflict',
      message: `Sync of "${name}" stopped: it stalled past its lease and another sync took the connection over${
        error.failure === undefined ? '' : `, after it failed: ${error.failure.replace(/\.$/, '')}`
      }.`,
      // A failure the run met is met again by the sync that took over, which reports it, if it lasts.
      fix:
        error.failure === undefined
          ? 'Pages already stored are kept; nothing needs doing.'
          : 'Pages already stored are kept; if the failure lasts, the sync that took over meets it too and reports it.',
      details: { name },
      cause: error,
    });
  if (error instanceof Problem || (error instanceof Error && error.name === 'AbortError')) return error;
  if (isTaniumError(error) || error instanceof Error)
    return new Problem({
      code: 'sync_failed',
      kind: isTaniumError(error) ? (error.status === undefined ? 'unavailable' : 'upstream') : 'unavailable',
      message: `Sync of "${name}" failed: ${error.message.replace(/\.$/, '')}.`,
      fix: 'Pages already stored are kept; the next sync resumes from them.',
      details: {
        name,
        ...(isTaniumError(error) ? { retryable: error.retryable } : {}),
        ...sensorNamed(error),
      },
      cause: error,
    });
  return error;
}

/** The sensor a Gateway error names (a sensor that does not exist or needs a parameter), if any. */
function sensorNamed(error: Error): { sensor?: string } {
  const match = /Sensor "([^"]{1,200})" (?:does not exist|requires)/.exec(error.message);
  return match?.[1] === undefined ? {} : { sensor: match[1] };
}
