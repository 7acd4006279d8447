/** The message `fn` throws, so tests can compare it exactly; fails when nothing is thrown. */
export function thrownMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected a throw');
}
