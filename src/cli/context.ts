import { ensureHome, resolveHome } from '../common/home.js';
import type { ConnectionContext } from '../connections/connections.js';
import { openStore } from '../store/open.js';
import type { GlobalOptions } from './output.js';

/** Opens the home folder's store for one command and closes it afterwards, whatever happens. */
export async function withConnections<T>(
  options: GlobalOptions,
  fn: (ctx: ConnectionContext) => Promise<T>,
): Promise<T> {
  const home = ensureHome(resolveHome(options.home));
  const store = await openStore(home);
  try {
    return await fn({ store, home });
  } finally {
    await store.close();
  }
}
