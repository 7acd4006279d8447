import type PgBoss from 'pg-boss';
import { isProblem, Problem } from '../../common/problem.js';
import { parseDatabaseUrl } from '../../store/postgres/databaseUrl.js';
import { scrubError } from '../../store/postgres/redactUrl.js';
import { unreachableProblem } from '../../store/postgres/unreachable.js';
import { ensureQueues } from './bossConfig.js';

/** PostgreSQL's SQLSTATE for a privilege the user lacks (CREATE on the database, or on the schema's tables). */
const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * Starts pg-boss (installing or migrating its schema on first use) and makes sure both queues exist.
 * A failure becomes one problem: the user may not create or use the queue's schema (with the grant
 * that fixes it), the server cannot be reached (as the store says it), or else the queue could not
 * start, with pg's one-line reason; never a stack, never the password. The pool is closed either way.
 */
export async function startBoss(boss: PgBoss, url: string, schema: string): Promise<void> {
  try {
    await boss.start();
    await ensureQueues(boss);
  } catch (error) {
    await boss.stop({ graceful: false, wait: true, timeout: 1_000 }).catch(() => undefined);
    throw queueProblem(error, url, schema);
  }
}

export function queueProblem(error: unknown, url: string, schema: string): Problem {
  const target = parseDatabaseUrl(url);
  const database = target.where.slice(target.where.indexOf('/') + 1);
  const who = target.user === undefined ? 'The PostgreSQL user' : `The PostgreSQL user "${target.user}"`;
  const grantee = target.user ?? 'USER';
  if ((error as { code?: unknown } | null)?.code === INSUFFICIENT_PRIVILEGE)
    return new Problem({
      code: 'job_queue_denied',
      kind: 'forbidden',
      message: `${who} may not create or use the job queue's schema "${schema}" in ${target.where}.`,
      fix: `Let it create schemas in that database (GRANT CREATE ON DATABASE "${database}" TO "${grantee}"), at least until its first start has installed the queue there.`,
      details: { where: target.where, schema },
    });
  const unreachable = unreachableProblem(error, target);
  if (isProblem(unreachable)) return unreachable;
  const scrubbed = scrubError(error, target.password);
  const reason = (scrubbed instanceof Error ? scrubbed.message : String(scrubbed))
    .replace(/\s+/g, ' ')
    .slice(0, 200);
  return new Problem({
    code: 'job_queue_failed',
    kind: 'unavailable',
    message: `The job queue (pg-boss, schema "${schema}") could not start in ${target.where}: ${reason}.`,
    fix: 'Check that the database accepts this user and that nothing else owns that schema.',
    details: { where: target.where, schema },
  });
}
