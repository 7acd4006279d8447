/**
 * `--db` and TANIUM_BRIDGE_DB through the real CLI: a URL that is not PostgreSQL's, a server that is
 * not there, a database it lacks, a login it refuses: one line naming host:port/database and the fix,
 * exit 1, and the URL's password nowhere in the output. SQLite stays the default and never loads pg.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { dialectHomes } from '../helpers/dialectHomes.js';
import { startHarness } from '../helpers/emulatorHarness.js';
import {
  bindHome,
  boundEnv,
  CLI_SUITE_TIMEOUT_MS,
  type CliResult,
  runCli,
  tempHome,
} from '../helpers/runCli.js';
import { type Served, serve } from '../helpers/serveHarness.js';
import { POSTGRES_DIALECTS } from '../store/dialects.js';

const PASSWORD = 'pw-db-test-7f3a9c';

/** A loopback port nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function status(db: string, how: 'flag' | 'env' = 'flag', json = false): Promise<CliResult> {
  const args = ['status', ...(json ? ['--json'] : []), ...(how === 'flag' ? ['--db', db] : [])];
  return runCli(args, { home: tempHome(), env: how === 'env' ? { TANIUM_BRIDGE_DB: db } : {} });
}

/** The URL with a password in it (the local server trusts the login and ignores it). */
function withPasswordIn(url: string): string {
  const parsed = new URL(url);
  parsed.password = PASSWORD;
  return parsed.toString();
}

function expectOneLine(result: CliResult, pattern: RegExp): void {
  expect(result.code, result.stderr).toBe(1);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr + result.stdout).not.toContain(PASSWORD);
  expect(result.stderr).not.toMatch(/at .*\.js:\d+|Unexpected error/);
}

/** A resolve hook that fails any import of `pg`: a command that loads it dies of it. */
const NO_PG = `--import=data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module';
   register('data:text/javascript,' + encodeURIComponent(
     'export async function resolve(s, c, next) { if (s === "pg") throw new Error("pg was loaded"); return next(s, c); }'));`,
)}`;

describe('--db (CLI)', { timeout: CLI_SUITE_TIMEOUT_MS }, () => {
  it('a URL that is not PostgreSQL: database_url_invalid, its password masked', async () => {
    const result = await status(`mysql://admin:${PASSWORD}@db.example/app`);
    expectOneLine(
      result,
      /^The database URL mysql:\/\/admin:\*\*\*@db\.example\/app cannot be used: its scheme mysql: is not postgres: or postgresql:\. Give a PostgreSQL URL/,
    );
    const json = await status('not a url', 'env', true);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout.trim())).toMatchObject({ error: { code: 'database_url_invalid' } });
  });

  it('a server that is not there: database_unreachable naming host:port/database', async () => {
    const port = await closedPort();
    const url = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/test`;
    expectOneLine(
      await status(url),
      new RegExp(
        `^Cannot use the PostgreSQL database 127\\.0\\.0\\.1:${port}/test: nothing accepts connections there\\. Check that the server runs`,
      ),
    );
    const json = await status(url, 'env', true);
    expect(JSON.parse(json.stdout.trim())).toMatchObject({ error: { code: 'database_unreachable' } });
    expect(json.stdout + json.stderr).not.toContain(PASSWORD);
  });

  it('without --db or TANIUM_BRIDGE_DB, SQLite: --help and status never load pg', async () => {
    const env = { NODE_OPTIONS: NO_PG, TANIUM_BRIDGE_DB: '' };
    const help = await runCli(['--help'], { home: tempHome(), env });
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('--db <url>');
    const plain = await runCli(['status'], { home: tempHome(), env });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/^No connections yet/);
    // The hook does catch pg: the same command on PostgreSQL fails with it.
    const port = await closedPort();
    const pg = await runCli(['status', '--db', `postgres://u@127.0.0.1:${port}/test`], {
      home: tempHome(),
      env,
    });
    expect(pg.code).not.toBe(0);
    expect(pg.stderr).toContain('pg was loaded');
  });
});

describe.each(POSTGRES_DIALECTS)(
  '--db against the PostgreSQL server ($name)',
  { timeout: CLI_SUITE_TIMEOUT_MS },
  (dialect) => {
    it('a database the server lacks, a user it refuses: database_unreachable, password never shown', async () => {
      const { env } = await dialect.cliEnv();
      const base = new URL((env['TANIUM_BRIDGE_DB'] as string).replace(/\?.*$/, ''));
      const where = `${base.hostname}:${base.port || '5432'}`;
      const missing = `postgres://${base.username}:${PASSWORD}@${base.host}/tb_no_such_database`;
      expectOneLine(
        await status(missing),
        new RegExp(
          `^Cannot use the PostgreSQL database ${where.replaceAll('.', '\\.')}/tb_no_such_database: the database does not exist\\.`,
        ),
      );
      const stranger = `postgres://tb_no_such_user:${PASSWORD}@${base.host}${base.pathname}`;
      expectOneLine(
        await status(stranger, 'env'),
        new RegExp(
          `^Cannot use the PostgreSQL database ${where.replaceAll('.', '\\.')}${base.pathname}: the server refused (the login|the password) of user "tb_no_such_user"\\.`,
        ),
      );
    });

    it('a server that accepts only reads: database_refused, one line with the fix, password never shown', async () => {
      const { env, drop } = await dialect.cliEnv();
      try {
        const db = withPasswordIn(env['TANIUM_BRIDGE_DB'] as string);
        const readOnly = { PGOPTIONS: '-c default_transaction_read_only=on' };
        const line = await runCli(['status', '--db', db], { home: tempHome(), env: readOnly });
        expectOneLine(
          line,
          /^The PostgreSQL database \S+ refused the command: it accepts only reads \(a standby, or default_transaction_read_only is on\)\. Point the URL at the primary server/,
        );
        const json = await runCli(['status', '--json', '--db', db], { home: tempHome(), env: readOnly });
        expect(json.code).toBe(1);
        expect(JSON.parse(json.stdout.trim())).toMatchObject({ error: { code: 'database_refused' } });
        expect(json.stdout + json.stderr).not.toContain(PASSWORD);
      } finally {
        await drop();
      }
    });

    it('TANIUM_BRIDGE_DB and --db open the same store; --db wins over the variable', async () => {
      const a = await dialect.cliEnv();
      const b = await dialect.cliEnv();
      const home = tempHome();
      try {
        const created = await runCli(['apikey', 'create', '--name', 'pgkey', '--role', 'viewer', '--json'], {
          home,
          env: a.env,
        });
        expect(created.code, created.stderr).toBe(0);
        const secret = (JSON.parse(created.stdout) as { key: string }).key;
        const names = async (args: string[], env: Record<string, string>) => {
          const listed = await runCli(['apikey', 'list', '--json', ...args], { home, env });
          expect(listed.code, listed.stderr).toBe(0);
          expect(listed.stdout).not.toContain(secret);
          return (JSON.parse(listed.stdout) as { keys: { name: string }[] }).keys.map((key) => key.name);
        };
        expect(await names(['--db', a.env['TANIUM_BRIDGE_DB'] as string], b.env)).toEqual(['pgkey']);
        expect(await names([], b.env)).toEqual([]);
        expect(await names([], { TANIUM_BRIDGE_DB: '' })).toEqual([]);
      } finally {
        await a.drop();
        await b.drop();
      }
    });
  },
);

describe.each(POSTGRES_DIALECTS)('serve --db ($name)', { timeout: CLI_SUITE_TIMEOUT_MS }, (dialect) => {
  it('serves the PostgreSQL store: its connections and its keys, not the SQLite file in the home', async () => {
    const h = await startHarness({ endpoints: 30 });
    const stores = dialectHomes(dialect);
    let served: Served | undefined;
    try {
      const home = await stores.home();
      const saved = await runCli(['connect', '--server', h.url], { home, input: `${h.token}\n` });
      expect(saved.code, saved.stderr).toBe(0);
      const created = await runCli(['apikey', 'create', '--name', 'admin', '--json'], { home });
      const key = (JSON.parse(created.stdout) as { key: string }).key;
      const url = stores.env(home)['TANIUM_BRIDGE_DB'] as string;
      served = await serve(home, key, ['--db', url, '--no-scheduler']);
      const list = await served.call('GET', '/v1/connections');
      expect(list.status, list.text).toBe(200);
      expect(list.json.connections.map((c: { name: string }) => c.name)).toEqual(['default']);
      // The same home without --db (nor the variable its CLI runs were given) is SQLite, where this key
      // does not exist.
      const bound = boundEnv(home);
      bindHome(home, {});
      const sqlite = await serve(home, key, ['--no-scheduler']).finally(() => bindHome(home, bound));
      try {
        expect((await sqlite.call('GET', '/v1/connections')).status).toBe(401);
      } finally {
        await sqlite.stop();
      }
      expect(served.logs() + saved.stdout).not.toContain(h.token);
    } finally {
      await served?.stop();
      await stores.dropAll();
      await h.close();
    }
  });
});
