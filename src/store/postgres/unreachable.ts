import { Problem } from '../../common/problem.js';
import type { DatabaseTarget } from './databaseUrl.js';
import { scrubError } from './redactUrl.js';
import { refusedProblem } from './refused.js';

/** Network errors (Node's codes) that mean the server could not be reached at all. */
const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'nothing accepts connections there',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'the connection timed out',
  ECONNRESET: 'the server closed the connection',
};

/** PostgreSQL's SQLSTATE codes for a login the server refused or a database it does not have. */
const SERVER: Record<string, string> = {
  '28P01': 'the server refused the password',
  '28000': 'the server refused the login',
  '3D000': 'the database does not exist',
  '42501': 'the user may not create or use the schema',
  '57P03': 'the server is starting up or shutting down',
  '53300': 'the server has no free connection slots',
  '57P01': 'the server ended the connection (shut down or restarted)',
  '57P02': 'the server ended the connection (it crashed)',
  '08000': 'the connection failed',
  '08001': 'the server refused the connection',
  '08003': 'the connection is gone',
  '08006': 'the connection failed',
};

/** Why the connection failed, in words; undefined when the error is not about reaching the database. */
function reasonOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return NETWORK[code] ?? SERVER[code];
  const message = error instanceof Error ? error.message : '';
  // pg's own wording when connectionTimeoutMillis passes, or the socket ends during the handshake.
  if (/connection timeout|timeout expired/i.test(message)) return 'the connection timed out';
  if (/Connection terminated|not queryable/i.test(message)) return 'the server closed the connection';
  return undefined;
}

/**
 * One `database_unreachable` problem for a server that cannot be reached, refuses the login or lacks
 * the database, naming host:port/database; one `database_refused` problem for a statement it refused
 * for its own settings or state (refused.ts); other errors pass through (their messages scrubbed of
 * the password either way).
 */
export function unreachableProblem(error: unknown, target: DatabaseTarget): unknown {
  const scrubbed = scrubError(error, target.password);
  const refused = refusedProblem(error, target, scrubbed);
  if (refused !== undefined) return refused;
  const found = reasonOf(error);
  if (found === undefined) return scrubbed;
  const login = (error as { code?: unknown }).code;
  const reason =
    (login === '28P01' || login === '28000') && target.user !== undefined
      ? `${found} of user "${target.user}"`
      : found;
  return new Problem({
    code: 'database_unreachable',
    kind: 'unavailable',
    message: `Cannot use the PostgreSQL database ${target.where}: ${reason}.`,
    fix: 'Check that the server runs and accepts connections there, and that the URL names a user and database it has (for example postgres://USER@HOST:5432/DATABASE).',
    details: { where: target.where, reason },
    cause: scrubbed,
  });
}
