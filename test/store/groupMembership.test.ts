import { afterEach, describe, expect, it } from 'vitest';
import { MemberIds } from '../../src/posture/memberIds.js';
import type { GroupMembershipInput } from '../../src/store/posture.js';
import type { Store } from '../../src/store/store.js';
import { DIALECTS } from './dialects.js';

/**
 * Computer group membership replaced after each sync run (`PostureRepository.replaceGroups`): whatever
 * was stored before, the rows left are the new membership exactly, per dialect. A store may write only
 * the rows that differ, so each step changes some members and keeps others.
 */

const T0 = '2026-12-01T10:00:00Z';
const T1 = '2026-12-02T10:00:00Z';
const IDS = ['1', '2', '3', '4', '5', 'é-6'];

const membership = (members: GroupMembershipInput['members']): GroupMembershipInput => ({
  groups: [...new Set(members.map((m) => m.group))],
  capped: false,
  members,
});

async function memberOf(store: Store, connection: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const id of IDS) out[id] = (await store.posture.endpointGroups(connection, id))?.memberOf ?? [];
  return out;
}

describe.each(DIALECTS)('replaceGroups ($name)', (dialect) => {
  let store: Store;
  afterEach(async () => {
    await store.close();
  });

  it('leaves exactly the new membership: members kept, joined and left, groups gone, repeats merged', async () => {
    store = await dialect.open();
    for (const name of ['default', 'other'])
      await store.connections.upsert({ name, kind: 'server', address: `https://${name}.example` }, T0);
    await store.posture.replaceGroups('other', membership([{ group: 'A', endpointIds: ['1'] }]), T0);
    // A group listed twice and an id repeated: one row each.
    await store.posture.replaceGroups(
      'default',
      membership([
        { group: 'A', endpointIds: ['1', '2', '2'] },
        { group: 'B', endpointIds: ['2', '3', 'é-6'] },
        { group: 'A', endpointIds: ['4'] },
      ]),
      T0,
    );
    expect(await memberOf(store, 'default')).toEqual({
      '1': ['A'],
      '2': ['A', 'B'],
      '3': ['B'],
      '4': ['A'],
      '5': [],
      'é-6': ['B'],
    });
    // A deleted, B kept in part and joined by 1, C new.
    await store.posture.replaceGroups(
      'default',
      membership([
        { group: 'B', endpointIds: ['3', '1', 'é-6'] },
        { group: 'C', endpointIds: ['5'] },
      ]),
      T1,
    );
    expect(await memberOf(store, 'default')).toEqual({
      '1': ['B'],
      '2': [],
      '3': ['B'],
      '4': [],
      '5': ['C'],
      'é-6': ['B'],
    });
    const refresh = await store.posture.endpointGroups('default', '1');
    expect(refresh && { groups: refresh.groups, refreshedAt: refresh.refreshedAt }).toEqual({
      groups: ['B', 'C'],
      refreshedAt: T1,
    });
    // The same membership again: nothing changes but the refresh time.
    await store.posture.replaceGroups(
      'default',
      membership([
        { group: 'B', endpointIds: ['1', '3', 'é-6'] },
        { group: 'C', endpointIds: ['5'] },
      ]),
      T0,
    );
    expect((await memberOf(store, 'default'))['1']).toEqual(['B']);
    expect((await store.posture.endpointGroups('default', '1'))?.refreshedAt).toBe(T0);
    // No groups at all: every row goes; another connection's stay.
    await store.posture.replaceGroups('default', membership([]), T1);
    expect(Object.values(await memberOf(store, 'default')).flat()).toEqual([]);
    expect((await memberOf(store, 'other'))['1']).toEqual(['A']);
  });

  it('stores what the group read holds: compact ids of both kinds, empty groups, an ill-formed name', async () => {
    store = await dialect.open();
    await store.connections.upsert({ name: 'default', kind: 'server', address: 'https://d.example' }, T0);
    const ids = new MemberIds();
    for (const id of ['é-6', '3', '1']) ids.add(id);
    // A lone surrogate (Tanium answers JSON, which can carry one): it must not fail the replacement.
    await store.posture.replaceGroups(
      'default',
      membership([
        { group: 'A', endpointIds: ids },
        { group: 'Empty', endpointIds: new MemberIds() },
        { group: 'bad\ud800', endpointIds: ['2'] },
      ]),
      T0,
    );
    const stored = await memberOf(store, 'default');
    expect({ ...stored, '2': stored['2']!.length }).toEqual({
      '1': ['A'],
      '2': 1,
      '3': ['A'],
      '4': [],
      '5': [],
      'é-6': ['A'],
    });
    // Replaced by U+FFFD on the way in (how many depends on the driver's encoding), never refused.
    expect(stored['2']![0]).toMatch(/^bad\ufffd+$/);
  });
});
