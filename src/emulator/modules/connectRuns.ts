import type { FastifyInstance } from 'fastify';
import type { EmulatorState } from '../emulatorState.js';
import type { Connection } from './connection.js';
import { integerParam, notFound, page, pathId, queryOf } from './query.js';
import { iso } from './seeded.js';

/** A run reports Running for this long (emulator clock), then Finished, unless stopped first. */
export const CONNECT_RUN_MS = 10_000;
/** Rows a finished run reports per second of its run (the counts are not measured). */
const ROWS_PER_RUN = 250;

interface Run {
  id: number;
  connectionId: number;
  log: string;
  startedMs: number;
  /** When a stop ended it; a stopped run stays Failed. */
  stoppedMs?: number;
  createdAt: string;
}

/**
 * Runs of a connection: start, list, get, stop (one run, or every run of the connection) and the
 * run's log lines. Status follows Connect's enum (Starting, Running, Failed, Finished); a stopped
 * run reports Failed, since the enum has no "stopped" value.
 */
export function connectRunRoutes(
  scope: FastifyInstance,
  state: EmulatorState,
  connectionById: (raw: string) => Connection,
): void {
  const runs: Run[] = [];

  const statusOf = (run: Run) => {
    if (run.stoppedMs !== undefined) return 'Failed';
    return state.now() - run.startedMs < CONNECT_RUN_MS ? 'Running' : 'Finished';
  };
  const endMs = (run: Run) => run.stoppedMs ?? Math.min(state.now(), run.startedMs + CONNECT_RUN_MS);

  const lines = (run: Run) => {
    const status = statusOf(run);
    const out = [{ time: run.createdAt, level: 'info', message: run.log }];
    if (status === 'Failed') out.push({ time: iso(endMs(run)), level: 'warn', message: 'run stopped' });
    if (status === 'Finished') out.push({ time: iso(endMs(run)), level: 'info', message: 'run finished' });
    return out;
  };

  const runView = (run: Run) => {
    const status = statusOf(run);
    const rows = status === 'Finished' ? ROWS_PER_RUN * (1 + (run.connectionId % 4)) : 0;
    return {
      id: run.id,
      connectionId: run.connectionId,
      log: lines(run)
        .map((line) => line.message)
        .join('\n'),
      status,
      sourceRowCount: rows,
      destinationRowCount: rows,
      sourceByteCount: rows * 120,
      destinationByteCount: rows * 120,
      createdAt: run.createdAt,
      updatedAt: iso(endMs(run)),
    };
  };

  const runOf = (connection: Connection, raw: string): Run => {
    const runId = pathId(raw, 'NotFound', 'run');
    const run = runs.find((r) => r.id === runId && r.connectionId === connection.id);
    if (!run) throw notFound('NotFound', 'run', runId);
    return run;
  };

  const stop = (run: Run) => {
    if (statusOf(run) === 'Running') run.stoppedMs = state.now();
  };

  scope.get<{ Params: { id: string } }>('/v1/connections/:id/runs', async (request) => {
    const connection = connectionById(request.params.id);
    const query = queryOf(request);
    const offset = integerParam(query, 'offset', { min: 0 }) ?? 0;
    const limit = integerParam(query, 'limit', { min: 1 });
    return page(runs.filter((r) => r.connectionId === connection.id).map(runView), offset, limit);
  });

  // Connect's description answers a started run with 200 (not 201).
  scope.post<{ Params: { id: string } }>('/v1/connections/:id/runs', async (request) => {
    const connection = connectionById(request.params.id);
    const now = state.now();
    const run: Run = {
      id: runs.length + 1,
      connectionId: connection.id,
      log: `run started by ${request.principal!.user.name}`,
      startedMs: now,
      createdAt: iso(now),
    };
    runs.push(run);
    return { ...runView(run), status: 'Starting' };
  });

  scope.get<{ Params: { id: string; runId: string } }>('/v1/connections/:id/runs/:runId', async (request) =>
    runView(runOf(connectionById(request.params.id), request.params.runId)),
  );

  scope.get<{ Params: { id: string; runId: string } }>(
    '/v1/connections/:id/runs/:runId/logs',
    async (request) => {
      const run = runOf(connectionById(request.params.id), request.params.runId);
      const offset = integerParam(queryOf(request), 'offset', { min: 0 }) ?? 0;
      return lines(run).slice(offset);
    },
  );

  // Stopping answers an empty object; stopping a run that already ended changes nothing.
  scope.post<{ Params: { id: string; runId: string } }>(
    '/v1/connections/:id/runs/:runId/stop',
    async (request) => {
      stop(runOf(connectionById(request.params.id), request.params.runId));
      return {};
    },
  );

  scope.post<{ Params: { id: string } }>('/v1/connections/:id/stop', async (request) => {
    const connection = connectionById(request.params.id);
    for (const run of runs) if (run.connectionId === connection.id) stop(run);
    return {};
  });
}
