// `rotate` killed (SIGKILL) at the moment the emulator commits the new token, per method, and the
// answer dropped after the commit (`drop-response-after-commit`), per method. The emulator holds the
// answer back after committing (`latency-after-commit`), the campaign sees the token appear in the
// emulator's state and kills the process after a random delay inside or just past the hold.
import {
  connectedHome,
  GATEWAY,
  mintPersona,
  runCli,
  setFaults,
  sleep,
  startCli,
  storedToken,
  Tally,
  userTokens,
  works,
} from './kit.mjs';

const HOLD_MS = 300;

export const METHODS = [
  {
    via: 'grant',
    grant: true,
    match: { method: 'POST', path: '/api/v2/api_tokens' },
  },
  {
    via: 'grant-graphql',
    grant: true,
    match: { method: 'POST', path: GATEWAY, operation: 'apiTokenGrant' },
  },
  { via: 'rest', grant: false, match: { method: 'PATCH', path: '/api/v2/api_tokens' } },
  { via: 'graphql', grant: false, match: { method: 'POST', path: GATEWAY, operation: 'apiTokenRotate' } },
];

let users = 0;

/** A home whose token belongs to a new integration user (may create tokens when `grant`). */
export async function personaHome(emu, grant, label) {
  const user = `rel-${label}-${++users}`;
  const token = await mintPersona(emu, user, grant ? ['Token - Create'] : []);
  const home = await connectedHome(emu.url, token);
  return { user, id: (await userTokens(emu, user))[0]?.user.id, home };
}

/** Starts `rotate`, waits for the emulator to issue a token to `id`, waits `delayMs`, kills it. */
async function killAtCommit(emu, home, via, id, delayMs) {
  const records = emu.emulator.state.tokens.records;
  const known = new Set(records.map((r) => r.id));
  const run = startCli(['rotate', '--json', '--via', via], { home });
  let exited = false;
  void run.done.then(() => {
    exited = true;
  });
  const deadline = Date.now() + 60_000;
  while (!records.some((r) => r.userId === id && !known.has(r.id))) {
    if (exited || Date.now() > deadline) return false;
    await sleep(1);
  }
  await sleep(delayMs);
  run.child.kill('SIGKILL');
  await run.done;
  return true;
}

/** After a disturbed rotation: the next `rotate`, and what it left (lockout, orphans, honesty). */
async function recover(emu, t, method, user, home, first) {
  const next = await runCli(['rotate', '--json', '--via', method.via], { home });
  const report = next.stdout.trim() ? JSON.parse(next.stdout) : {};
  const lockedOut = !(await works(emu, await storedToken(home)));
  if (method.grant) {
    t.check(`${method.via}: no lockout`, !lockedOut, report.message);
    t.check(`${method.via}: the next run rotates`, report.outcome === 'rotated', report.outcome);
    const left = await userTokens(emu, user);
    t.check(
      `${method.via}: orphans revoked (one active token, the stored one)`,
      left.length === 1,
      `${left.length} tokens`,
    );
  } else {
    t.check(`${method.via}: no lockout (the exchange's lost-answer window)`, !lockedOut, report.outcome);
    // Honest either way: a lockout is reported `lost` (exit 3) by the disturbed run or the next one,
    // and never reported as rotated.
    const said = [first?.outcome, report.outcome];
    const honest = lockedOut
      ? said.includes('lost') && next.code === 3
      : report.outcome === 'rotated' && next.code === 0;
    t.check(`${method.via}: "lost" (exit 3) exactly when locked out`, honest, said.join(' then '));
    if (lockedOut) {
      // The human fix: a new token from the console, then `token replace`.
      const fresh = await mintPersona(emu, user, []);
      await runCli(['token', 'replace'], { home, input: `${fresh}\n` });
    }
  }
  return lockedOut;
}

export async function rotationKills(emu, { kills, drops, rand }) {
  const t = new Tally('rotate killed at the commit / answer dropped after the commit');
  for (const method of METHODS) {
    const { user, id, home } = await personaHome(emu, method.grant, method.via);
    let lockouts = 0;
    for (let i = 0; i < kills; i++) {
      await setFaults(emu, [{ ...method.match, fault: `latency-after-commit:${HOLD_MS}`, count: 1 }]);
      const delay = Math.round(rand() * (HOLD_MS + 60));
      const killed = await killAtCommit(emu, home, method.via, id, delay);
      t.check(`${method.via}: the emulator committed before the kill`, killed);
      if (method.grant)
        t.check(
          `${method.via}: the stored token works right after the kill`,
          await works(emu, await storedToken(home)),
        );
      if (await recover(emu, t, method, user, home)) lockouts++;
    }
    for (let i = 0; i < drops; i++) {
      await setFaults(emu, [{ ...method.match, fault: 'drop-response-after-commit', count: 1 }]);
      const first = await runCli(['rotate', '--json', '--via', method.via], { home });
      t.check(
        `${method.via}: a dropped answer exits non-zero with one report`,
        first.code !== 0 && first.stdout.trim().split('\n').length === 1,
      );
      const said = first.stdout.trim() ? JSON.parse(first.stdout) : undefined;
      if (await recover(emu, t, method, user, home, said)) lockouts++;
    }
    t.note(`${method.via}: ${kills} kills at the commit + ${drops} dropped answers → ${lockouts} lockouts`);
  }
  return t;
}
