import { Problem } from '../../common/problem.js';
import { redactUrl } from './redactUrl.js';

/** The URL schemes that name a PostgreSQL database (libpq accepts both). */
export const POSTGRES_SCHEMES = ['postgres:', 'postgresql:'] as const;

/**
 * A schema name that means the same quoted and unquoted (search_path folds unquoted names to lower
 * case): lower-case letters, digits and underscores, not starting with a digit, at most 63 bytes.
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** A PostgreSQL URL taken apart: what pg receives, and what may be shown of it. */
export interface DatabaseTarget {
  /** The URL pg connects with: `schema` removed, everything else (sslmode, …) kept. */
  connectionString: string;
  /** `?schema=NAME`: every pooled client works in it (created if absent); undefined: pg's default. */
  schema: string | undefined;
  /** `host:port/database`, for messages (never the user's password). */
  where: string;
  /** The user name in the URL (undefined: pg's default, the OS user or PGUSER). */
  user: string | undefined;
  /** The URL with its password masked. */
  redacted: string;
  /** The password, so that errors can be scrubbed of it; undefined when the URL has none. */
  password: string | undefined;
}

export function isPostgresUrl(url: string): boolean {
  return POSTGRES_SCHEMES.some((scheme) => url.toLowerCase().startsWith(`${scheme}//`));
}

/** Parses a `postgres://` or `postgresql://` URL; anything else is one `database_url_invalid` problem. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(url, 'it is not a URL');
  }
  if (!isPostgresUrl(url))
    throw invalid(url, `its scheme ${parsed.protocol} is not postgres: or postgresql:`);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !SCHEMA_NAME.test(schema))
    throw invalid(
      url,
      `the schema "${schema}" is not a plain name (lower-case letters, digits, underscores)`,
    );
  parsed.searchParams.delete('schema');
  const password = parsed.password === '' ? undefined : decodeURIComponent(parsed.password);
  const host = parsed.hostname === '' ? 'localhost' : parsed.hostname;
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
  return {
    connectionString: parsed.toString(),
    schema,
    where: `${host}:${parsed.port === '' ? '5432' : parsed.port}/${database}`,
    user: parsed.username === '' ? undefined : decodeURIComponent(parsed.username),
    redacted: redactUrl(url),
    password,
  };
}

/**
 * What a pool of the store connects with: the URL's schema becomes the sessions' `search_path`, added
 * to the URL's own `options` (e.g. `?options=-c%20log_min_duration_statement=0`), since pg lets an
 * `options` in the connection string replace the pool's (the schema was then lost and the store used
 * the user's default schema). Without them, to `PGOPTIONS` from the environment, which pg reads only
 * when no `options` is given (as libpq: the URL's own win).
 */
export function storeConnection(
  target: DatabaseTarget,
  env: NodeJS.ProcessEnv = process.env,
): { connectionString: string; options?: string } {
  if (target.schema === undefined) return { connectionString: target.connectionString };
  const parsed = new URL(target.connectionString);
  // `||`, as pg: an empty `options=` leaves PGOPTIONS in force.
  const own = parsed.searchParams.get('options') || env['PGOPTIONS'] || null;
  parsed.searchParams.delete('options');
  const searchPath = `-c search_path=${target.schema}`;
  return {
    connectionString: parsed.toString(),
    options: own === null || own.trim() === '' ? searchPath : `${own} ${searchPath}`,
  };
}

function invalid(url: string, reason: string): Problem {
  return new Problem({
    code: 'database_url_invalid',
    kind: 'invalid',
    message: `The database URL ${redactUrl(url)} cannot be used: ${reason}.`,
    fix: 'Give a PostgreSQL URL such as postgres://USER@HOST:5432/DATABASE (optionally ?schema=NAME), or leave the option out to use the SQLite file in the home folder.',
    details: { reason },
  });
}
