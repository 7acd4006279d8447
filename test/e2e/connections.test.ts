import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REQUIRED_MESSAGE } from '../../src/connections/required.js';
import { openStore } from '../../src/store/open.js';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { CLI_SUITE_TIMEOUT_MS, runCli, tempHome, transcript } from '../helpers/runCli.js';

const newToken = () => `token-${randomBytes(20).toString('hex')}`;
const last4 = (token: string) => token.slice(-4);
const DOMAIN = 'acme-api.cloud.tanium.com';

async function statusJson(home: string, env?: Record<string, string>) {
  const result = await runCli(['status', '--json'], { home, ...(env ? { env } : {}) });
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as {
    connections: {
      name: string;
      domain: string | null;
      url: string | null;
      token: { masked: string | null; error: string | null };
    }[];
  };
}

describe('connections (CLI)', { timeout: CLI_SUITE_TIMEOUT_MS }, () => {
  it('reads the token from stdin, stores it, and shows it masked', async () => {
    const home = tempHome();
    const token = newToken();
    const saved = await runCli(['connect', '--domain', DOMAIN], { home, input: `${token}\n` });
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain(`Saved connection "default" to ${DOMAIN}`);
    expect(saved.stdout).toMatch(/run `node bin\/tanium-bridge\.js check( --home \S+)?` next/);
    const human = await runCli(['status'], { home });
    expect(human.stdout).toContain(`••••••••${last4(token)}`);
    expect(human.stdout).toContain(DOMAIN);
    const json = await statusJson(home);
    expect(json.connections).toEqual([
      {
        name: 'default',
        kind: 'cloud',
        domain: DOMAIN,
        url: null,
        token: { masked: `••••••••${last4(token)}`, error: null },
        rotation: expect.objectContaining({
          phase: 'idle',
          expiresAt: null,
          lastOutcome: null,
          problem: null,
        }),
        lastSync: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
    ]);
    expect(statSync(join(home, 'master.key')).mode & 0o777).toBe(0o600);
    expect(statSync(home).mode & 0o777).toBe(0o700);
  });

  it('refuses --token on the command line, without echoing it', async () => {
    const home = tempHome();
    const token = newToken();
    for (const args of [
      ['connect', '--domain', DOMAIN, '--token', token],
      ['connect', '--domain', DOMAIN, `--token=${token}`],
      ['token', 'replace', '--token', token],
    ]) {
      const result = await runCli(args, { home });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^Refusing --token: .* pipe it on standard input instead/);
      expect(result.stderr).not.toContain(token);
    }
    expect((await statusJson(home)).connections).toEqual([]);
  });

  it('refuses an empty token for a new connection', async () => {
    const home = tempHome();
    for (const input of ['', '\n', '   \n']) {
      const result = await runCli(['connect', '--domain', DOMAIN], { home, input });
      expect(result).toMatchObject({ code: 1, stderr: `${REQUIRED_MESSAGE}\n` });
    }
    expect((await statusJson(home)).connections).toEqual([]);
  });

  it('edits: keeps the domain when not given, keeps the token when blank, refuses a cleared domain', async () => {
    const home = tempHome();
    const token = newToken();
    await runCli(['connect', '--domain', DOMAIN], { home, input: token });
    const moved = await runCli(['connect', '--domain', 'other-api.cloud.tanium.com'], { home, input: '' });
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain('The stored token was kept.');
    let status = await statusJson(home);
    expect(status.connections[0]).toMatchObject({
      domain: 'other-api.cloud.tanium.com',
      token: { masked: `••••••••${last4(token)}` },
    });
    const newer = newToken();
    expect((await runCli(['connect'], { home, input: newer })).code).toBe(0);
    status = await statusJson(home);
    expect(status.connections[0]).toMatchObject({
      domain: 'other-api.cloud.tanium.com',
      token: { masked: `••••••••${last4(newer)}` },
    });
    const cleared = await runCli(['connect', '--domain', ''], { home, input: newToken() });
    expect(cleared).toMatchObject({ code: 1, stderr: `${REQUIRED_MESSAGE}\n` });
    const fresh = await runCli(['connect', '--name', 'fresh'], { home, input: newToken() });
    expect(fresh).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^Connection "fresh" is new: .* Give --domain /),
    });
  });

  it('token replace: a new token shows its last 4; an empty answer keeps the old one and says so', async () => {
    const home = tempHome();
    const first = newToken();
    await runCli(['connect', '--domain', DOMAIN], { home, input: first });
    const second = newToken();
    const replaced = await runCli(['token', 'replace'], { home, input: `${second}\n` });
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toContain(`now ••••••••${last4(second)}`);
    expect((await statusJson(home)).connections[0]?.token.masked).toBe(`••••••••${last4(second)}`);

    const kept = await runCli(['token', 'replace', '--json'], { home, input: '\n' });
    expect(kept.code).toBe(0);
    expect(JSON.parse(kept.stdout)).toMatchObject({ name: 'default', tokenReplaced: false });
    const keptHuman = await runCli(['token', 'replace'], { home, input: '' });
    expect(keptHuman.stdout).toBe(
      'Token unchanged: the answer was empty, so the stored token of "default" was kept.\n',
    );
    expect((await statusJson(home)).connections[0]?.token.masked).toBe(`••••••••${last4(second)}`);

    const missing = await runCli(['token', 'replace', '--name', 'nope'], { home, input: newToken() });
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringMatching(/^No connection named "nope"/) });
  });

  it('keeps several named connections apart, and removes one with its secret', async () => {
    const home = tempHome();
    const tokens = { default: newToken(), emu: newToken(), onprem: newToken() };
    await runCli(['connect', '--domain', DOMAIN], { home, input: tokens.default });
    await runCli(['connect', '--server', 'http://127.0.0.1:8443', '--name', 'emu'], {
      home,
      input: tokens.emu,
    });
    await runCli(['connect', '--server', 'https://tanium.example.com', '--name', 'onprem'], {
      home,
      input: tokens.onprem,
    });
    const status = await statusJson(home);
    expect(status.connections.map((c) => [c.name, c.domain ?? c.url, c.token.masked])).toEqual([
      ['default', DOMAIN, `••••••••${last4(tokens.default)}`],
      ['emu', 'http://127.0.0.1:8443', `••••••••${last4(tokens.emu)}`],
      ['onprem', 'https://tanium.example.com', `••••••••${last4(tokens.onprem)}`],
    ]);
    const one = await runCli(['status', '--name', 'emu', '--json'], { home });
    expect(JSON.parse(one.stdout).connections.map((c: { name: string }) => c.name)).toEqual(['emu']);

    const removed = await runCli(['remove', '--name', 'emu', '--json'], { home });
    expect(JSON.parse(removed.stdout)).toEqual({ name: 'emu', removed: true });
    expect((await statusJson(home)).connections.map((c) => c.name)).toEqual(['default', 'onprem']);
    const store = await openStore(home);
    try {
      // Its token went with it, from either slot.
      expect(await store.secrets.get('emu', 'active')).toBeUndefined();
      expect(await store.secrets.get('emu', 'pending')).toBeUndefined();
      expect(await store.secrets.get('onprem', 'active')).toBeDefined();
    } finally {
      await store.close();
    }
    const again = await runCli(['remove', '--name', 'emu'], { home });
    expect(again).toMatchObject({ code: 1, stderr: expect.stringMatching(/^No connection named "emu"/) });
  });

  it('fails to open a secret moved to another connection', async () => {
    const home = tempHome();
    await runCli(['connect', '--domain', DOMAIN, '--name', 'a'], { home, input: newToken() });
    await runCli(['connect', '--domain', DOMAIN, '--name', 'b'], { home, input: newToken() });
    // Swap the two rows' sealed values, as someone copying database rows would.
    const store = await openStore(home);
    try {
      const [sealedA, sealedB] = [
        await store.secrets.get('a', 'active'),
        await store.secrets.get('b', 'active'),
      ];
      const now = new Date().toISOString();
      await store.secrets.put('a', 'active', sealedB!, now);
      await store.secrets.put('b', 'active', sealedA!, now);
    } finally {
      await store.close();
    }
    const status = await statusJson(home);
    for (const connection of status.connections) {
      expect(connection.token.masked).toBeNull();
      expect(connection.token.error).toMatch(
        /cannot be decrypted: it was altered or belongs to another connection/,
      );
    }
  });

  it('names a wrong master key, and refuses a key file readable by others', async () => {
    const home = tempHome();
    const key = randomBytes(32).toString('base64');
    await runCli(['connect', '--domain', DOMAIN], {
      home,
      input: newToken(),
      env: { TANIUM_BRIDGE_MASTER_KEY: key },
    });
    expect(existsSync(join(home, 'master.key'))).toBe(false);
    const wrong = await statusJson(home, { TANIUM_BRIDGE_MASTER_KEY: randomBytes(32).toString('hex') });
    expect(wrong.connections[0]?.token.error).toMatch(
      /^The stored token of "default" was encrypted with another master key/,
    );
    const bad = await runCli(['connect', '--domain', DOMAIN], {
      home,
      input: newToken(),
      env: { TANIUM_BRIDGE_MASTER_KEY: 'abc' },
    });
    expect(bad).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^TANIUM_BRIDGE_MASTER_KEY must be a 32-byte key/),
    });

    const other = tempHome();
    await runCli(['connect', '--domain', DOMAIN], { home: other, input: newToken() });
    chmodSync(join(other, 'master.key'), 0o644);
    const refused = await runCli(['connect', '--domain', DOMAIN], { home: other, input: newToken() });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/readable by others \(mode 644\): run `chmod 600 .*master\.key`/);
  });

  it('several processes connecting to a fresh home at once agree on one master key', async () => {
    const home = tempHome();
    const tokens = Array.from({ length: 5 }, () => newToken());
    const results = await Promise.all(
      tokens.map((token, index) =>
        runCli(['connect', '--domain', DOMAIN, '--name', `c${index}`], { home, input: token }),
      ),
    );
    expect(results.map((result) => result.code)).toEqual([0, 0, 0, 0, 0]);
    const status = await statusJson(home);
    expect(status.connections.map((c) => c.token.masked)).toEqual(tokens.map((t) => `••••••••${last4(t)}`));
    expect(readdirSync(home).filter((file) => file.startsWith('master.key'))).toEqual(['master.key']);
  });
});

describe('secret search', { timeout: CLI_SUITE_TIMEOUT_MS }, () => {
  it('finds the token nowhere in the home folder, the database, its WAL or any output', async () => {
    const home = tempHome();
    const tokens = [newToken(), newToken(), newToken()] as const;
    // Hold the database open so the WAL file survives the CLI runs and is searched too.
    const holder = SqliteStore.open(join(home, 'bridge.db'));
    const start = transcript.length;
    await runCli(['connect', '--domain', DOMAIN], { home, input: `${tokens[0]}\n` });
    await runCli(['connect', '--server', 'http://127.0.0.1:9', '--name', 'emu'], { home, input: tokens[1] });
    await runCli(['status'], { home });
    await runCli(['status', '--json'], { home });
    await runCli(['token', 'replace', '--json'], { home, input: tokens[2] });
    await runCli(['token', 'replace'], { home, input: '' });
    await runCli(['connect', '--domain', DOMAIN, '--token', tokens[0]], { home });
    await runCli(['connect', '--domain', 'https://x', '--name', 'bad'], { home, input: tokens[0] });
    await runCli(['remove', '--name', 'emu'], { home });
    await runCli(['status', '--json'], { home });
    expect(existsSync(join(home, 'bridge.db-wal'))).toBe(true);

    const files = readdirSync(home, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
    expect(files.map((file) => file.slice(home.length + 1)).sort()).toEqual(
      ['bridge.db', 'bridge.db-shm', 'bridge.db-wal', 'master.key'].sort(),
    );
    const haystacks = [
      ...files.map((file) => readFileSync(file).toString('latin1')),
      ...transcript.slice(start),
    ];
    for (const token of tokens) {
      for (const needle of [token, token.slice('token-'.length), Buffer.from(token).toString('base64')]) {
        for (const haystack of haystacks) expect(haystack.includes(needle)).toBe(false);
      }
    }
    await holder.close();
  });
});
