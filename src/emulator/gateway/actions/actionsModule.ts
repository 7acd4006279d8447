import type { Principal } from '../../authenticate.js';
import { taniumTime } from '../../clock.js';
import type { EmulatorState } from '../../emulatorState.js';
import {
  type ActionRecord,
  actionStatus,
  type Creator,
  type ScheduledActionRecord,
} from '../../objects/actions.js';
import { type FieldFilterInput, filterList } from '../endpoints/listFilter.js';
import type { GatewayModule } from '../gatewayModule.js';
import { groupNode } from '../groupsModule.js';
import { listConnection, type PageArgs } from '../listConnection.js';
import {
  type PackageInput,
  PayloadError,
  payloadError,
  refText,
  resolvePackage,
  resolveTargets,
  type TargetsInput,
} from './actionTargets.js';
import { actionTypeDefs } from './actionTypes.js';

const ACTION_FILTER_PATHS = [
  'id',
  'name',
  'comment',
  'package',
  'creator',
  'creationTime',
  'expirationTime',
  'startTime',
  'distributeSeconds',
  'expireSeconds',
  'status',
];
const SCHEDULED_FILTER_PATHS = [
  'id',
  'name',
  'comment',
  'package',
  'creator',
  'nextStartTime',
  'lastStartTime',
  'distributeSeconds',
  'expireSeconds',
  'issueSeconds',
  'issueCount',
  'startTime',
  'endTime',
];

/** Actions, action groups and scheduled actions, backed by the emulator's action book. */
export const actionsModule: GatewayModule = {
  typeDefs: actionTypeDefs,
  query: {
    action: (args, { state }) => {
      const found = state.objects.actions.action((args['ref'] as { id: string }).id);
      return found ? actionNode(state, found) : null;
    },
    actions: (rawArgs, { state }) => {
      const args = rawArgs as PageArgs & { filter?: FieldFilterInput | null };
      const nodes = state.objects.actions.actions.map((a) => actionNode(state, a));
      return listConnection(filterList(nodes, args.filter, 'Action', ACTION_FILTER_PATHS), args, {
        max: 200,
        defaultFirst: 20,
      });
    },
    actionGroup: (args, { state }) => {
      const group = state.objects.actions.group(args['ref'] as { id?: string; name?: string });
      return group ? actionGroupNode(state, group) : null;
    },
    actionGroups: (rawArgs, { state }) =>
      listConnection(
        state.objects.actions.groups.map((g) => actionGroupNode(state, g)),
        rawArgs as PageArgs,
        { max: 5_000, defaultFirst: 20 },
      ),
    scheduledAction: (args, { state }) => {
      const found = state.objects.actions.scheduledAction((args['ref'] as { id: string }).id);
      return found ? scheduledNode(state, found) : null;
    },
    scheduledActions: (rawArgs, { state }) => {
      const args = rawArgs as PageArgs & { filter?: FieldFilterInput | null };
      const nodes = state.objects.actions.scheduled.map((s) => scheduledNode(state, s));
      return listConnection(filterList(nodes, args.filter, 'ScheduledAction', SCHEDULED_FILTER_PATHS), args, {
        max: 5_000,
        defaultFirst: 20,
      });
    },
  },
  mutation: {
    actionCreate: (args, { state, principal }) =>
      attempt('action', () =>
        actionNode(state, createAction(state, principal, args['input'] as ActionInput)),
      ),
    actionStop: (args, { state }) => {
      const id = (args['ref'] as { id: string }).id;
      const found = state.objects.actions.action(id);
      if (!found) return { id: null, error: payloadError(`no action with id ${id}`) };
      // Stopping is idempotent; an action that has closed stays closed but is marked stopped, as Tanium does.
      found.stoppedMs ??= state.now();
      return { id, error: null };
    },
    actionGroupCreate: (args, { state }) => {
      const input = args['input'] as {
        any: boolean;
        computerGroups: { id?: string | null; name?: string | null }[];
        name: string;
        visibility: 'ADMIN' | 'ALL' | 'USER_GROUPS';
      };
      const book = state.objects.actions;
      if (book.group({ name: input.name }))
        return { group: null, error: payloadError(`an action group named "${input.name}" already exists`) };
      const groups = [];
      for (const ref of input.computerGroups) {
        const g = state.objects.groups.find(ref);
        if (!g) return { group: null, error: payloadError(`no computer group ${refText(ref)}`) };
        groups.push({ id: g.id, name: g.name });
      }
      const group = {
        id: book.nextId(),
        name: input.name,
        any: input.any,
        computerGroups: groups,
        visibility: input.visibility,
      };
      book.groups.push(group);
      return { group: actionGroupNode(state, group), error: null };
    },
    actionGroupDelete: (args, { state }) => {
      const ref = args['ref'] as { id?: string | null; name?: string | null };
      const book = state.objects.actions;
      const group = book.group(ref);
      if (!group) return { id: null, error: payloadError(`no action group ${refText(ref)}`) };
      book.groups.splice(book.groups.indexOf(group), 1);
      return { id: group.id, error: null };
    },
    scheduledActionCreate: (args, { state, principal }) =>
      attempt('scheduledAction', () =>
        scheduledNode(state, createScheduled(state, principal, args['input'] as ScheduledInput)),
      ),
    scheduledActionDelete: (args, { state }) => {
      const id = (args['ref'] as { id: string }).id;
      if (!state.objects.actions.deleteScheduled(id))
        return { id: null, error: payloadError(`no scheduled action with id ${id}`) };
      return { id, error: null };
    },
    scheduledActionApprove: (args, { state }) => {
      const id = (args['ref'] as { id: string }).id;
      const found = state.objects.actions.scheduledAction(id);
      if (!found)
        return { id: null, approved: null, error: payloadError(`no scheduled action with id ${id}`) };
      found.approved = true;
      return { id, approved: true, error: null };
    },
  },
};

interface ActionInput {
  name?: string | null;
  comment?: string | null;
  package: PackageInput;
  schedule?: {
    distributeSeconds?: number | null;
    expireSeconds?: number | null;
    startTime?: string | null;
  } | null;
  targets: TargetsInput;
  metadata?: { name: string; value: string }[] | null;
}

interface ScheduledInput extends Omit<ActionInput, 'schedule'> {
  schedule: {
    distributeSeconds?: number | null;
    endTime?: string | null;
    expireSeconds?: number | null;
    reissueSeconds: number;
    startTime?: string | null;
  };
}

/** Runs a create, answering a refusal in the payload's `error` (nothing is created then). */
function attempt(key: 'action' | 'scheduledAction', create: () => unknown) {
  try {
    return { [key]: create(), error: null };
  } catch (error) {
    if (error instanceof PayloadError) return { [key]: null, error: payloadError(error.message) };
    throw error;
  }
}

function creatorOf(principal: Principal): Creator {
  return { userId: principal.user.id, userName: principal.user.name, personaName: principal.persona.name };
}

function timeOf(text: string | null | undefined, fallback: number): number {
  if (text === null || text === undefined) return fallback;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new PayloadError(`"${text}" is not an RFC 3339 time`);
  return ms;
}

function createAction(state: EmulatorState, principal: Principal, input: ActionInput): ActionRecord {
  const pkg = resolvePackage(state, input.package);
  const packageRecord = state.objects.packages.find({ id: pkg.id })!;
  const targets = resolveTargets(state, input.targets);
  const distributeSeconds = input.schedule?.distributeSeconds ?? 0;
  const minimum = Math.max(packageRecord.expireSeconds, packageRecord.commandTimeout + distributeSeconds);
  const expireSeconds = input.schedule?.expireSeconds ?? minimum;
  if (expireSeconds < minimum)
    throw new PayloadError(`expireSeconds must be at least ${minimum} for package "${pkg.name}"`);
  const now = state.now();
  const book = state.objects.actions;
  const record: ActionRecord = {
    id: book.nextId(),
    name: input.name ?? pkg.name,
    comment: input.comment ?? '',
    package: pkg,
    actionGroup: targets.actionGroup,
    targetGroup: targets.targetGroup,
    creator: creatorOf(principal),
    createdMs: now,
    startMs: timeOf(input.schedule?.startTime, now),
    expireSeconds,
    distributeSeconds,
    stoppedMs: null,
    scheduledActionId: null,
    metadata: input.metadata ?? [],
    targeted: targets.targeted,
  };
  book.actions.push(record);
  return record;
}

function createScheduled(
  state: EmulatorState,
  principal: Principal,
  input: ScheduledInput,
): ScheduledActionRecord {
  const pkg = resolvePackage(state, input.package);
  const packageRecord = state.objects.packages.find({ id: pkg.id })!;
  const targets = resolveTargets(state, input.targets);
  const s = input.schedule;
  const expireSeconds =
    s.expireSeconds ??
    Math.max(packageRecord.expireSeconds, packageRecord.commandTimeout + (s.distributeSeconds ?? 0));
  if (s.reissueSeconds <= expireSeconds)
    throw new PayloadError(`reissueSeconds must be greater than expireSeconds (${expireSeconds})`);
  const now = state.now();
  const startMs = timeOf(s.startTime, now);
  const endMs = s.endTime ? timeOf(s.endTime, now) : null;
  if (endMs !== null && endMs <= startMs) throw new PayloadError('endTime must be after startTime');
  const book = state.objects.actions;
  const record: ScheduledActionRecord = {
    id: book.nextId(),
    name: input.name ?? pkg.name,
    comment: input.comment ?? '',
    package: pkg,
    actionGroup: targets.actionGroup,
    targetGroup: targets.targetGroup,
    creator: creatorOf(principal),
    startMs,
    endMs,
    issueSeconds: s.reissueSeconds,
    expireSeconds,
    distributeSeconds: s.distributeSeconds ?? 0,
    approved: true,
    metadata: input.metadata ?? [],
    lastActionId: null,
    issueCount: 0,
  };
  book.scheduled.push(record);
  return record;
}

const principalNode = (c: Creator) => ({
  user: { id: String(c.userId), name: c.userName },
  persona: c.personaName === null ? null : { id: null, name: c.personaName },
});

/** Results as the action's endpoints would report them over its life: all done once it has closed. */
function results(a: ActionRecord, status: string, nowMs: number) {
  const span = Math.max(1, a.expireSeconds * 1000);
  const progress = status === 'PENDING' ? 0 : Math.min(1, (nowMs - a.startMs) / (span / 2));
  const done = Math.floor(a.targeted * progress);
  const failed = status === 'CLOSED' || status === 'STOPPED' ? Math.floor(done * 0.02) : 0;
  const waiting = status === 'OPEN' ? a.targeted - done : 0;
  const expired = status === 'CLOSED' || status === 'STOPPED' ? a.targeted - done : 0;
  return {
    id: a.id,
    completed: done - failed,
    failed,
    waiting,
    expired,
    running: 0,
    downloading: 0,
    verified: 0,
    failedVerification: 0,
    pendingVerification: 0,
    waitingToRetry: 0,
  };
}

function actionNode(state: EmulatorState, a: ActionRecord) {
  const now = state.now();
  const status = actionStatus(a, now);
  const scheduled = a.scheduledActionId
    ? state.objects.actions.scheduledAction(a.scheduledActionId)
    : undefined;
  return {
    id: a.id,
    name: a.name,
    comment: a.comment,
    creator: principalNode(a.creator),
    approver: null,
    creationTime: taniumTime(a.createdMs),
    startTime: taniumTime(a.startMs),
    expirationTime: taniumTime(a.startMs + a.expireSeconds * 1000),
    expireSeconds: a.expireSeconds,
    distributeSeconds: a.distributeSeconds,
    metadata: a.metadata.map((m) => ({ ...m, adminFlag: false })),
    package: { ...a.package },
    results: results(a, status, now),
    scheduledAction: scheduled ? scheduledNode(state, scheduled) : null,
    status,
    stopped: status === 'STOPPED',
    stoppedFlag: status === 'STOPPED',
    targets: { actionGroup: a.actionGroup, targetGroup: a.targetGroup },
  };
}

function scheduledNode(state: EmulatorState, s: ScheduledActionRecord) {
  const now = state.now();
  const period = s.issueSeconds * 1000;
  const ended = s.endMs !== null && now >= s.endMs;
  const issued = now < s.startMs ? 0 : Math.floor((Math.min(now, s.endMs ?? now) - s.startMs) / period) + 1;
  const last = issued > 0 ? s.startMs + (issued - 1) * period : null;
  const next = ended ? null : now < s.startMs ? s.startMs : s.startMs + issued * period;
  return {
    id: s.id,
    name: s.name,
    comment: s.comment,
    approved: s.approved,
    approver: s.approved ? principalNode(s.creator) : null,
    creator: principalNode(s.creator),
    distributeSeconds: s.distributeSeconds,
    expireSeconds: s.expireSeconds,
    issueSeconds: s.issueSeconds,
    issueCount: issued,
    startTime: taniumTime(s.startMs),
    endTime: s.endMs === null ? null : taniumTime(s.endMs),
    lastStartTime: last === null ? null : taniumTime(last),
    nextStartTime: next === null || (s.endMs !== null && next >= s.endMs) ? null : taniumTime(next),
    lastAction: null,
    metadata: s.metadata.map((m) => ({ ...m, adminFlag: false })),
    package: { ...s.package },
    status: 'ENABLED',
    targets: { actionGroup: s.actionGroup, targetGroup: s.targetGroup },
  };
}

function actionGroupNode(
  state: EmulatorState,
  g: { id: string; name: string; any: boolean; computerGroups: { id: string }[]; visibility: string },
) {
  return {
    id: g.id,
    name: g.name,
    any: g.any,
    visibility: g.visibility,
    userGroups: g.visibility === 'USER_GROUPS' ? [] : null,
    // A computer group deleted since is no longer listed.
    computerGroups: g.computerGroups
      .map((ref) => state.objects.groups.find({ id: ref.id }))
      .filter((x) => x !== undefined)
      .map(groupNode),
  };
}
