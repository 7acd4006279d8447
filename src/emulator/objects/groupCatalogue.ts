import type { ComputerGroup, Fleet, FleetView } from '../fleet/index.js';

/** A computer group's filter as Tanium's `ComputerGroupFilter` gives it (sensor, memberOf, compound). */
export interface GroupFilter {
  any: boolean;
  negated: boolean;
  op: string;
  value?: string | null;
  sensor?: {
    name?: string | null;
    column?: string | null;
    params?: { name: string; value: string }[] | null;
  } | null;
  memberOf?: { id?: string | null; name?: string | null } | null;
  filters?: GroupFilter[] | null;
}

/** A group created through the API, with when it changed and the filter that decides membership. */
export interface CreatedGroup extends ComputerGroup {
  filter: GroupFilter;
  contentSet: { id: string; name: string } | null;
  modifiedMs: number;
}

export type GroupRef = { id?: string | null; name?: string | null };

/** Decides whether endpoint i of a view passes a created group's filter (the Gateway's filter compiler). */
export type GroupMembership = (filter: GroupFilter, view: FleetView, i: number) => boolean;

/**
 * The tenant's computer groups: the fleet's own groups, less those deleted, plus those created through
 * the Gateway (`computerGroupCreate`) or REST. Every surface (Gateway `computerGroups`, `memberOf`
 * filters, REST `/api/v2/groups`) reads this one catalogue, so a deleted group is gone everywhere.
 */
export class GroupCatalogue {
  readonly #deleted = new Set<string>();
  readonly #created: CreatedGroup[] = [];
  #nextId = 1_000;

  constructor(
    private readonly fleet: Fleet,
    private readonly epochMs: number,
  ) {}

  list(): (ComputerGroup & { modifiedMs: number })[] {
    const own = this.fleet
      .groups()
      .filter((g) => !this.#deleted.has(g.id))
      .map((g) => ({ ...g, modifiedMs: this.epochMs }));
    return [...own, ...this.#created];
  }

  find(ref: GroupRef): (ComputerGroup & { modifiedMs: number }) | undefined {
    const all = this.list();
    if (ref.id !== undefined && ref.id !== null) return all.find((g) => g.id === ref.id);
    if (ref.name !== undefined && ref.name !== null) return all.find((g) => g.name === ref.name);
    return undefined;
  }

  create(
    input: { name: string; managementRightsEnabled: boolean; filter: GroupFilter; expression: string },
    contentSet: CreatedGroup['contentSet'],
    nowMs: number,
  ): CreatedGroup {
    if (this.find({ name: input.name }))
      throw new Error(`a computer group named "${input.name}" already exists`);
    const group: CreatedGroup = {
      id: String(this.#nextId++),
      name: input.name,
      type: 'STANDARD',
      expression: input.expression,
      filterEnabled: contentSet !== null,
      managementRightsEnabled: input.managementRightsEnabled,
      filter: input.filter,
      contentSet,
      modifiedMs: nowMs,
    };
    this.#created.push(group);
    return group;
  }

  /** Deletes a group; returns its id, or undefined when there is no such group. */
  delete(ref: GroupRef): string | undefined {
    const group = this.find(ref);
    if (!group) return undefined;
    const created = this.#created.findIndex((g) => g.id === group.id);
    if (created >= 0) this.#created.splice(created, 1);
    else this.#deleted.add(group.id);
    return group.id;
  }

  /** Whether endpoint i belongs to the group; a group that does not exist (or no longer) holds nobody. */
  isMember(view: FleetView, i: number, ref: GroupRef, membership: GroupMembership): boolean {
    return this.memberTest(view, ref, membership)(i);
  }

  /** A membership test for one group, with the group looked up once (a filter asks it per endpoint). */
  memberTest(view: FleetView, ref: GroupRef, membership: GroupMembership): (i: number) => boolean {
    const group = this.find(ref);
    if (!group) return () => false;
    const created = this.#created.find((g) => g.id === group.id);
    if (created) return (i) => membership(created.filter, view, i);
    const id = { id: group.id };
    return (i) => view.isMember(i, id);
  }
}
