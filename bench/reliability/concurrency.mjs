// Processes racing each other: two syncs of one connection planned at the same instant (a third
// connection holds the write lock while both start), several `rotate` processes at once per method,
// and a rotation while a sync is reading pages.
import { readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  clearFaults,
  digest,
  GATEWAY,
  runCli,
  setFaults,
  sleep,
  startCli,
  storedToken,
  Tally,
  userTokens,
  works,
} from './kit.mjs';
import { METHODS, personaHome } from './rotationKills.mjs';

const SYNC = ['sync', '--full', '--json'];

function hasOpen(pid, path) {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

async function untilOpened(children, file) {
  const path = realpathSync(file);
  const deadline = Date.now() + 60_000;
  while (!children.every((c) => hasOpen(c.pid, path)) && Date.now() < deadline) await sleep(20);
  // From opening the file to asking for the write lock is a few statements.
  await sleep(200);
}

export async function twoSyncs(emu, clean, { trials }) {
  const t = new Tally('two syncs of one connection at the same instant');
  // Every Gateway page takes 300 ms more, so a pass outlasts the other process's start.
  await setFaults(emu, [{ path: GATEWAY, fault: 'latency:300', rate: 1 }]);
  const home = clean.home;
  const file = join(home, 'bridge.db');
  for (let i = 0; i < trials; i++) {
    const lock = new Database(file, { timeout: 15_000 });
    lock.exec('BEGIN IMMEDIATE');
    const runs = [startCli(SYNC, { home }), startCli(SYNC, { home })];
    await untilOpened(
      runs.map((r) => r.child),
      file,
    );
    lock.exec('COMMIT');
    lock.close();
    const results = await Promise.all(runs.map((r) => r.done));
    const codes = results.map((r) => r.code).sort((a, b) => a - b);
    t.check(
      'one runs, the other exits 75 naming the holder',
      codes[0] === 0 && codes[1] === 75,
      codes.join('/'),
    );
    t.check('store equals the clean sync', (await digest(home)) === clean.digest, `trial ${i}`);
  }
  await clearFaults(emu);
  return t;
}

export async function concurrentRotates(emu, { rounds, processes }) {
  const t = new Tally(`${processes} rotate processes at once`);
  for (const method of METHODS) {
    const { user, id, home } = await personaHome(emu, method.grant, `race-${method.via}`);
    let elsewhere = 0;
    for (let i = 0; i < rounds; i++) {
      await clearFaults(emu);
      const before = issued(emu, id);
      const results = await Promise.all(
        Array.from({ length: processes }, () => runCli(['rotate', '--json', '--via', method.via], { home })),
      );
      const outcomes = results.map((r) =>
        r.stdout.trim() ? JSON.parse(r.stdout).outcome : `exit ${r.code}`,
      );
      t.check(
        `${method.via}: every process exits 0`,
        results.every((r) => r.code === 0),
        outcomes.join(','),
      );
      const sent = issued(emu, id) - before;
      const rotated = outcomes.filter((o) => o === 'rotated').length;
      elsewhere += outcomes.filter((o) => o === 'done_elsewhere').length;
      // Processes that start after another finished rotate again, rightly; no process may rotate twice
      // or rotate without saying so.
      t.check(
        `${method.via}: tokens issued = processes that report "rotated"`,
        sent === rotated,
        `${sent} issued (${outcomes.join(',')})`,
      );
      t.check(`${method.via}: no lockout`, await works(emu, await storedToken(home)));
      t.check(`${method.via}: one active token left`, (await userTokens(emu, user)).length === 1);
    }
    t.note(
      `${method.via}: ${rounds} rounds of ${processes}; ${elsewhere} processes found a rotation in progress and reported it (done_elsewhere)`,
    );
  }
  return t;
}

/** How many tokens the emulator has issued to the user so far (each grant or exchange issues one). */
function issued(emu, id) {
  return emu.issued.filter((r) => r.userId === id).length;
}

export async function rotateDuringSync(emu, { rounds }) {
  const t = new Tally('rotate while a sync reads pages');
  for (const method of METHODS) {
    const { home } = await personaHome(emu, method.grant, `during-${method.via}`);
    // Every Gateway read takes 150 ms more, so the rotation lands between pages.
    await setFaults(emu, [{ path: GATEWAY, fault: 'latency:150', rate: 1 }]);
    for (let i = 0; i < rounds; i++) {
      const sync = startCli(SYNC, { home });
      while (!sync.stdoutSoFar().includes('"event":"page"')) await sleep(20);
      const rotated = await runCli(['rotate', '--json', '--via', method.via], { home });
      const synced = await sync.done;
      t.check(
        `${method.via}: the rotation succeeds`,
        rotated.code === 0,
        rotated.stdout.trim().slice(0, 200),
      );
      t.check(`${method.via}: the sync completes (exit 0)`, synced.code === 0, synced.stderr.trim());
      t.check(`${method.via}: no lockout`, await works(emu, await storedToken(home)));
    }
    await clearFaults(emu);
  }
  return t;
}
