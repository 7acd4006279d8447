import { Problem } from '../../common/problem.js';
import type { PgSession } from './session.js';

/**
 * A repository class whose every method throws a `not_built` problem: a marked stand-in, so that the
 * PostgreSQL store opens and its finished repositories work while this one is still being written.
 * Methods throw at the call (not a rejected promise), so async generators fail the same way.
 */
export function notBuiltRepository<T extends object>(name: string): new (session: PgSession) => T {
  const problem = () =>
    new Problem({
      code: 'not_built',
      kind: 'unavailable',
      message: `The PostgreSQL store does not have the ${name} repository yet.`,
      fix: 'Use the SQLite store (leave out --db and TANIUM_BRIDGE_DB) for this command for now.',
      details: { repository: name },
    });
  const stub = new Proxy(
    {},
    {
      get: (_target, property) =>
        // `then` undefined: the stub is not mistaken for a promise when returned from an async function.
        property === 'then' || typeof property === 'symbol'
          ? undefined
          : () => {
              throw problem();
            },
    },
  ) as T;
  return class {
    constructor(_session: PgSession) {
      // biome-ignore lint/correctness/noConstructorReturn: the placeholder is the proxy itself.
      return stub;
    }
  } as unknown as new (
    session: PgSession,
  ) => T;
}
