import { ensureHome, resolveHome } from '../common/home.js';
import type { ConnectionContext } from '../connections/connections.js';
import { openStore, resolveDb } from '../store/open.js';
import type { GlobalOptions } from './output.js';

/**
 * Opens the command's store (`--db` / TANIUM_BRIDGE_DB, else the home folder's SQLite file) and
 * closes it afterwards, whatever happens.
 */
export async function withConnections<T>(
  options: GlobalOptions,
  fn: (ctx: ConnectionContext) => Promise<T>,
): Promise<T> {
  const home = ensureHome(resolveHome(options.home));
  const store = await openStore(home, { db: resolveDb(options.db) });
  try {
    return await fn({ store, home });
  } finally {
    await store.close();
  }
}
