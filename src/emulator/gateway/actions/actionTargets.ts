import type { EmulatorState } from '../../emulatorState.js';
import type { NamedId, PackageUse } from '../../objects/actions.js';
import type { GroupFilter } from '../../objects/groupCatalogue.js';
import { compileEndpointFilter, type EndpointFieldFilterInput } from '../endpoints/endpointFilter.js';

/** A refusal answered in the mutation's `error` payload. */
export class PayloadError extends Error {}

export interface TargetsInput {
  actionGroup?: { id?: string | null; name?: string | null } | null;
  endpoints?: string[] | null;
  platforms?: string[] | null;
  targetGroup?: { id?: string | null; name?: string | null; filter?: GroupFilter | null } | null;
}

export interface PackageInput {
  id?: string | null;
  name?: string | null;
  params?: string[] | null;
  sensorSourcedParams?: { name: string; value: string }[] | null;
}

/** The package an action runs, by id (preferred) or name; an unknown one is refused. */
export function resolvePackage(state: EmulatorState, input: PackageInput): PackageUse {
  const found = state.objects.packages.find({
    id: input.id ?? null,
    name: input.id ? null : (input.name ?? null),
  });
  if (!found)
    throw new PayloadError(`no package ${input.id ? `with id ${input.id}` : `named "${input.name ?? ''}"`}`);
  return {
    id: String(found.id),
    name: found.name,
    params: input.params ?? [],
    sensorSourcedParams: input.sensorSourcedParams ?? [],
  };
}

/**
 * Resolves an action's targets as Tanium documents them: the action group (default `Default`) and the
 * target group (default `All Computers`, an existing group by id or name, or a transient group from a
 * filter), narrowed to at most 25 endpoint ids and to platforms; returns how many endpoints it targets now.
 */
export function resolveTargets(
  state: EmulatorState,
  input: TargetsInput,
): { actionGroup: NamedId; targetGroup: NamedId; targeted: number } {
  const groupRef = input.actionGroup ?? { name: 'Default' };
  const actionGroup = state.objects.actions.group(groupRef);
  if (!actionGroup) throw new PayloadError(`no action group ${refText(groupRef)}`);
  if ((input.endpoints?.length ?? 0) > 25) throw new PayloadError('target at most 25 endpoints by id');
  if (input.platforms?.includes('Unknown'))
    throw new PayloadError('the platform "Unknown" cannot be targeted');
  const view = state.fleet.view(state.now());
  const groups = state.objects.groups;
  let targetGroup: NamedId;
  let inTarget: (i: number) => boolean;
  const target = input.targetGroup;
  if (target?.filter && !target.id && !target.name) {
    inTarget = compileEndpointFilter(target.filter as EndpointFieldFilterInput, view, groups);
    targetGroup = { id: '', name: 'transient group' };
  } else {
    const ref = target ?? { name: 'All Computers' };
    const group = groups.find({ id: ref.id ?? null, name: ref.id ? null : (ref.name ?? null) });
    if (!group) throw new PayloadError(`no computer group ${refText(ref)}`);
    targetGroup = { id: group.id, name: group.name };
    inTarget = (i) =>
      groups.isMember(view, i, { id: group.id }, (f, v, j) =>
        compileEndpointFilter(f as EndpointFieldFilterInput, v, groups)(j),
      );
  }
  const ids = input.endpoints?.length ? new Set(input.endpoints) : undefined;
  const platforms = input.platforms?.length ? new Set(input.platforms) : undefined;
  let targeted = 0;
  for (const i of view.live()) {
    if (ids && !ids.has(view.endpointId(i))) continue;
    if (!inTarget(i)) continue;
    if (platforms && !platforms.has(view.endpoint(i).os.platform)) continue;
    targeted++;
  }
  return { actionGroup: { id: actionGroup.id, name: actionGroup.name }, targetGroup, targeted };
}

export const refText = (ref: { id?: string | null; name?: string | null }) =>
  ref.id ? `with id ${ref.id}` : `named "${ref.name ?? ''}"`;

export const payloadError = (message: string) => ({ message, retryable: false, timedOut: false });
