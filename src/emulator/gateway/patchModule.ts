import { GraphQLError } from 'graphql';
import { taniumTime } from '../clock.js';
import type { EmulatorState } from '../emulatorState.js';
import { type Patch, seedPatches } from '../modules/patchCatalogue.js';
import { type PatchDeploymentRecord, patchDeploymentStatus } from '../objects/patchDeployments.js';
import { payloadError } from './actions/actionTargets.js';
import type { GatewayModule } from './gatewayModule.js';
import { listConnection, type PageArgs } from './listConnection.js';

/** Patch over the Gateway: `patchDefinitions`, `patchDeployment`, `patchCreateDeployment`, `patchStopDeployment`. */
export const patchModule: GatewayModule = {
  typeDefs: /* GraphQL */ `
    enum PatchEndpointPlatform { LINUX MACOS WINDOWS }
    enum PatchDefinitionSortField { platform releaseDate severity title }
    type PatchDefinition {
      classification: String!
      createdDate: Date!
      cveIds: [String!]!
      id: String!
      isSuperseded: Boolean!
      platform: PatchEndpointPlatform!
      product: String!
      releaseDate: Date
      severity: String!
      sizeInBytes: Int!
      title: String!
    }
    type PatchDefinitionEdge implements Edge { cursor: Cursor! node: PatchDefinition! }
    type PatchDefinitionConnection implements Connection { edges: [PatchDefinitionEdge!]! pageInfo: PageInfo! totalRecords: Int! }
    input PatchDefinitionFieldFilter {
      classification: String
      cveIds: [String!]
      hasCve: Boolean
      isSuperseded: Boolean
      platform: PatchEndpointPlatform
      product: String
      releasedOnOrAfterDate: Date
      releasedOnOrBeforeDate: Date
      severity: String
    }
    input PatchDefinitionFieldSort { field: PatchDefinitionSortField! = releaseDate order: SortOrder! = desc }

    enum PatchContentDeploymentType { ALL_SECURITY_UPDATES ALL_UPDATES MANUAL_SELECTION }
    enum PatchDeploymentStatus { ACTIVE ENDED INACTIVE STOPPED }
    enum PatchDeploymentType { INSTALL UNINSTALL }
    enum PatchScheduleType { ONGOING SINGLE }
    type PatchListRef { id: ID! version: Int }
    input PatchListRefInput { id: ID! version: Int }
    type PatchPostponeOptions { durationOne: MonotonicDuration! durationThree: MonotonicDuration! durationTwo: MonotonicDuration! }
    input PatchPostponeOptionsInput {
      durationOne: MonotonicDurationInput! = {seconds: 3600}
      durationThree: MonotonicDurationInput! = {seconds: 1440}
      durationTwo: MonotonicDurationInput! = {seconds: 7200}
    }
    type PatchClientNotificationTranslation { body: String! languageCode: String! title: String! }
    input PatchClientNotificationTranslationInput { body: String! languageCode: String! title: String! }
    type PatchClientNotification {
      body: String!
      countdownToDeadline: MonotonicDuration!
      includeFrame: Boolean!
      notificationPeriodDuration: MonotonicDuration!
      postponeOptions: PatchPostponeOptions
      title: String!
      translations: [PatchClientNotificationTranslation!]
    }
    input PatchClientNotificationInput {
      body: String!
      countdownToDeadline: MonotonicDurationInput! = {seconds: 600}
      includeFrame: Boolean! = true
      notificationPeriodDuration: MonotonicDurationInput! = {seconds: 86400}
      postponeOptions: PatchPostponeOptionsInput
      title: String!
      translations: [PatchClientNotificationTranslationInput!]
    }
    type PatchNotifications { postDeployment: PatchClientNotification }
    input PatchNotificationsInput { postDeployment: PatchClientNotificationInput }
    type PatchQuestionCriteria {
      limitingGroups: [IdRef!]
      questionGroups: [IdRef!] @deprecated(reason: "Deprecated")
    }
    input PatchQuestionCriteriaInput { filter: ComputerGroupFilter limitingGroups: [IdRefInput!] }
    type PatchTargets { computerGroups: [IdRef!] questionCriteria: PatchQuestionCriteria }
    input PatchTargetsInput { computerGroups: [IdRefInput!] questionCriteria: PatchQuestionCriteriaInput }
    type PatchSchedule {
      distributeOver: MonotonicDuration
      endTime: Time
      eussAvailableBeforeStart: Boolean
      eussHideFromActivity: Boolean
      overrideMaintenanceWindows: Boolean!
      startTime: Time!
      timeZone: String
      type: PatchScheduleType!
    }
    input PatchScheduleInput {
      distributeOver: MonotonicDurationInput
      endTime: Time
      eussAvailableBeforeStart: Boolean = false
      eussHideFromActivity: Boolean = false
      overrideMaintenanceWindows: Boolean! = false
      startTime: Time!
      timeZone: String
      type: PatchScheduleType!
    }
    type PatchDeployment {
      author: TaniumPlatformUser
      contentDeploymentType: PatchContentDeploymentType!
      contentSet: IdRef!
      createdTime: Time!
      description: String
      downloadImmediately: Boolean!
      id: ID!
      name: String!
      notifications: PatchNotifications
      overrideBlocklists: Boolean!
      patchLists: [PatchListRef!]
      patches: [IdRef!]
      platform: PatchEndpointPlatform!
      restart: Boolean!
      schedule: PatchSchedule
      status: PatchDeploymentStatus!
      stoppedTime: Time
      targets: PatchTargets!
      type: PatchDeploymentType!
      updatedTime: Time!
    }
    input PatchCreateDeploymentInput {
      contentDeploymentType: PatchContentDeploymentType! = MANUAL_SELECTION
      contentSet: IdRefInput!
      description: String
      downloadImmediately: Boolean! = true
      name: String!
      notifications: PatchNotificationsInput
      overrideBlocklists: Boolean! = false
      patchLists: [PatchListRefInput!]
      patches: [IdRefInput!]
      platform: PatchEndpointPlatform!
      restart: Boolean! = false
      schedule: PatchScheduleInput
      targets: PatchTargetsInput!
      type: PatchDeploymentType! = INSTALL
    }
    type PatchCreateDeploymentPayload { deployment: PatchDeployment error: SystemError }
    type PatchStopDeploymentPayload { deployment: PatchDeployment error: SystemError }
    extend type Query {
      patchDefinitions(
        after: Cursor
        before: Cursor
        filter: PatchDefinitionFieldFilter
        first: Int = 100
        last: Int
        sort: PatchDefinitionFieldSort! = {field: releaseDate, order: desc}
      ): PatchDefinitionConnection!
      patchDeployment(ref: IdRefInput!): PatchDeployment
    }
    extend type Mutation {
      patchCreateDeployment(input: PatchCreateDeploymentInput!): PatchCreateDeploymentPayload!
      patchStopDeployment(ref: IdRefInput!): PatchStopDeploymentPayload!
    }
  `,
  query: {
    patchDefinitions: (rawArgs) => {
      const args = rawArgs as unknown as PageArgs & {
        filter?: DefinitionFilter | null;
        sort: { field: keyof Definition; order: 'asc' | 'desc' };
      };
      const matching = DEFINITIONS.filter(definitionMatches(args.filter));
      const direction = args.sort.order === 'desc' ? -1 : 1;
      const sorted = [...matching].sort(
        (a, b) =>
          direction * String(a[args.sort.field] ?? '').localeCompare(String(b[args.sort.field] ?? '')),
      );
      return listConnection(sorted, args, { max: 5_000, defaultFirst: 100 });
    },
    patchDeployment: (args, { state }) => {
      const found = state.objects.patchDeployments.find((args['ref'] as { id: string }).id);
      return found ? deploymentNode(state, found) : null;
    },
  },
  mutation: {
    patchCreateDeployment: (args, { state, principal }) => {
      try {
        const record = createDeployment(state, args['input'] as CreateInput, principal.user);
        return { deployment: deploymentNode(state, record), error: null };
      } catch (error) {
        if (error instanceof GraphQLError) return { deployment: null, error: payloadError(error.message) };
        throw error;
      }
    },
    patchStopDeployment: (args, { state }) => {
      const id = (args['ref'] as { id: string }).id;
      const found = state.objects.patchDeployments.find(id);
      if (!found) return { deployment: null, error: payloadError(`no Patch deployment with id ${id}`) };
      // Stopping has no effect on a finished deployment (Tanium's schema says so).
      if (patchDeploymentStatus(found, state.now()) !== 'ENDED') {
        found.stoppedMs ??= state.now();
        found.updatedMs = state.now();
      }
      return { deployment: deploymentNode(state, found), error: null };
    },
  },
};

interface Definition {
  id: string;
  title: string;
  classification: string;
  createdDate: string;
  cveIds: string[];
  isSuperseded: boolean;
  platform: 'LINUX' | 'WINDOWS';
  product: string;
  releaseDate: string;
  severity: string;
  sizeInBytes: number;
}

const DEFINITIONS: readonly Definition[] = seedPatches().map(definitionOf);

function definitionOf(p: Patch): Definition {
  return {
    id: p.taniumUid,
    title: p.title,
    classification: p.classification,
    createdDate: p.createdAt,
    cveIds: p.cveIds ? p.cveIds.split(/[ ,]+/).filter(Boolean) : [],
    isSuperseded: p.isSuperseded,
    platform: p.osType === 'windows' ? 'WINDOWS' : 'LINUX',
    product: p.product,
    releaseDate: p.releaseDate,
    severity: p.severity.toLowerCase(),
    sizeInBytes: p.sizeInBytes,
  };
}

interface DefinitionFilter {
  classification?: string | null;
  cveIds?: string[] | null;
  hasCve?: boolean | null;
  isSuperseded?: boolean | null;
  platform?: string | null;
  product?: string | null;
  releasedOnOrAfterDate?: string | null;
  releasedOnOrBeforeDate?: string | null;
  severity?: string | null;
}

function definitionMatches(f: DefinitionFilter | null | undefined) {
  if (f?.cveIds && f.cveIds.length > 1)
    throw new GraphQLError('Give at most one CVE id per patch definition filter.');
  const same = (a: string, b: string | null | undefined) => b == null || a.toLowerCase() === b.toLowerCase();
  const day = (text: string) => text.slice(0, 10);
  return (d: Definition) =>
    same(d.classification, f?.classification) &&
    same(d.product, f?.product) &&
    same(d.severity, f?.severity) &&
    (f?.platform == null || d.platform === f.platform) &&
    (f?.isSuperseded == null || d.isSuperseded === f.isSuperseded) &&
    (f?.hasCve == null || d.cveIds.length > 0 === f.hasCve) &&
    (!f?.cveIds?.length || d.cveIds.includes(f.cveIds[0]!)) &&
    (f?.releasedOnOrAfterDate == null || day(d.releaseDate) >= day(f.releasedOnOrAfterDate)) &&
    (f?.releasedOnOrBeforeDate == null || day(d.releaseDate) <= day(f.releasedOnOrBeforeDate));
}

interface CreateInput {
  name: string;
  description?: string | null;
  type: 'INSTALL' | 'UNINSTALL';
  platform: 'LINUX' | 'MACOS' | 'WINDOWS';
  contentDeploymentType: 'ALL_SECURITY_UPDATES' | 'ALL_UPDATES' | 'MANUAL_SELECTION';
  contentSet: { id: string };
  patches?: { id: string }[] | null;
  patchLists?: { id: string; version?: number | null }[] | null;
  targets: {
    computerGroups?: { id: string }[] | null;
    questionCriteria?: { limitingGroups?: { id: string }[] | null } | null;
  };
  schedule?: {
    type: 'ONGOING' | 'SINGLE';
    startTime: string;
    endTime?: string | null;
    timeZone?: string | null;
    overrideMaintenanceWindows: boolean;
    distributeOver?: { seconds: number } | null;
    eussAvailableBeforeStart?: boolean | null;
    eussHideFromActivity?: boolean | null;
  } | null;
  downloadImmediately: boolean;
  overrideBlocklists: boolean;
  restart: boolean;
}

/** Checks a deployment as Tanium's schema describes the rules, then records it. */
function createDeployment(
  state: EmulatorState,
  input: CreateInput,
  user: { id: number; name: string },
): PatchDeploymentRecord {
  const refuse = (message: string): never => {
    throw new GraphQLError(message);
  };
  if (input.name.trim() === '') refuse('the deployment name must not be empty');
  const manual = input.contentDeploymentType === 'MANUAL_SELECTION';
  if (input.platform !== 'LINUX' && !manual)
    refuse('Windows and macOS deployments must use MANUAL_SELECTION');
  if (input.platform !== 'WINDOWS' && input.type !== 'INSTALL')
    refuse('macOS and Linux deployments must be INSTALL');
  if (input.platform !== 'WINDOWS' && !input.schedule) refuse('macOS and Linux deployments need a schedule');
  const listed = (input.patches?.length ?? 0) + (input.patchLists?.length ?? 0);
  if (manual && listed === 0) refuse('define at least one of patches or patchLists');
  if (!manual && listed > 0)
    refuse('patches and patchLists must be null unless contentDeploymentType is MANUAL_SELECTION');
  for (const p of input.patches ?? [])
    if (!DEFINITIONS.some((d) => d.id === p.id)) refuse(`no patch definition with id ${p.id}`);
  const groups = [
    ...(input.targets.computerGroups ?? []),
    ...(input.targets.questionCriteria?.limitingGroups ?? []),
  ];
  for (const g of groups)
    if (!state.objects.groups.find({ id: g.id })) refuse(`no computer group with id ${g.id}`);
  if (!input.targets.computerGroups?.length && !input.targets.questionCriteria)
    refuse('target at least one computer group or question criteria');
  const now = state.now();
  const schedule = input.schedule
    ? {
        type: input.schedule.type,
        startMs: Date.parse(input.schedule.startTime),
        endMs: input.schedule.endTime ? Date.parse(input.schedule.endTime) : null,
        timeZone: input.schedule.timeZone ?? null,
        overrideMaintenanceWindows: input.schedule.overrideMaintenanceWindows,
        distributeOverSeconds: input.schedule.distributeOver?.seconds ?? null,
        eussAvailableBeforeStart: input.schedule.eussAvailableBeforeStart ?? false,
        eussHideFromActivity: input.schedule.eussHideFromActivity ?? false,
      }
    : null;
  if (schedule && Number.isNaN(schedule.startMs)) refuse('startTime is not an RFC 3339 time');
  if (schedule?.type === 'SINGLE' && schedule.endMs === null) refuse('a SINGLE deployment needs an endTime');
  if (schedule && schedule.endMs !== null && !(schedule.endMs > schedule.startMs))
    refuse('endTime must be after startTime');
  return state.objects.patchDeployments.add({
    name: input.name,
    description: input.description ?? null,
    type: input.type,
    platform: input.platform,
    contentDeploymentType: input.contentDeploymentType,
    contentSetId: input.contentSet.id,
    patches: input.patches?.map((p) => p.id) ?? null,
    patchLists: input.patchLists?.map((l) => ({ id: l.id, version: l.version ?? null })) ?? null,
    computerGroups: input.targets.computerGroups?.map((g) => g.id) ?? null,
    limitingGroups: input.targets.questionCriteria?.limitingGroups?.map((g) => g.id) ?? null,
    schedule,
    downloadImmediately: input.downloadImmediately,
    overrideBlocklists: input.overrideBlocklists,
    restart: input.restart,
    author: { id: String(user.id), name: user.name },
    createdMs: now,
    updatedMs: now,
    stoppedMs: null,
  });
}

function deploymentNode(state: EmulatorState, d: PatchDeploymentRecord) {
  const s = d.schedule;
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    type: d.type,
    platform: d.platform,
    contentDeploymentType: d.contentDeploymentType,
    contentSet: { id: d.contentSetId },
    patches: d.patches?.map((id) => ({ id })) ?? null,
    patchLists: d.patchLists,
    targets: {
      computerGroups: d.computerGroups?.map((id) => ({ id })) ?? null,
      questionCriteria: d.limitingGroups
        ? { limitingGroups: d.limitingGroups.map((id) => ({ id })), questionGroups: null }
        : null,
    },
    schedule: s
      ? {
          type: s.type,
          startTime: taniumTime(s.startMs),
          endTime: s.endMs === null ? null : taniumTime(s.endMs),
          timeZone: s.timeZone,
          overrideMaintenanceWindows: s.overrideMaintenanceWindows,
          distributeOver:
            s.distributeOverSeconds === null ? null : { seconds: s.distributeOverSeconds, nanoseconds: 0 },
          eussAvailableBeforeStart: s.eussAvailableBeforeStart,
          eussHideFromActivity: s.eussHideFromActivity,
        }
      : null,
    notifications: null,
    downloadImmediately: d.downloadImmediately,
    overrideBlocklists: d.overrideBlocklists,
    restart: d.restart,
    author: { id: d.author.id, username: d.author.name, displayName: d.author.name },
    status: patchDeploymentStatus(d, state.now()),
    createdTime: taniumTime(d.createdMs),
    updatedTime: taniumTime(d.updatedMs),
    stoppedTime: d.stoppedMs === null ? null : taniumTime(d.stoppedMs),
  };
}
