/** The run was asked to stop after a committed page (shutdown, cancel); the next run resumes there. */
export class SyncInterrupted extends Error {
  override readonly name = 'AbortError';
  constructor(readonly pages: number) {
    super(`the sync was stopped after page ${pages}; the next run resumes from there`);
  }
}
