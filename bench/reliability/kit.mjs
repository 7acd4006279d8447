// What the reliability campaign's sections share: the built CLI as real child processes (every byte
// they print is kept, for the secret search), temporary homes, the store's digest and integrity, the
// emulator in this process (its state is watched for the moment a token is committed) and its faults.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

export const CLI = fileURLToPath(new URL('../../bin/tanium-bridge.js', import.meta.url));
export const GATEWAY = '/plugin/products/gateway/graphql';
export const STREAMS = ['assets', 'vulnerabilities', 'compliance', 'sensors'];
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Everything the campaign wrote or printed lives under one folder, searched for secrets at the end. */
export const ROOT = mkdtempSync(join(tmpdir(), 'tb-reliability-'));
const OUT = join(ROOT, 'outputs');
mkdirSync(OUT);
let outputs = 0;

/** Every token string and API key the campaign saw (the secret search looks for each). */
export const secrets = new Set();

export function newHome() {
  return mkdtempSync(join(ROOT, 'home-'));
}

/**
 * Starts the CLI with `--home`; `done` resolves with { code, signal, stdout, stderr } once it exited.
 * Output also goes to a file under outputs/, so it is searched like everything else (`record: false`
 * only for `apikey create`, whose one job is to show the new key once).
 */
export function startCli(args, { home, input = '', env = {}, record = true } = {}) {
  const child = spawn(process.execPath, [CLI, ...args, ...(home ? ['--home', home] : [])], {
    env: { ...process.env, TANIUM_BRIDGE_HOME: '', TANIUM_BRIDGE_MASTER_KEY: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const events = [];
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });
  const done = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (record) writeFileSync(join(OUT, `cli-${++outputs}.txt`), `${args.join(' ')}\n${stdout}\n${stderr}`);
      resolve({ code: code ?? -1, signal, stdout, stderr });
    });
  });
  child.stdin.end(input);
  return { child, done, events, stdoutSoFar: () => stdout };
}

export const runCli = (args, options) => startCli(args, options).done;

/** A home with connection `default` to `url` holding `token`. */
export async function connectedHome(url, token) {
  const home = newHome();
  const saved = await runCli(['connect', '--server', url], { home, input: `${token}\n` });
  if (saved.code !== 0) throw new Error(`connect failed: ${saved.stderr}`);
  return home;
}

/** Per stream: row count and a hash of the rows in key order (stream columns only). */
export async function digest(home) {
  const { SqliteStore } = await import('../../dist/store/sqlite/sqliteStore.js');
  const store = SqliteStore.open(join(home, 'bridge.db'));
  try {
    const out = {};
    for (const stream of STREAMS) {
      const hash = createHash('sha256');
      let n = 0;
      for await (const row of store.sync.rows('default', stream)) {
        hash.update(JSON.stringify(row));
        n++;
      }
      out[stream] = `${n}:${hash.digest('hex').slice(0, 16)}`;
    }
    return JSON.stringify(out);
  } finally {
    await store.close();
  }
}

/** `PRAGMA integrity_check` of the home's database, read-only (a crashed writer's WAL is replayed). */
export function integrity(home) {
  const db = new Database(join(home, 'bridge.db'), { readonly: true, timeout: 30_000 });
  try {
    return db.pragma('integrity_check', { simple: true });
  } finally {
    db.close();
  }
}

/** The statuses of the home's sync runs, newest first. */
export function runStatuses(home) {
  const db = new Database(join(home, 'bridge.db'), { readonly: true, timeout: 30_000 });
  try {
    return db.prepare('SELECT id, status FROM sync_runs ORDER BY id DESC').all();
  } finally {
    db.close();
  }
}

/** The home's stored token (also remembered for the secret search). */
export async function storedToken(home) {
  const { SqliteStore } = await import('../../dist/store/sqlite/sqliteStore.js');
  const { readToken } = await import('../../dist/connections/connections.js');
  const store = SqliteStore.open(join(home, 'bridge.db'));
  try {
    const token = await readToken({ store, home, env: {} }, 'default');
    secrets.add(token);
    return token;
  } finally {
    await store.close();
  }
}

/** Starts the emulator in this process with complete answers and a stopped clock (two syncs compare). */
export async function startFrozenEmulator({ endpoints, seed }) {
  const { startEmulator, EmulatorClock } = await import('../../dist/emulator/index.js');
  const emulator = await startEmulator({ endpoints, seed, realism: 0, port: 0 });
  const at = Date.now();
  const frozen = new EmulatorClock(emulator.state.clock.offsetMs, () => at);
  Object.defineProperty(emulator.state, 'clock', { value: frozen, configurable: true });
  secrets.add(emulator.token);
  // Every token the emulator issues, by user (revoked and exchanged tokens leave its list at once).
  const issued = [];
  const records = emulator.state.tokens.records;
  const push = records.push.bind(records);
  records.push = (...added) => {
    for (const r of added) issued.push({ id: r.id, userId: r.userId });
    return push(...added);
  };
  const call = async (method, path, { token = emulator.token, body } = {}) => {
    const headers = body === undefined ? {} : { 'content-type': 'application/json' };
    if (token) headers.session = token;
    const reply = await fetch(`${emulator.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await reply.text();
    return { status: reply.status, json: text ? JSON.parse(text) : undefined };
  };
  return { emulator, url: emulator.url, token: emulator.token, call, issued };
}

export async function setFaults(emu, rules) {
  const reply = await emu.call('POST', '/__emulator/faults', { token: null, body: { rules } });
  if (reply.status !== 200) throw new Error(`faults refused: ${JSON.stringify(reply.json)}`);
  await emu.call('DELETE', '/__emulator/stats', { token: null });
}

export const clearFaults = (emu) => emu.call('DELETE', '/__emulator/faults', { token: null });

export async function stats(emu) {
  return (await emu.call('GET', '/__emulator/stats', { token: null })).json;
}

/** Whether Tanium (the emulator) accepts `token`. */
export async function works(emu, token) {
  const reply = await emu.call('GET', '/api/v2/session/current', { token });
  if (reply.status !== 200 && reply.status !== 401) throw new Error(`unexpected ${reply.status}`);
  return reply.status === 200;
}

/** A token for a new integration user whose persona has `permissions`. */
export async function mintPersona(emu, user, permissions) {
  const reply = await emu.call('POST', '/__emulator/personas', {
    token: null,
    body: { user, persona: `${user} persona`, permissions, trusted_ip_addresses: '127.0.0.1' },
  });
  if (reply.status !== 200) throw new Error(`persona refused: ${JSON.stringify(reply.json)}`);
  secrets.add(reply.json.token);
  return reply.json.token;
}

/** The user's active tokens, as an administrator lists them. */
export async function userTokens(emu, user) {
  const reply = await emu.call('GET', '/api/v2/api_tokens');
  return reply.json.data.filter((t) => t.user?.name === user);
}

/** A tally of checks: each named check counts how often it held and how often it did not. */
export class Tally {
  constructor(section) {
    this.section = section;
    this.checks = new Map();
    this.notes = [];
  }
  check(name, held, detail) {
    const c = this.checks.get(name) ?? { held: 0, failed: 0, details: [] };
    if (held) c.held++;
    else {
      c.failed++;
      if (detail && c.details.length < 3) c.details.push(detail);
    }
    this.checks.set(name, c);
    return held;
  }
  note(text) {
    this.notes.push(text);
  }
}

// The emulator's seeded generator (mulberry32): the campaign's kill points repeat for a given --seed.
export { seededRandom as random } from '../../dist/emulator/faults/prng.js';
