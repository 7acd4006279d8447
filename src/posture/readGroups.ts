import type { GroupMembershipInput } from '../store/posture.js';
import type { GatewayClient } from '../sync/fetchPages.js';
import { MemberIds } from './memberIds.js';

/**
 * At most this many computer groups are read per refresh (docs/posture.md, "Computer groups"): each
 * group costs at least one Gateway request, and a sync's completion must stay bounded.
 */
export const MAX_GROUPS = 200;
/**
 * Member ids per Gateway page: only the `id` is selected, so even Tanium's largest page (5,000) is
 * small (about 100 KiB), and every sync run pays one round trip per 5,000 members instead of ten.
 */
const MEMBER_PAGE = 5_000;
/**
 * Groups whose members are read at once. A sync begins the read and then holds this process's event
 * loop for a while (each page and each batch of check-ins recorded is a synchronous transaction,
 * docs/sync.md "Incremental: read what changed"): requests already sent are answered meanwhile, one
 * sent after each answer is not.
 * A few in flight also spare the round trips of a remote tenant; within a group pages follow cursors.
 */
const GROUPS_AT_ONCE = 4;

const GROUPS = /* GraphQL */ `
  query postureGroups($first: Int) {
    computerGroups(first: $first) { edges { node { name } } pageInfo { hasNextPage } }
  }`;

const MEMBERS = /* GraphQL */ `
  query postureGroupMembers($name: String!, $first: Int, $after: Cursor) {
    endpoints(first: $first, after: $after, filter: { memberOf: { name: $name } }) {
      edges { node { id } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

interface Page<T> {
  edges: { node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** The tenant's computer groups (the first `maxGroups`) and the endpoint ids of each group's members. */
export async function readGroups(
  client: GatewayClient,
  maxGroups = MAX_GROUPS,
  signal?: AbortSignal,
): Promise<GroupMembershipInput> {
  const data = await client.graphql<{ computerGroups: Page<{ name: string }> | null }>(GROUPS, {
    first: maxGroups,
  });
  const page = data.computerGroups ?? { edges: [], pageInfo: { hasNextPage: false } };
  const groups = page.edges.map((e) => e.node.name).slice(0, maxGroups);
  const members: GroupMembershipInput['members'] = groups.map((group) => ({
    group,
    endpointIds: new MemberIds(),
  }));
  // One group's failure fails the read: the other readers stop taking groups and pages, as they do
  // when the caller stops the read (a run that failed or was cancelled).
  const stop = new AbortController();
  const stopped = (): boolean => stop.signal.aborted || signal?.aborted === true;
  let next = 0;
  const worker = async (): Promise<void> => {
    try {
      for (let k = next++; k < members.length && !stopped(); k = next++) {
        const entry = members[k]!;
        entry.endpointIds = await memberIds(client, entry.group, stopped);
      }
    } catch (error) {
      stop.abort();
      throw error;
    }
  };
  await Promise.all(Array.from({ length: Math.min(GROUPS_AT_ONCE, groups.length) }, worker));
  if (stopped()) throw new Error('the computer group read was stopped');
  return { groups, capped: page.pageInfo.hasNextPage || page.edges.length > maxGroups, members };
}

async function memberIds(client: GatewayClient, name: string, stopped: () => boolean): Promise<MemberIds> {
  const ids = new MemberIds();
  let after: string | null = null;
  while (!stopped()) {
    const data: { endpoints: Page<{ id: string }> | null } = await client.graphql(MEMBERS, {
      name,
      first: MEMBER_PAGE,
      after,
    });
    const page = data.endpoints;
    if (!page) return ids;
    for (const edge of page.edges) ids.add(String(edge.node.id));
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return ids;
    after = page.pageInfo.endCursor;
  }
  // Stopped: what was read is thrown away by readGroups.
  return ids;
}
