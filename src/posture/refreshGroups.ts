import type { GroupMembershipInput } from '../store/posture.js';
import type { Store } from '../store/store.js';
import type { GatewayClient } from '../sync/fetchPages.js';
import { MAX_GROUPS, readGroups } from './readGroups.js';

/** A group read under way: the membership, or undefined when the read failed. */
export type GroupRead = Promise<GroupMembershipInput | undefined>;

/**
 * Begins reading the tenant's computer groups and their members from the Gateway. A sync begins it
 * before its pass's pages (after an incremental pass's check-in read), so the Gateway builds these
 * answers while this process writes pages, records check-ins, completes the pass and refreshes posture
 * facts. A failed read resolves undefined (the previous membership is kept), so a run that fails
 * meanwhile leaves no rejection behind; `signal` stops it (a run that failed stops its read, which
 * then sends no more requests and keeps no process waiting for it).
 */
export function beginGroupRead(
  client: GatewayClient,
  signal?: AbortSignal,
  maxGroups = MAX_GROUPS,
): GroupRead {
  return readGroups(client, maxGroups, signal).catch(() => undefined);
}

/**
 * Reads the groups and replaces the connection's membership whole (the read and the replacement, one
 * after the other: the bench's measurement of the read alone). Returns the groups read.
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

/**
 * After every complete sync run, full or incremental: make the connection's membership what the run's
 * group read found (the store writes only the member rows that differ). Membership changes without any asset changing (a group edited or
 * deleted), so this runs whether or not the run changed rows. Returns the groups read (0 when the read
 * failed and the previous membership is kept).
 */
export async function replacePostureGroups(
  store: Store,
  read: GroupRead,
  connection: string,
  now: string,
): Promise<number> {
  const membership = await read;
  if (membership === undefined) return 0;
  await store.posture.replaceGroups(connection, membership, now);
  return membership.groups.length;
}
