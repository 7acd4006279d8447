/**
 * `node bin/tanium-bridge.js check` as a real process against the emulator (and tiny loopback servers for the
 * answers the emulator never gives): the exact messages of the workflow integration guide and one diagnosis per cause.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_FAILED, CHECK_OK, MODULES_TIP } from '../../src/cli/check.js';
import { MODULES } from '../../src/sdk/index.js';
import { createToken, type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { closedPort, type LocalServer, startLocalHttp, startSilentTcp } from '../helpers/localServers.js';
import { CLI_SUITE_TIMEOUT_MS, runCli, tempHome, transcript } from '../helpers/runCli.js';

interface Made {
  token: string;
}

interface CheckJson {
  ok: boolean;
  message: string;
  diagnosis?: { code: string; message: string; fix: string };
  modules?: {
    key: string;
    name: string;
    ok: boolean;
    permission: string;
    status?: number;
    reason?: string;
  }[];
}

/** Every token a test stored, for the final secret search. */
const secrets: string[] = [];
const homes: string[] = [];

function newHome(): string {
  const home = tempHome();
  homes.push(home);
  return home;
}

async function connect(home: string, where: string[], token: string, name?: string): Promise<void> {
  secrets.push(token);
  const args = ['connect', ...where, ...(name === undefined ? [] : ['--name', name])];
  const result = await runCli(args, { home, input: `${token}\n` });
  expect(result.code, result.stderr).toBe(0);
}

/** Runs `check` twice (human, then --json) and checks the workflow integration guide's failure message and the diagnosis code. */
async function expectDiagnosis(home: string, args: string[], code: string): Promise<CheckJson['diagnosis']> {
  const human = await runCli(['check', ...args], { home });
  expect(human.code, human.stdout + human.stderr).toBe(1);
  expect(human.stdout).toBe('');
  const lines = human.stderr.split('\n');
  expect(lines).toHaveLength(3);
  expect(lines[0]).toBe(CHECK_FAILED);
  expect(lines[2]).toBe('');
  const json = await runCli(['check', '--json', ...args], { home });
  expect(json.code).toBe(1);
  const parsed = JSON.parse(json.stdout) as CheckJson;
  expect(parsed).toMatchObject({ ok: false, message: CHECK_FAILED, diagnosis: { code } });
  const diagnosis = parsed.diagnosis!;
  expect(lines[1]).toBe(`${diagnosis.message} ${diagnosis.fix}`);
  return diagnosis;
}

describe('check (CLI)', { timeout: CLI_SUITE_TIMEOUT_MS }, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    secrets.push(h.token);
  });
  afterAll(() => h.close());

  async function persona(user: string, permissions: string[], extra: Record<string, unknown> = {}) {
    const reply = await h.call<Made>('POST', '/__emulator/personas', {
      token: null,
      body: { user, persona: `${user} persona`, permissions, ...extra },
    });
    expect(reply.status, reply.text).toBe(200);
    return reply.json.token;
  }

  it("succeeds against the emulator: exactly the workflow integration guide's message, exit 0", async () => {
    const home = newHome();
    await connect(home, ['--server', h.url], h.token);
    const result = await runCli(['check'], { home });
    expect(result).toEqual({ code: 0, stdout: `${CHECK_OK}\n`, stderr: '' });
    const json = await runCli(['check', '--json'], { home });
    // The tenant's Gateway has every field the streams read: no warning, nothing missing.
    expect(JSON.parse(json.stdout)).toEqual({
      ok: true,
      message: CHECK_OK,
      gateway: { ok: true, fetchedAt: expect.any(String), warnings: [], missing: null },
    });
  });

  it('401, token expired (emulator clock past expiry): says which causes are possible', async () => {
    const own = await startHarness();
    try {
      const reply = await own.call<Made>('POST', '/__emulator/personas', {
        token: null,
        body: { user: 'shortlived', persona: 'Short', permissions: ['*'], expire_in_days: 1 },
      });
      const home = newHome();
      await connect(home, ['--server', own.url], reply.json.token);
      expect((await runCli(['check'], { home })).code).toBe(0);
      await own.advance('1d1s');
      const d = await expectDiagnosis(home, [], 'unauthorized');
      expect(d?.message).toContain('expired or was revoked');
      expect(d?.message).toContain('trusted IP addresses');
      expect(d?.fix).toContain('node bin/tanium-bridge.js token replace');
      expect(d?.fix).toContain('api_token_trusted_ip_address_list');
    } finally {
      await own.close();
    }
  });

  it('401, token revoked', async () => {
    const made = await createToken(h, { trusted_ip_addresses: '127.0.0.1' });
    const home = newHome();
    await connect(home, ['--server', h.url], made.token_string!, 'revoked');
    expect((await runCli(['check', '--name', 'revoked'], { home })).code).toBe(0);
    expect((await h.call('DELETE', `/api/v2/api_tokens/${made.id}`)).status).toBe(200);
    const d = await expectDiagnosis(home, ['--name', 'revoked'], 'unauthorized');
    // The fix spells the connection's name.
    expect(d?.fix).toContain('node bin/tanium-bridge.js token replace --name revoked');
  });

  it('401, token stored without its token- prefix: detected from the stored token', async () => {
    const made = await createToken(h, { trusted_ip_addresses: '127.0.0.1' });
    const bare = made.token_string!.replace(/^token-/, '');
    const home = newHome();
    await connect(home, ['--server', h.url], bare);
    const d = await expectDiagnosis(home, [], 'token-prefix');
    expect(d?.message).toContain('does not start with "token-"');
  });

  it('401, this address is not trusted (a token trusted only from 10.0.0.1)', async () => {
    const made = await createToken(h, { trusted_ip_addresses: '10.0.0.1' });
    const home = newHome();
    await connect(home, ['--server', h.url], made.token_string!);
    const before = await h.call<{ authFailures: Record<string, number> }>('GET', '/__emulator/stats');
    const d = await expectDiagnosis(home, [], 'unauthorized');
    expect(d?.message).toContain("this machine's address is not in its trusted IP addresses");
    const after = await h.call<{ authFailures: Record<string, number> }>('GET', '/__emulator/stats');
    expect(after.json.authFailures['untrusted']).toBeGreaterThan(before.json.authFailures['untrusted'] ?? 0);
  });

  it('403 on the session lookup: the persona lacks permission', async () => {
    // The emulator's platform routes need no permission, so a fault rule gives the session route a 403.
    const home = newHome();
    await connect(home, ['--server', h.url], h.token);
    const install = await h.call('POST', '/__emulator/faults', {
      token: null,
      body: { rules: [{ method: 'GET', path: '/api/v2/session/current', fault: 'status:403', count: 2 }] },
    });
    expect(install.status, install.text).toBe(200);
    try {
      const d = await expectDiagnosis(home, [], 'forbidden');
      expect(d?.message).toContain('persona lacks permission');
    } finally {
      await h.call('DELETE', '/__emulator/faults', { token: null });
    }
  });

  describe('wrong hosts (tiny loopback servers)', () => {
    const servers: LocalServer[] = [];
    afterAll(async () => {
      for (const s of servers) await s.close();
    });

    it('an HTML page: the console host, not the -api host', async () => {
      const server = await startLocalHttp((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><html><body>Sign in to Tanium</body></html>');
      });
      servers.push(server);
      const home = newHome();
      await connect(home, ['--server', server.url], h.token);
      const d = await expectDiagnosis(home, [], 'html');
      expect(d?.fix).toContain('-api');
    });

    it('a redirect, never followed: the console host, not the -api host', async () => {
      const target = await startLocalHttp((_req, res) => res.end('{}'));
      servers.push(target);
      const server = await startLocalHttp((_req, res) => {
        res.writeHead(302, { location: `${target.url}/login` });
        res.end();
      });
      servers.push(server);
      const home = newHome();
      await connect(home, ['--server', server.url], h.token);
      const d = await expectDiagnosis(home, [], 'redirect');
      expect(d?.message).toContain(`redirect to 127.0.0.1:${target.port}`);
      expect(d?.fix).toContain('<customer>-api.cloud.tanium.com');
      // The token never reached the redirect's target.
      expect(target.sessions).toEqual([]);
    });

    it('a TLS failure: https:// to a server that does not speak TLS', async () => {
      const server = await startLocalHttp((_req, res) => res.end('{}'));
      servers.push(server);
      const home = newHome();
      await connect(home, ['--server', `https://127.0.0.1:${server.port}`], h.token);
      const d = await expectDiagnosis(home, [], 'tls');
      expect(d?.message).toContain('TLS handshake');
    });

    it('a timeout: a server that accepts and never answers', async () => {
      const server = await startSilentTcp();
      servers.push(server);
      const home = newHome();
      await connect(home, ['--server', server.url], h.token);
      const d = await expectDiagnosis(home, ['--timeout', '0.5'], 'timeout');
      expect(d?.message).toMatch(/^Timed out waiting for an answer from 127\.0\.0\.1:\d+/);
    });
  });

  it('connection refused: a closed loopback port', async () => {
    const port = await closedPort();
    const home = newHome();
    await connect(home, ['--server', `http://127.0.0.1:${port}`], h.token);
    const d = await expectDiagnosis(home, [], 'refused');
    expect(d?.message).toContain('ECONNREFUSED');
  });

  it('DNS failure: a cloud domain that does not resolve (no hang)', async () => {
    const home = newHome();
    await connect(home, ['--domain', 'nonexistent-api.cloud.tanium.com'], h.token);
    const d = await expectDiagnosis(home, ['--timeout', '5'], 'dns');
    expect(d?.message).toContain('nonexistent-api.cloud.tanium.com does not resolve');
    expect(d?.fix).toContain('<customer>-api.cloud.tanium.com');
  });

  it('refuses a bad --timeout and an unknown connection with one line', async () => {
    const home = newHome();
    const bad = await runCli(['check', '--timeout', 'soon'], { home });
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringMatching(/^Invalid --timeout "soon"/) });
    const none = await runCli(['check', '--name', 'nope'], { home });
    expect(none).toMatchObject({ code: 1, stderr: expect.stringMatching(/^No connection named "nope"/) });
    expect(none.stderr.split('\n')).toHaveLength(2);
  });

  it("--modules: names the permission each refused module needs, and gives the workflow integration guide's tip", async () => {
    const token = await persona('partial', ['Asset API User', 'Show Patch']);
    const home = newHome();
    await connect(home, ['--server', h.url], token);
    const human = await runCli(['check', '--modules'], { home });
    expect(human.code, human.stderr).toBe(0);
    const lines = human.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(CHECK_OK);
    expect(lines[1]).toBe('Modules this token may use: 3 of 10');
    expect(lines.at(-1)).toBe(MODULES_TIP);
    for (const name of ['Core Platform', 'Asset', 'Patch']) {
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  ok +${name}$`)));
    }
    const json = await runCli(['check', '--modules', '--json'], { home });
    const parsed = JSON.parse(json.stdout) as CheckJson;
    expect(parsed.ok).toBe(true);
    expect(parsed.modules?.map((m) => m.key)).toEqual(MODULES.map((m) => m.key));
    const refused = parsed.modules!.filter((m) => !m.ok);
    expect(refused.map((m) => m.key)).toEqual([
      'comply',
      'connect',
      'deploy',
      'enforce',
      'integrity-monitor',
      'reputation',
      'threat-response',
    ]);
    for (const m of refused) {
      expect(m.status).toBe(403);
      expect(m.permission).toBe(`Show ${m.name}`);
      expect(m.reason).toBe(`needs the "Show ${m.name}" permission on the token's persona (HTTP 403)`);
      expect(lines).toContain(
        `  refused  ${m.name.padEnd('Integrity Monitor'.length)}  needs the "Show ${m.name}" permission on the token's persona (HTTP 403)`,
      );
    }
  });

  it('--modules with a failing check reports the diagnosis only', async () => {
    const made = await createToken(h, { trusted_ip_addresses: '10.0.0.1' });
    const home = newHome();
    await connect(home, ['--server', h.url], made.token_string!);
    const json = await runCli(['check', '--modules', '--json'], { home });
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as CheckJson;
    expect(parsed.diagnosis?.code).toBe('unauthorized');
    expect(parsed.modules).toBeUndefined();
  });

  it('secret search: no token in any home folder file or in anything printed', () => {
    expect(secrets.length).toBeGreaterThan(5);
    const printed = transcript.join('\n');
    for (const secret of secrets) {
      expect(printed.includes(secret)).toBe(false);
      // The bare form (no prefix) is a secret too.
      expect(printed.includes(secret.replace(/^token-/, ''))).toBe(false);
    }
    for (const home of homes) {
      for (const file of readdirSync(home)) {
        const path = join(home, file);
        if (!statSync(path).isFile()) continue;
        const bytes = readFileSync(path);
        for (const secret of secrets) {
          expect(bytes.includes(Buffer.from(secret)), `${path} holds a token`).toBe(false);
          expect(bytes.includes(Buffer.from(secret.replace(/^token-/, ''))), `${path}`).toBe(false);
        }
      }
    }
  });
});
