import type { CommittedCounts } from './commitPage.js';

/** What the pass does once a page is known to be committed (its counts, its `page` event). */
type After = (committed: CommittedCounts) => Promise<void> | void;

/**
 * Lets a pass read and map its next chunk while the store commits the one before (docs/store.md,
 * "Mapping beside the commit"): PostgreSQL's page transaction is mostly the server's work, during
 * which the process would otherwise only wait. Commits stay in order and one at a time: a commit
 * starts only after the one before it has been finished here, so a page is never written before the
 * page ahead of it, and each is still one transaction with its checkpoint. A failed commit throws at
 * the next `finish` (or `settle`): the chunk mapped meanwhile is never handed to the store, and the
 * run resumes from the last committed page as before. At most one commit is in flight, so memory
 * holds one mapped chunk more than a pass that waits. With `overlap` off (SQLite, whose commit runs
 * synchronously in the call) each commit is waited for at once, as before.
 */
export class CommitAhead {
  /** The commit in flight, recorded as soon as it ends (the `page` event comes when it is committed). */
  #pending: Promise<void> | undefined;

  constructor(readonly overlap: boolean) {}

  /**
   * Hands a commit to the store (none may be in flight: `finish` first). Waits for it when overlap is
   * off or `wait` is set (the pass's last page); otherwise returns at once and `finish` completes it.
   */
  async start(commit: () => Promise<CommittedCounts>, after: After, wait: boolean): Promise<void> {
    if (this.#pending) throw new Error('a page commit is still in flight');
    const done = commit();
    if (!this.overlap || wait) {
      await after(await done);
      return;
    }
    const recorded = done.then(after);
    // Its failure is taken up by finish or settle; until then it must not count as unhandled.
    recorded.catch(() => {});
    this.#pending = recorded;
  }

  /** Waits for the commit in flight, if any, and records it (its failure throws here). */
  async finish(): Promise<boolean> {
    const pending = this.#pending;
    if (!pending) return false;
    this.#pending = undefined;
    await pending;
    return true;
  }

  /**
   * A pass failing with `error` never leaves a commit running behind it (the run's end, its lease's
   * release, must come after): it waits for the one in flight. A commit that failed too throws its
   * own error (it came first); one that succeeded is recorded, then `error` is thrown.
   */
  async settle(error: unknown): Promise<never> {
    await this.finish();
    throw error;
  }
}
