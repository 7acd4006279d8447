import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Problem } from '../../common/problem.js';
import { requireConnection } from '../../connections/editConnection.js';
import type { RowQuery } from '../../store/rowQuery.js';
import { STREAM_NAMES, STREAMS, type StreamName } from '../../streams/index.js';
import { exportRows, exportText } from '../../streams/rowExport.js';
import { rowFilters, STREAM_QUERIES } from '../../streams/rowFilters.js';
import { type FieldType, readFields } from '../../streams/stream.js';
import type { ServerDeps } from '../deps.js';
import { errors, nameParams } from '../schemas.js';

const MAX_LIMIT = 1000;

interface DataQuery {
  limit?: number;
  cursor?: string;
  sort?: string;
  order?: 'asc' | 'desc';
  q?: string;
  format?: 'json' | 'ndjson' | 'csv';
  [filter: string]: unknown;
}

function querystringFor(stream: StreamName) {
  const def = STREAM_QUERIES[stream];
  const filterProps = Object.fromEntries(
    def.filters.map((f) => [f.param, { type: 'string', maxLength: 1000, description: f.description }]),
  );
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 100 },
      cursor: { type: 'string', maxLength: 2000, description: 'nextCursor of the previous page' },
      sort: { type: 'string', enum: [...def.sortable], description: 'default: the primary key' },
      order: { type: 'string', enum: ['asc', 'desc'], default: 'asc' },
      q: { type: 'string', minLength: 1, maxLength: 200, description: `free text in ${def.text.join(', ')}` },
      format: {
        type: 'string',
        enum: ['json', 'ndjson', 'csv'],
        default: 'json',
        description: 'ndjson and csv stream the whole filtered set (no paging)',
      },
      ...filterProps,
    },
  } as const;
}

const JSON_TYPES: Record<FieldType, object> = {
  text: { type: ['string', 'null'] },
  integer: { type: ['integer', 'null'] },
  real: { type: ['number', 'null'] },
  boolean: { type: ['boolean', 'null'] },
  json: {},
};

/**
 * The page's shape: documents the columns in the OpenAPI document, and lets fastify serialise rows with
 * a compiled serializer instead of JSON.stringify.
 */
function pageSchema(stream: StreamName) {
  const properties = Object.fromEntries(readFields(STREAMS[stream]).map((f) => [f.name, JSON_TYPES[f.type]]));
  return {
    type: 'object',
    properties: {
      rows: { type: 'array', items: { type: 'object', properties } },
      nextCursor: { type: ['string', 'null'] },
    },
  } as const;
}

/** A cursor is bound to its query (stream, filters, sort), so one from another query is refused. */
function fingerprint(query: Omit<RowQuery, 'after' | 'limit'>): string {
  const { connection, stream, filters, text, sort } = query;
  return createHash('sha256')
    .update(JSON.stringify({ connection, stream, filters, text, sort }))
    .digest('base64url')
    .slice(0, 12);
}

const badCursor = () =>
  new Problem({
    code: 'invalid_cursor',
    kind: 'malformed',
    message: 'The cursor is not one this query gave out.',
    fix: 'Pass the nextCursor of the previous page with the same filters and sort, or leave it out.',
  });

function decodeCursor(cursor: string, expected: string): unknown[] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      f?: unknown;
      a?: unknown;
    };
    if (parsed.f === expected && Array.isArray(parsed.a)) return parsed.a;
  } catch {
    // fall through
  }
  throw badCursor();
}

const encodeCursor = (fp: string, after: unknown[]) =>
  Buffer.from(JSON.stringify({ f: fp, a: after }), 'utf8').toString('base64url');

/** The synced data: a page of rows with filters, sort and cursor, or the whole set streamed. */
export function dataRoutes(app: FastifyInstance, deps: ServerDeps): void {
  for (const stream of STREAM_NAMES) {
    app.get<{ Params: { name: string }; Querystring: DataQuery }>(
      `/v1/connections/:name/${stream}`,
      {
        schema: {
          tags: ['data'],
          summary: `Synced ${stream} rows`,
          params: nameParams,
          querystring: querystringFor(stream),
          response: { 200: pageSchema(stream), ...errors(400, 404, 422) },
        },
      },
      async (request, reply) => {
        const name = (await requireConnection(deps.ctx, request.params.name)).name;
        const { limit = 100, cursor, sort, order, q, format = 'json' } = request.query;
        const def = STREAM_QUERIES[stream];
        const base: Omit<RowQuery, 'after' | 'limit'> = {
          connection: name,
          stream,
          filters: rowFilters(stream, request.query),
          ...(q === undefined ? {} : { text: { columns: def.text, value: q } }),
          ...(sort === undefined && order !== 'desc'
            ? {}
            : { sort: { column: sort ?? '', descending: order === 'desc' } }),
        };
        if (format !== 'json') {
          reply.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson');
          reply.header('content-disposition', `attachment; filename="${name}-${stream}.${format}"`);
          return reply.send(Readable.from(exportText(exportRows(deps.ctx.store, base, format))));
        }
        const fp = fingerprint(base);
        const page = await deps.ctx.store.rowQuery.page({
          ...base,
          limit,
          ...(cursor === undefined ? {} : { after: decodeCursor(cursor, fp) }),
        });
        return { rows: page.rows, nextCursor: page.next === null ? null : encodeCursor(fp, page.next) };
      },
    );
  }
}
