import { Problem } from '../../common/problem.js';
import type { DatabaseTarget } from './databaseUrl.js';

/** What the server said, and what an operator does about it. */
interface Refusal {
  reason: string;
  fix: (role: string) => string;
}

const timeoutFix = (setting: string) => (role: string) =>
  `Raise or unset ${setting} for tanium-bridge's login (ALTER ROLE ${role} SET ${setting} = 0, or -c ${setting}=0 in PGOPTIONS or the URL's options=), then run it again.`;

/**
 * PostgreSQL's SQLSTATE codes for a server that was reached and accepted the login but refused a
 * statement for its own settings or state (PostgreSQL documentation, Appendix A "Error Codes").
 */
const REFUSALS: Record<string, Refusal> = {
  '57014': {
    reason: 'a statement was cancelled (statement_timeout passed, or an administrator cancelled it)',
    fix: timeoutFix('statement_timeout'),
  },
  '55P03': {
    reason: 'a lock was not granted within lock_timeout',
    fix: timeoutFix('lock_timeout'),
  },
  '25P03': {
    reason: 'the server ended a transaction left idle longer than idle_in_transaction_session_timeout',
    fix: timeoutFix('idle_in_transaction_session_timeout'),
  },
  '25006': {
    reason: 'it accepts only reads (a standby, or default_transaction_read_only is on)',
    fix: (role) =>
      `Point the URL at the primary server, or turn default_transaction_read_only off (ALTER ROLE ${role} SET default_transaction_read_only = off).`,
  },
  '53100': {
    reason: 'its disk is full',
    fix: () => 'Free space on the database server (or grow its volume), then run it again.',
  },
  '53200': {
    reason: 'it ran out of memory',
    fix: () => 'Give the database server more memory or lower its load, then run it again.',
  },
};

/**
 * One `database_refused` problem for a statement the server refused for its own settings or state
 * (a timeout, a read-only server, a full disk), naming host:port/database and the setting to change;
 * undefined for any other error. `cause` is the error already scrubbed of the password.
 */
export function refusedProblem(error: unknown, target: DatabaseTarget, cause: unknown): Problem | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  const refusal = typeof code === 'string' && Object.hasOwn(REFUSALS, code) ? REFUSALS[code] : undefined;
  if (refusal === undefined) return undefined;
  return new Problem({
    code: 'database_refused',
    kind: 'unavailable',
    message: `The PostgreSQL database ${target.where} refused the command: ${refusal.reason}.`,
    fix: refusal.fix(roleName(target.user)),
    details: { where: target.where, reason: refusal.reason, sqlstate: code },
    cause,
  });
}

/**
 * The login as SQL names it, always quoted (a plain name may still be a reserved word: `user`);
 * CURRENT_USER when the URL names none.
 */
function roleName(user: string | undefined): string {
  if (user === undefined || user === '') return 'CURRENT_USER';
  return `"${user.replaceAll('"', '""')}"`;
}
