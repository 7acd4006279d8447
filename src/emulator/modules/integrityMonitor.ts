import type { FastifyInstance } from 'fastify';
import { objectBody, onlyFields, optionalInteger, optionalString, requiredString } from '../body.js';
import type { EmulatorState } from '../emulatorState.js';
import { badBody } from '../httpError.js';
import { optionalBoolean, optionalEnum, optionalIntegerList } from './fields.js';
import { moduleScope } from './gate.js';
import { moduleInfo } from './moduleTable.js';
import { integerParam, notFound, page, pathId, type Query, queryOf } from './query.js';
import { DAY, iso, SEED_EPOCH_MS } from './seeded.js';

/**
 * Integrity Monitor (`/plugin/products/integrity-monitor`). Tanium publishes no REST path for it
 * (only experimental Gateway fields): the routes, the `{data}` envelope and offset/limit paging are
 * ASSUMPTIONS; monitor fields follow the Gateway's `IntegrityMonitorMonitor` type.
 */
const PRIORITIES = ['low', 'medium', 'high'] as const;

type Monitor = Record<string, unknown> & { id: number; name: string };

export function integrityMonitorModule(app: FastifyInstance, state: EmulatorState): void {
  const labels = ['PCI', 'Critical Config', 'Audit'].map((name, i) => ({
    id: i + 1,
    name,
    description: `${name} label`,
  }));
  const watchlists = [
    ['Windows system binaries', 'windows', 'C:\\Windows\\System32'],
    ['Windows Run keys', 'windows', 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run'],
    ['Unix etc', 'unix', '/etc'],
    ['Unix binaries', 'unix', '/usr/bin'],
  ].map(([name, platform, path], i) => ({
    id: i + 1,
    name,
    platform,
    paths: [{ path, recursive: true, includeFilters: [], excludeFilters: [] }],
    labelIds: [1 + (i % labels.length)],
    createdAt: iso(SEED_EPOCH_MS - 40 * DAY),
    updatedAt: iso(SEED_EPOCH_MS - 40 * DAY),
  }));
  const monitors: Monitor[] = Array.from({ length: 8 }, (_, i) => ({
    id: i + 1,
    name: `Monitor ${i + 1}`,
    description: 'Seeded monitor',
    priority: PRIORITIES[i % 3],
    revision: 1,
    collectProcessInformation: i % 2 === 0,
    databaseMaximumSizeMegabytes: 500,
    indexScanFrequency: 'weekly',
    monitorPruningAge: 30,
    deploymentStatus: 'deployed',
    watchlistIds: [1 + (i % watchlists.length)],
    computerGroupIds: [1],
    createdAt: iso(SEED_EPOCH_MS - (30 - i) * DAY),
    updatedAt: iso(SEED_EPOCH_MS - (30 - i) * DAY),
  }));

  const listed = <T>(items: T[], query: Query) => {
    const offset = integerParam(query, 'offset', { min: 0 }) ?? 0;
    const limit = integerParam(query, 'limit', { min: 1, max: 500 });
    return { data: page(items, offset, limit), total: items.length };
  };

  moduleScope(app, moduleInfo('integrityMonitor'), (scope) => {
    scope.get('/v1/status', async () => ({
      data: { isDeployingMonitors: false, isDeployingWatchlists: false },
    }));
    scope.get('/v1/monitors', async (request) => listed(monitors, queryOf(request)));
    scope.get<{ Params: { id: string } }>('/v1/monitors/:id', async (request) => {
      const id = pathId(request.params.id, 'MonitorNotFound', 'monitor');
      const monitor = monitors.find((m) => m.id === id);
      if (!monitor) throw notFound('MonitorNotFound', 'monitor', id);
      return { data: monitor };
    });
    scope.post('/v1/monitors', async (request, reply) => {
      const body = objectBody(request.body, false);
      onlyFields(body, [
        'name',
        'description',
        'priority',
        'collectProcessInformation',
        'databaseMaximumSizeMegabytes',
        'monitorPruningAge',
        'watchlistIds',
        'computerGroupIds',
      ]);
      const name = requiredString(body, 'name');
      if (monitors.some((m) => m.name === name)) throw badBody(`a monitor named "${name}" already exists`);
      const watchlistIds = optionalIntegerList(body, 'watchlistIds') ?? [];
      const unknown = watchlistIds.find((id) => !watchlists.some((w) => w.id === id));
      if (unknown !== undefined) throw badBody(`"watchlistIds" names no watchlist: ${unknown}`);
      const computerGroupIds = optionalIntegerList(body, 'computerGroupIds') ?? [];
      if (computerGroupIds.length === 0)
        throw badBody('field "computerGroupIds" is required: at least one computer group');
      const size = optionalInteger(body, 'databaseMaximumSizeMegabytes') ?? 500;
      if (size < 1) throw badBody('"databaseMaximumSizeMegabytes" must be at least 1');
      const now = iso(state.now());
      const monitor: Monitor = {
        id: monitors.length + 1,
        name,
        description: optionalString(body, 'description') ?? '',
        priority: optionalEnum(body, 'priority', PRIORITIES) ?? 'medium',
        revision: 1,
        collectProcessInformation: optionalBoolean(body, 'collectProcessInformation') ?? false,
        databaseMaximumSizeMegabytes: size,
        indexScanFrequency: 'weekly',
        monitorPruningAge: optionalInteger(body, 'monitorPruningAge') ?? 30,
        deploymentStatus: 'pending',
        watchlistIds,
        computerGroupIds,
        createdAt: now,
        updatedAt: now,
      };
      monitors.push(monitor);
      return reply.code(201).send({ data: monitor });
    });
    scope.get('/v1/watchlists', async (request) => listed(watchlists, queryOf(request)));
    scope.get<{ Params: { id: string } }>('/v1/watchlists/:id', async (request) => {
      const id = pathId(request.params.id, 'WatchlistNotFound', 'watchlist');
      const watchlist = watchlists.find((w) => w.id === id);
      if (!watchlist) throw notFound('WatchlistNotFound', 'watchlist', id);
      return { data: watchlist };
    });
    scope.get('/v1/labels', async (request) => listed(labels, queryOf(request)));
  });
}
