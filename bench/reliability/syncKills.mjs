// kill -9 of `sync --full` at random moments (before, during and after its pages), then the integrity
// of the database the kill left, a run to completion, and the store compared with a clean sync.
import { connectedHome, digest, integrity, runStatuses, sleep, startCli, Tally } from './kit.mjs';

const SYNC = ['sync', '--full', '--json'];

/** The clean sync every later store is compared with: its digest, its time (the floor) and pages. */
export async function cleanSync(emu) {
  const home = await connectedHome(emu.url, emu.token);
  const started = performance.now();
  const run = startCli(SYNC, { home });
  while (!run.stdoutSoFar().includes('"event":"start"') && run.child.exitCode === null) await sleep(5);
  const planned = performance.now();
  const result = await run.done;
  const ms = performance.now() - started;
  const passMs = performance.now() - planned;
  if (result.code !== 0) throw new Error(`the clean sync failed: ${result.stderr}`);
  const pages = result.stdout.split('\n').filter((l) => l.includes('"event":"page"')).length;
  return { home, ms, passMs, pages, digest: await digest(home) };
}

export async function syncKills(emu, clean, { kills, rand }) {
  const t = new Tally('kill -9 during sync');
  // A few homes, each killed again and again: later kills land on a store that already holds a pass.
  const homes = [];
  for (let i = 0; i < Math.min(3, kills); i++) homes.push(await connectedHome(emu.url, emu.token));
  const landed = { beforeFirstPage: 0, midPass: 0, afterLastPage: 0 };
  for (let i = 0; i < kills; i++) {
    const home = homes[i % homes.length];
    // One kill in four at a random moment from the process start (startup, migrations, planning);
    // the others at a random moment of the pass, once the run is planned.
    const fromStart = i % 4 === 3;
    const delay = Math.round(rand() * (fromStart ? clean.ms - clean.passMs : clean.passMs * 1.1));
    const run = startCli(SYNC, { home });
    if (!fromStart)
      while (!run.stdoutSoFar().includes('"event":"start"') && run.child.exitCode === null) await sleep(5);
    await sleep(delay);
    run.child.kill('SIGKILL');
    const killed = await run.done;
    const pagesSeen = killed.stdout.split('\n').filter((l) => l.includes('"event":"page"')).length;
    if (killed.code === 0) landed.afterLastPage++;
    else if (pagesSeen === 0) landed.beforeFirstPage++;
    else landed.midPass++;
    t.check('integrity_check ok right after the kill', integrity(home) === 'ok', `kill ${i} at +${delay} ms`);
    const again = await startCli(SYNC, { home }).done;
    t.check('the next sync exits 0', again.code === 0, again.stderr.trim());
    t.check('integrity_check ok after the next sync', integrity(home) === 'ok');
    t.check(
      'store equals the clean sync (no lost, duplicated or orphan rows)',
      (await digest(home)) === clean.digest,
      `kill ${i} at +${delay} ms (${pagesSeen} pages printed)`,
    );
    const running = runStatuses(home).filter((r) => r.status === 'running');
    t.check('no run left "running"', running.length === 0, `runs ${running.map((r) => r.id).join(',')}`);
  }
  t.note(
    `${kills} kills: ${landed.beforeFirstPage} before the first page, ${landed.midPass} mid-pass, ${landed.afterLastPage} after the pass had finished`,
  );
  return t;
}
