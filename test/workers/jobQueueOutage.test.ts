import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProblem } from '../../src/common/problem.js';
import { JobQueue } from '../../src/jobs/workers/jobQueue.js';
import { type PostgresTarget, postgresTarget } from '../helpers/postgres.js';

const BASE = new URL(process.env['TANIUM_BRIDGE_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test');
/** Sent in the URL (the test server trusts local logins and ignores it): it must never be logged. */
const PASSWORD = 'queue-outage-pw-7f3a';

/** A TCP relay to the test server that can be cut, as clients see a server that went away. */
async function relay(): Promise<{ port: number; cut(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(BASE.port || 5432), BASE.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined).on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    async cut() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

describe("serve's job queue when PostgreSQL goes away", () => {
  let target: PostgresTarget;
  let schema: string;
  let queue: JobQueue | undefined;
  let link: Awaited<ReturnType<typeof relay>>;
  let logged = '';

  beforeAll(async () => {
    const found = await postgresTarget();
    if (!found) throw new Error('this suite needs PostgreSQL (TANIUM_BRIDGE_TEST_PG)');
    target = found;
    schema = target.freshSchema();
    link = await relay();
    const url = new URL(target.url(schema));
    url.host = `127.0.0.1:${link.port}`;
    url.password = PASSWORD;
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged += String(chunk);
        done();
      },
    });
    queue = await JobQueue.open(url.toString(), 'tanium-bridge queue outage test', 60_000, pino(sink));
  }, 60_000);

  afterAll(async () => {
    await queue?.stop();
    await target?.dropSchema(`${schema}_pgboss`);
  }, 30_000);

  it('a queued request or a job looked up answers database_unreachable (503), and pg-boss errors are logged once each without the password', async () => {
    expect(await queue!.get('sync', randomUUID())).toBeUndefined();
    await link.cut();
    const calls = [
      () => queue!.get('sync', randomUUID()),
      () => queue!.send({ queue: 'rotate', connection: 'c1', actor: 'apikey:ops', ifDue: false }),
      () => queue!.get('rotate', randomUUID()),
    ];
    for (const call of calls) {
      const error = await call().then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(isProblem(error) && error.toJSON(), String(error)).toMatchObject({
        code: 'database_unreachable',
        message: expect.stringContaining(`127.0.0.1:${link.port}/test`),
        fix: expect.any(String),
      });
      expect(isProblem(error) && error.kind).toBe('unavailable');
      expect(JSON.stringify(isProblem(error) && error.toJSON())).not.toContain(PASSWORD);
    }
    const lines = logged
      .trim()
      .split('\n')
      .filter((line) => line.includes('"msg":"job queue error"'))
      .map((line) => (JSON.parse(line) as { error: string }).error);
    expect(new Set(lines).size).toBe(lines.length);
    expect(logged).not.toContain(PASSWORD);
  }, 60_000);
});
