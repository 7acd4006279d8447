import { describe, expect, it } from 'vitest';
import { CommitAhead } from './commitAhead.js';
import type { CommittedCounts } from './commitPage.js';

/** A commit the test ends by hand, recording when it started and whether another one was running. */
function commits() {
  const log: string[] = [];
  let running = 0;
  const ends: (() => void)[] = [];
  const fails: ((e: Error) => void)[] = [];
  const commit = (n: number) => () => {
    log.push(`start ${n}${running > 0 ? ' (overlapping)' : ''}`);
    running++;
    return new Promise<CommittedCounts>((resolve, reject) => {
      ends[n] = () => {
        running--;
        resolve({ counts: {}, storeMs: 0 });
      };
      fails[n] = (e) => {
        running--;
        reject(e);
      };
    });
  };
  return { log, commit, ends, fails };
}

describe('CommitAhead', () => {
  it('commits in order, one at a time, and records each after it ended', async () => {
    const { log, commit, ends } = commits();
    const ahead = new CommitAhead(true);
    await ahead.start(commit(1), () => void log.push('recorded 1'), false);
    log.push('mapped 2');
    const finished = ahead.finish();
    await Promise.resolve();
    expect(log).toEqual(['start 1', 'mapped 2']);
    ends[1]!();
    expect(await finished).toBe(true);
    await ahead.start(commit(2), () => void log.push('recorded 2'), false);
    ends[2]!();
    await ahead.finish();
    expect(log).toEqual(['start 1', 'mapped 2', 'recorded 1', 'start 2', 'recorded 2']);
  });

  it('a failed commit throws at finish, before the next page is handed on', async () => {
    const { log, commit, fails } = commits();
    const ahead = new CommitAhead(true);
    await ahead.start(commit(1), () => void log.push('recorded 1'), false);
    fails[1]!(new Error('page 1 lost'));
    await expect(ahead.finish()).rejects.toThrow('page 1 lost');
    expect(log).toEqual(['start 1']);
  });

  it('settle waits for the commit in flight; its own failure wins', async () => {
    const { log, commit, ends, fails } = commits();
    const ahead = new CommitAhead(true);
    await ahead.start(commit(1), () => void log.push('recorded 1'), false);
    const settled = ahead.settle(new Error('reader failed'));
    ends[1]!();
    await expect(settled).rejects.toThrow('reader failed');
    expect(log).toEqual(['start 1', 'recorded 1']);
    await ahead.start(commit(2), () => void log.push('recorded 2'), false);
    const second = ahead.settle(new Error('reader failed'));
    fails[2]!(new Error('page 2 lost'));
    await expect(second).rejects.toThrow('page 2 lost');
  });

  it('without overlap each commit is waited for in start', async () => {
    const { log, commit, ends } = commits();
    const ahead = new CommitAhead(false);
    const started = ahead.start(commit(1), () => void log.push('recorded 1'), false);
    ends[1]!();
    await started;
    expect(log).toEqual(['start 1', 'recorded 1']);
    expect(await ahead.finish()).toBe(false);
  });
});
