import type { FastifyInstance } from 'fastify';
import type { EmulatorState } from '../emulatorState.js';
import { type FleetView, rfc3339, SensorParameterError, UnknownSensorError } from '../fleet/index.js';
import { HttpError } from '../httpError.js';
import { readingStatus } from './readingStatus.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * `/__emulator/truth`: the fleet's ground truth, so a sync can be checked against it. The counts are what
 * the endpoints really have; `answers` what the Gateway's answers hold where realism leaves gaps. With
 * `?at=<RFC 3339>` (not after now) the truth is that of a past instant: the fleet is a function of time,
 * so a test can ask what was answered when it synced.
 */
export function truthRoutes(app: FastifyInstance, state: EmulatorState): void {
  app.get('/__emulator/truth', async (request) => ({
    ...viewAt(state, request.query).truth(),
    fleet: state.fleetSettings,
  }));

  // What changed since an instant: endpoints that checked in, and those whose data a scan or patch
  // cycle updated (what Tanium's UPDATED_AFTER answers), with the ids of the latter.
  app.get('/__emulator/truth/changes', async (request) => {
    const view = viewAt(state, request.query);
    const since = sinceOf(request.query);
    const updatedIds: string[] = [];
    let checkedIn = 0;
    let joined = 0;
    for (const i of view.live()) {
      if (view.eidLastSeen(i) > since) checkedIn++;
      if (view.eidFirstSeen(i) > since) joined++;
      if (view.updatedSince(i, since)) updatedIds.push(view.endpointId(i));
    }
    return {
      at: rfc3339(view.at),
      since: rfc3339(since),
      checkIns: state.fleet.checkIns,
      endpoints: view.count(),
      checkedIn,
      joined,
      updated: updatedIds.length,
      updatedIds,
    };
  });

  app.get('/__emulator/truth/endpoints/:id', async (request) => {
    const view = viewAt(state, request.query);
    const { id } = request.params as { id: string };
    const i = state.fleet.indexOfId(id);
    if (i < 0 || !view.isLive(i))
      throw new HttpError(404, 'NotFound', `endpoint ${id} is not in the fleet at ${rfc3339(view.at)}`);
    return endpointTruth(view, i, sensorNames(request.query));
  });
}

/**
 * One endpoint at an instant: what it has (findings, readings) and how the Gateway answers it then:
 * which lists are known (`answered`), which fields it leaves null, and each sensor's status.
 */
function endpointTruth(view: FleetView, i: number, sensors: string[]) {
  const endpoint = view.endpoint(i);
  const gaps = view.gaps(i);
  const readings: Record<string, { status: string; columns: { name: string; values: string[] }[] }> = {};
  for (const name of sensors) {
    try {
      readings[name] = {
        status: readingStatus(view.sensorAnswer(i, name)),
        columns: view.sensorReading(i, name).columns,
      };
    } catch (error) {
      if (error instanceof UnknownSensorError || error instanceof SensorParameterError)
        throw new HttpError(400, 'BadRequest', error.message);
      throw error;
    }
  }
  return {
    id: endpoint.id,
    at: rfc3339(view.at),
    eidLastSeen: endpoint.eidLastSeen,
    answered: {
      compliance: !gaps.compliance,
      cveFindings: !(gaps.compliance || gaps.cveFindings),
      complianceFindings: !(gaps.compliance || gaps.complianceFindings),
      nullFields: gaps.endpointFields,
      findingFieldsNull: gaps.findingFields,
    },
    cveFindings: view.cveFindings(i),
    complianceFindings: view.complianceFindings(i),
    sensors: readings,
  };
}

function viewAt(state: EmulatorState, query: unknown): FleetView {
  const at = (query as { at?: unknown } | undefined)?.at;
  const now = state.now();
  if (at === undefined) return state.fleet.view(now);
  if (typeof at !== 'string' || !RFC3339.test(at) || !Number.isFinite(Date.parse(at)))
    throw new HttpError(400, 'BadRequest', `"at" must be an RFC 3339 time such as 2026-01-01T00:00:00Z`);
  const t = Date.parse(at);
  if (t > now)
    throw new HttpError(400, 'BadRequest', `"at" must not be after the emulator's now (${rfc3339(now)})`);
  return state.fleet.view(Math.floor(t / 1000) * 1000);
}

function sinceOf(query: unknown): number {
  const since = (query as { since?: unknown } | undefined)?.since;
  if (typeof since !== 'string' || !RFC3339.test(since) || !Number.isFinite(Date.parse(since)))
    throw new HttpError(400, 'BadRequest', `"since" must be an RFC 3339 time such as 2026-01-01T00:00:00Z`);
  return Date.parse(since);
}

function sensorNames(query: unknown): string[] {
  const sensors = (query as { sensors?: unknown } | undefined)?.sensors;
  if (sensors === undefined) return [];
  if (typeof sensors !== 'string')
    throw new HttpError(400, 'BadRequest', '"sensors" is a comma-separated list');
  return sensors
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
