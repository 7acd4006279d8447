/**
 * Computer groups, derived from endpoint data the way Tanium's dynamic groups are (a filter on sensor
 * values). Tanium ships "All Computers" and per-OS groups; the others are typical customer groups.
 */
import type { FleetContext } from './context.js';
import { kindOf, profileOf } from './profile.js';
import type { ComputerGroup } from './types.js';

interface GroupRule extends ComputerGroup {
  test: (c: FleetContext, i: number) => boolean;
}

function group(
  id: number,
  name: string,
  expression: string,
  test: GroupRule['test'],
  type: ComputerGroup['type'] = 'STANDARD',
): GroupRule {
  return { id: String(id), name, type, expression, filterEnabled: true, managementRightsEnabled: true, test };
}

const GROUPS: readonly GroupRule[] = [
  group(1, 'All Computers', '', () => true),
  group(2, 'All Windows', 'OS Platform equals Windows', (c, i) => kindOf(c, i).platform === 'Windows'),
  group(3, 'All Mac', 'OS Platform equals Mac', (c, i) => kindOf(c, i).platform === 'Mac'),
  group(4, 'All Linux', 'OS Platform equals Linux', (c, i) => kindOf(c, i).platform === 'Linux'),
  group(5, 'All Servers', 'Is Server equals True', (c, i) => kindOf(c, i).role === 'server'),
  group(6, 'All Workstations', 'Is Server equals False', (c, i) => kindOf(c, i).role === 'workstation'),
  group(7, 'Virtual Machines', 'Is Virtual equals Yes', (c, i) => profileOf(c, i).hardware.isVirtual),
  group(
    8,
    'Critical Assets',
    'Endpoint Criticality with Level contains Critical',
    (c, i) => profileOf(c, i).criticality === 'Critical',
    'MANUAL',
  ),
];

export function computerGroups(): ComputerGroup[] {
  return GROUPS.map(({ test: _test, ...g }) => ({ ...g }));
}

/** Whether endpoint i belongs to the group named or numbered `ref`; unknown groups hold nobody. */
export function isMember(c: FleetContext, i: number, ref: { id?: string; name?: string }): boolean {
  const found = GROUPS.find((g) => (ref.id !== undefined ? g.id === ref.id : g.name === ref.name));
  return found?.test(c, i) === true;
}

/** Names of the groups endpoint i belongs to. */
export function groupsOf(c: FleetContext, i: number): string[] {
  return GROUPS.filter((g) => g.test(c, i)).map((g) => g.name);
}
