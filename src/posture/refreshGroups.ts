import type { Store } from '../store/store.js';
import type { GatewayClient } from '../sync/fetchPages.js';
import { MAX_GROUPS, readGroups } from './readGroups.js';

/**
 * After every complete sync run, full or incremental: read the tenant's computer groups and their
 * members from the Gateway and replace the connection's membership whole. Membership changes without
 * any asset changing (a group edited or deleted), so this runs whether or not the run changed rows.
 * Returns the groups read.
 */
export async function refreshPostureGroups(
  store: Store,
  client: GatewayClient,
  connection: string,
  now: string,
  maxGroups = MAX_GROUPS,
): Promise<number> {
  const membership = await readGroups(client, maxGroups);
  await store.posture.replaceGroups(connection, membership, now);
  return membership.groups.length;
}
