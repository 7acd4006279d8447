import { randomBytes } from 'node:crypto';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBoss } from '../../src/jobs/workers/startBoss.js';
import { runCli, tempHome } from '../helpers/runCli.js';
import { openScale, type Scale, startProc } from './workerHarness.js';

describe('tanium-bridge worker: its command line', () => {
  let scale: Scale;
  beforeAll(async () => {
    scale = await openScale();
  }, 60_000);
  afterAll(() => scale?.close(), 60_000);

  it('without a PostgreSQL URL: one line with the fix, exit 1; --json gives the code', async () => {
    const home = tempHome();
    const none = await runCli(['worker'], { home, env: { TANIUM_BRIDGE_DB: '' } });
    expect(none.code).toBe(1);
    expect(none.stderr.trim().split('\n')).toEqual([
      'The worker needs a PostgreSQL store, and no database URL was given. Pass --db postgres://USER@HOST:5432/DATABASE (or set TANIUM_BRIDGE_DB); serve and every worker use the same database and master key.',
    ]);
    const json = await runCli(['worker', '--json'], { home, env: { TANIUM_BRIDGE_DB: '' } });
    expect(JSON.parse(json.stdout.trim())).toMatchObject({ error: { code: 'worker_needs_postgres' } });
    const other = await runCli(['worker', '--db', 'mysql://root:hunter22@db/x'], { home });
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('mysql://root:***@db/x is not a PostgreSQL URL');
    expect(other.stderr).not.toContain('hunter22');
    const bad = await runCli(['worker', '--db', scale.url, '--concurrency', '0'], { home });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('Invalid --concurrency "0": use a whole number from 1 to 32.');
  }, 60_000);

  it('shows its database URL with the password masked, and stops on SIGTERM with exit 0', async () => {
    const secret = 'pw-never-shown-42';
    const url = scale.url.replace('postgres://postgres@', `postgres://postgres:${secret}@`);
    const worker = await startProc(['worker', '--db', url, '--json'], { ...scale.env, TANIUM_BRIDGE_DB: '' });
    const announced = JSON.parse(worker.firstLine) as { db: string; concurrency: number; pid: number };
    expect(announced.db).toBe(url.replace(secret, '***'));
    expect(announced).toMatchObject({ concurrency: 2, pid: worker.child.pid });
    expect(await worker.stop()).toBe(0);
    expect(worker.stdout() + worker.logs()).not.toContain(secret);
    expect(worker.logs()).toContain('"msg":"stopped"');
  }, 60_000);

  it('a user who may not create the job queue: worker and serve --no-scheduler say so in one line with the grant, exit 1', async () => {
    const suffix = randomBytes(3).toString('hex');
    const role = `tb_noqueue_${suffix}`;
    const schema = `tbq_${suffix}`;
    const secret = `pw-${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: scale.url.split('?')[0] });
    await admin.connect();
    try {
      // The store's schema is the user's own, but it may not create schemas (pg-boss's) in the database.
      await admin.query(`CREATE ROLE "${role}" LOGIN PASSWORD '${secret}'`);
      await admin.query(`CREATE SCHEMA "${schema}" AUTHORIZATION "${role}"`);
      const url = new URL(scale.url);
      url.username = role;
      url.password = secret;
      url.searchParams.set('schema', schema);
      const env = { ...scale.env, TANIUM_BRIDGE_DB: url.toString() };
      const expected = `The PostgreSQL user "${role}" may not create or use the job queue's schema "${schema}_pgboss" in ${url.host}${url.pathname}. Let it create schemas in that database (GRANT CREATE ON DATABASE "${url.pathname.slice(1)}" TO "${role}"), at least until its first start has installed the queue there.`;
      for (const args of [['worker'], ['serve', '--port', '0', '--no-scheduler']]) {
        const run = await runCli(args, { home: tempHome(), env });
        expect(run.code, run.stderr).toBe(1);
        expect(run.stderr.trim().split('\n')).toEqual([expected]);
        const json = await runCli([...args, '--json'], { home: tempHome(), env });
        expect(JSON.parse(json.stdout.trim().split('\n').at(-1)!)).toMatchObject({
          error: { code: 'job_queue_denied' },
        });
        expect(run.stdout + run.stderr + json.stdout + json.stderr).not.toContain(secret);
      }
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`);
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.query(`DROP ROLE IF EXISTS "${role}"`);
      await admin.end();
    }
  }, 90_000);

  it('a queue schema installed by another role: the fix is USAGE on it and rights on its tables, and those grants let the worker start', async () => {
    const suffix = randomBytes(3).toString('hex');
    const role = `tb_otherq_${suffix}`;
    const schema = `tbo_${suffix}`;
    const secret = `pw-${randomBytes(6).toString('hex')}`;
    const base = scale.url.split('?')[0] as string;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    const procs: { stop(): Promise<number | null> }[] = [];
    try {
      await admin.query(`CREATE ROLE "${role}" LOGIN PASSWORD '${secret}'`);
      await admin.query(`CREATE SCHEMA "${schema}" AUTHORIZATION "${role}"`);
      // The queue was installed by the admin (another role), as a first start by another user leaves it.
      const installed = new PgBoss({ connectionString: base, schema: `${schema}_pgboss`, supervise: false });
      installed.on('error', () => undefined);
      await startBoss(installed, base, `${schema}_pgboss`);
      await installed.stop({ graceful: false, wait: true });
      const url = new URL(scale.url);
      url.username = role;
      url.password = secret;
      url.searchParams.set('schema', schema);
      const env = { ...scale.env, TANIUM_BRIDGE_DB: url.toString() };
      const run = await runCli(['worker'], { home: tempHome(), env });
      expect(run.code, run.stderr).toBe(1);
      const queue = `${schema}_pgboss`;
      const owner = decodeURIComponent(new URL(base).username);
      expect(run.stderr.trim().split('\n')).toEqual([
        `The PostgreSQL user "${role}" may not use the job queue's schema "${queue}" in ${url.host}${url.pathname}, which belongs to "${owner}". Let it use that schema and its tables (GRANT USAGE ON SCHEMA "${queue}" TO "${role}"; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "${queue}" TO "${role}"), or run every process as "${owner}".`,
      ]);
      expect(run.stdout + run.stderr).not.toContain(secret);
      await admin.query(`GRANT USAGE ON SCHEMA "${queue}" TO "${role}"`);
      await admin.query(
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "${queue}" TO "${role}"`,
      );
      const worker = await startProc(['worker', '--json', '--tick', '0.5s'], env);
      procs.push(worker);
      expect(JSON.parse(worker.firstLine)).toMatchObject({ pid: worker.child.pid });
      expect(await worker.stop()).toBe(0);
    } finally {
      await Promise.allSettled(procs.map((p) => p.stop()));
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`);
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.query(`DROP OWNED BY "${role}"`).catch(() => undefined);
      await admin.query(`DROP ROLE IF EXISTS "${role}"`);
      await admin.end();
    }
  }, 90_000);

  it('a queue server that cannot be reached: database_unreachable naming host:port/database, the password masked', async () => {
    const secret = 'pw-unreachable-7';
    const url = `postgres://someone:${secret}@127.0.0.1:1/test`;
    const boss = new PgBoss({ connectionString: url, schema: 'pgboss', supervise: false, schedule: false });
    boss.on('error', () => undefined);
    const failed = await startBoss(boss, url, 'pgboss').then(
      () => undefined,
      (error: unknown) => error as { code: string; message: string; fix: string },
    );
    expect(failed).toMatchObject({
      code: 'database_unreachable',
      message: 'Cannot use the PostgreSQL database 127.0.0.1:1/test: nothing accepts connections there.',
    });
    expect(JSON.stringify(failed) + failed!.message).not.toContain(secret);
  }, 30_000);
});
