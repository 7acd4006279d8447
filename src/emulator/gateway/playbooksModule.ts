import { taniumTime } from '../clock.js';
import type { EmulatorState } from '../emulatorState.js';
import type {
  PlaybookRecord,
  PlaybookScheduleRecord,
  ScheduleSpecification,
} from '../objects/playbookSchedules.js';
import { payloadError } from './actions/actionTargets.js';
import { parseCron } from './cron.js';
import type { GatewayModule } from './gatewayModule.js';
import { listConnection, type PageArgs } from './listConnection.js';

/**
 * Automate playbook schedules: `playbookSchedule`, `playbookSchedules`, `playbookScheduleUpsert`, and
 * `playbook` for the playbooks they run. `Playbook`, `PlaybookStepOverride` and their inputs are a
 * subset of Tanium's types (no steps or task arguments; docs/emulator.md).
 */
export const playbooksModule: GatewayModule = {
  typeDefs: /* GraphQL */ `
    input IDRevisionRefInput { id: ID! revision: Int }
    type Playbook {
      contentSet: TaniumPlatformContentSet
      contentSetID: ID!
      createdTime: Time!
      deleted: Boolean!
      description: String
      id: ID!
      isTaniumManaged: Boolean!
      name: String!
      revision: Int!
      updatedTime: Time!
    }
    type PlaybookScheduleSpecificationOnce { startTime: Time! }
    type PlaybookScheduleSpecificationRecurring { cron: CronExpression! endTime: Time startTime: Time }
    type PlaybookScheduleSpecificationRelative {
      dayOfWeek: DayOfWeek! endTime: Time hour: Int! minute: Int! offset: Int! startTime: Time week: Int!
    }
    union PlaybookScheduleSpecification =
        PlaybookScheduleSpecificationOnce
      | PlaybookScheduleSpecificationRecurring
      | PlaybookScheduleSpecificationRelative
    input PlaybookScheduleSpecificationOnceInput { startTime: Time! }
    input PlaybookScheduleSpecificationRecurringInput { cron: CronExpression! endTime: Time startTime: Time }
    input PlaybookScheduleSpecificationRelativeInput {
      dayOfWeek: DayOfWeek! endTime: Time hour: Int! = 0 minute: Int! = 0 offset: Int! startTime: Time week: Int!
    }
    input PlaybookScheduleSpecificationInput {
      once: PlaybookScheduleSpecificationOnceInput
      recurring: PlaybookScheduleSpecificationRecurringInput
      relative: PlaybookScheduleSpecificationRelativeInput
    }
    enum PlaybookScheduleEventType {
      DISABLED_BY_CONSECUTIVE_FAILURES DISABLED_BY_EXPIRED_TOKEN DISABLED_BY_INVALID_CRON
      DISABLED_BY_MISSING_OVERRIDES DISABLED_BY_PLAYBOOK_UPDATES DISABLED_BY_USER
    }
    type PlaybookScheduleEvent { createdTime: Time! initiator: TaniumPlatformUserContext name: PlaybookScheduleEventType! }
    type PlaybookStepOverride { stepId: ID! }
    type PlaybookStepTaskArgumentOverride { stepId: String! }
    input PlaybookStepTargetingInput { customTargeting: ComputerGroupFilter previousStepCompletedTargetingID: ID previousStepTargetingID: ID }
    input PlaybookStepOverrideInput { endpointTargeting: PlaybookStepTargetingInput stepID: ID! }
    type PlaybookSchedule {
      applyingUpdates: Boolean!
      createdTime: Time!
      cron: CronExpression! @deprecated(reason: "Use specification.recurring.cron.")
      description: String
      enabled: Boolean!
      events: [PlaybookScheduleEvent!]!
      expired: Boolean!
      id: ID!
      lastRunTime: Time
      nextRunTime: Time! @deprecated(reason: "Use nextRunTimes.")
      nextRunTimes(count: Int! = 1): [Time!]!
      playbook: Playbook!
      revision: Int!
      scheduledBy: TaniumPlatformUserContext!
      specification: PlaybookScheduleSpecification!
      stepOverrides: [PlaybookStepOverride!]!
      taskArgumentOverrides: [PlaybookStepTaskArgumentOverride!]!
      updatedTime: Time!
    }
    type PlaybookScheduleEdge implements Edge { cursor: Cursor! node: PlaybookSchedule! }
    type PlaybookScheduleConnection implements Connection { edges: [PlaybookScheduleEdge!]! pageInfo: PageInfo! totalRecords: Int! }
    input PlaybookScheduleFieldFilter { excludedScheduledByIDs: [ID!] isEnabled: Boolean playbookIDs: [ID!] scheduledByIDs: [ID!] }
    input PlaybookScheduleUpsertInput {
      description: String
      dryRun: Boolean! = false
      enabled: Boolean!
      id: ID
      playbookID: ID!
      specification: PlaybookScheduleSpecificationInput
      stepOverrides: [PlaybookStepOverrideInput!]! = []
    }
    type PlaybookScheduleUpsertPayload { error: SystemError isNewRecord: Boolean playbookSchedule: PlaybookSchedule }
    extend type Query {
      playbook(ref: IDRevisionRefInput!): Playbook
      playbookSchedule(ref: IdRefInput!): PlaybookSchedule
      playbookSchedules(after: Cursor, filter: PlaybookScheduleFieldFilter, first: Int = 20): PlaybookScheduleConnection
    }
    extend type Mutation {
      playbookScheduleUpsert(input: PlaybookScheduleUpsertInput!): PlaybookScheduleUpsertPayload!
    }
  `,
  fieldResolvers(schema) {
    const type = schema.getType('PlaybookSchedule') as import('graphql').GraphQLObjectType;
    type.getFields()['nextRunTimes']!.resolve = (s: ScheduleNode, args: { count: number }) =>
      runTimes(s.record.specification, s.now, Math.min(Math.max(args.count, 0), 10)).map(taniumTime);
  },
  query: {
    playbook: (args, { state }) => {
      const found = state.objects.playbooks.playbook((args['ref'] as { id: string }).id);
      return found ? playbookNode(found) : null;
    },
    playbookSchedule: (args, { state }) => {
      const found = state.objects.playbooks.schedule((args['ref'] as { id: string }).id);
      return found ? scheduleNode(state, found) : null;
    },
    playbookSchedules: (rawArgs, { state }) => {
      const args = rawArgs as PageArgs & { filter?: ScheduleFilter | null };
      const f = args.filter;
      const schedules = state.objects.playbooks.schedules.filter(
        (s) =>
          (f?.isEnabled == null || s.enabled === f.isEnabled) &&
          (!f?.playbookIDs || f.playbookIDs.includes(s.playbookId)) &&
          (!f?.scheduledByIDs || f.scheduledByIDs.includes(s.scheduledBy.userId)) &&
          !f?.excludedScheduledByIDs?.includes(s.scheduledBy.userId),
      );
      return listConnection(
        schedules.map((s) => scheduleNode(state, s)),
        args,
        { max: 500, defaultFirst: 20 },
      );
    },
  },
  mutation: {
    playbookScheduleUpsert: (args, { state, principal }) => {
      const input = args['input'] as UpsertInput;
      const book = state.objects.playbooks;
      const refuse = (message: string) => ({
        playbookSchedule: null,
        isNewRecord: null,
        error: payloadError(message),
      });
      if (!book.playbook(input.playbookID)) return refuse(`no playbook with id ${input.playbookID}`);
      const existing = input.id ? book.schedule(input.id) : undefined;
      if (input.id && !existing) return refuse(`no playbook schedule with id ${input.id}`);
      let specification: ScheduleSpecification;
      try {
        specification = specificationOf(input.specification ?? existing?.specification);
      } catch (error) {
        return refuse((error as Error).message);
      }
      const now = state.now();
      const record: PlaybookScheduleRecord = {
        id: existing?.id ?? book.nextScheduleId(),
        playbookId: input.playbookID,
        description: input.description ?? null,
        enabled: input.enabled,
        specification,
        revision: (existing?.revision ?? 0) + 1,
        scheduledBy: {
          userId: String(principal.user.id),
          userName: principal.user.name,
          personaName: principal.persona.name,
        },
        createdMs: existing?.createdMs ?? now,
        updatedMs: now,
      };
      // A dry run validates and answers nothing (Tanium: "a playbook schedule record is not created").
      if (input.dryRun) return { playbookSchedule: null, isNewRecord: null, error: null };
      if (existing) book.schedules.splice(book.schedules.indexOf(existing), 1, record);
      else book.schedules.push(record);
      return { playbookSchedule: scheduleNode(state, record), isNewRecord: !existing, error: null };
    },
  },
};

interface UpsertInput {
  id?: string | null;
  playbookID: string;
  description?: string | null;
  enabled: boolean;
  dryRun: boolean;
  specification?: SpecInput | ScheduleSpecification | null;
}
interface SpecInput {
  once?: { startTime: string } | null;
  recurring?: { cron: string; startTime?: string | null; endTime?: string | null } | null;
  relative?: {
    dayOfWeek: string;
    week: number;
    offset: number;
    hour: number;
    minute: number;
    startTime?: string | null;
    endTime?: string | null;
  } | null;
}
interface ScheduleFilter {
  excludedScheduledByIDs?: string[] | null;
  isEnabled?: boolean | null;
  playbookIDs?: string[] | null;
  scheduledByIDs?: string[] | null;
}

const time = (text: string | null | undefined): number | null => {
  if (text === null || text === undefined) return null;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`"${text}" is not an RFC 3339 time`);
  return ms;
};

/** Exactly one of `once`, `recurring` or `relative`, checked as Tanium's schema states the ranges. */
function specificationOf(spec: SpecInput | ScheduleSpecification | null | undefined): ScheduleSpecification {
  if (!spec) throw new Error('a new playbook schedule needs a specification');
  if ('kind' in spec) return spec;
  const given = [spec.once, spec.recurring, spec.relative].filter((x) => x != null);
  if (given.length !== 1) throw new Error('give exactly one of once, recurring or relative');
  if (spec.once) return { kind: 'once', startMs: time(spec.once.startTime)! };
  if (spec.recurring) {
    parseCron(spec.recurring.cron);
    return {
      kind: 'recurring',
      cron: spec.recurring.cron,
      startMs: time(spec.recurring.startTime),
      endMs: time(spec.recurring.endTime),
    };
  }
  const r = spec.relative!;
  if (r.week < 1 || r.week > 5) throw new Error('week must be from 1 to 5');
  if (r.offset < -6 || r.offset > 6) throw new Error('offset must be from -6 to 6');
  if (r.hour < 0 || r.hour > 23 || r.minute < 0 || r.minute > 59)
    throw new Error('hour is 0-23 and minute 0-59');
  return { kind: 'relative', ...r, startMs: time(r.startTime), endMs: time(r.endTime) };
}

const DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

/** The next `count` run times after `now` (UTC), within the specification's start and end. */
function runTimes(spec: ScheduleSpecification, now: number, count: number): number[] {
  if (spec.kind === 'once') return spec.startMs > now && count > 0 ? [spec.startMs] : [];
  const out: number[] = [];
  let after = Math.max(now, (spec.startMs ?? now) - 1);
  if (spec.kind === 'recurring') {
    const cron = parseCron(spec.cron);
    while (out.length < count) {
      const next = cron.next(after);
      if (next === null || (spec.endMs !== null && next > spec.endMs)) break;
      out.push(next);
      after = next;
    }
    return out;
  }
  const month = new Date(after);
  for (let m = 0; m < 24 && out.length < count; m++) {
    const at = relativeRun(spec, month.getUTCFullYear(), month.getUTCMonth() + m);
    if (at <= after) continue;
    if (spec.endMs !== null && at > spec.endMs) break;
    out.push(at);
  }
  return out;
}

/** The week-th (5: last) given weekday of a month, moved by offset days, at hour:minute UTC. */
function relativeRun(
  spec: Extract<ScheduleSpecification, { kind: 'relative' }>,
  year: number,
  month: number,
): number {
  const weekday = DAYS.indexOf(spec.dayOfWeek);
  const first = new Date(Date.UTC(year, month, 1));
  let day = 1 + ((weekday - first.getUTCDay() + 7) % 7) + (spec.week - 1) * 7;
  const length = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  while (day > length) day -= 7;
  return Date.UTC(year, month, day + spec.offset, spec.hour, spec.minute);
}

function specificationNode(spec: ScheduleSpecification) {
  const t = (ms: number | null) => (ms === null ? null : taniumTime(ms));
  if (spec.kind === 'once')
    return { __typename: 'PlaybookScheduleSpecificationOnce', startTime: taniumTime(spec.startMs) };
  if (spec.kind === 'recurring')
    return {
      __typename: 'PlaybookScheduleSpecificationRecurring',
      cron: spec.cron,
      startTime: t(spec.startMs),
      endTime: t(spec.endMs),
    };
  const { kind: _kind, startMs, endMs, ...rest } = spec;
  return {
    __typename: 'PlaybookScheduleSpecificationRelative',
    ...rest,
    startTime: t(startMs),
    endTime: t(endMs),
  };
}

interface ScheduleNode {
  record: PlaybookScheduleRecord;
  now: number;
}

function scheduleNode(state: EmulatorState, s: PlaybookScheduleRecord) {
  const now = state.now();
  const spec = s.specification;
  const next = runTimes(spec, now, 1)[0];
  const expired = spec.kind === 'once' ? spec.startMs <= now : spec.endMs !== null && spec.endMs <= now;
  return {
    record: s,
    now,
    id: s.id,
    description: s.description,
    enabled: s.enabled,
    applyingUpdates: false,
    createdTime: taniumTime(s.createdMs),
    updatedTime: taniumTime(s.updatedMs),
    cron: spec.kind === 'recurring' ? spec.cron : '',
    events: [],
    expired,
    lastRunTime: null,
    nextRunTime: taniumTime(next ?? 0),
    playbook: playbookNode(state.objects.playbooks.playbook(s.playbookId)!),
    revision: s.revision,
    scheduledBy: {
      user: {
        id: s.scheduledBy.userId,
        username: s.scheduledBy.userName,
        displayName: s.scheduledBy.userName,
      },
      persona: s.scheduledBy.personaName === null ? null : { id: '1', name: s.scheduledBy.personaName },
    },
    specification: specificationNode(spec),
    stepOverrides: [],
    taskArgumentOverrides: [],
  };
}

function playbookNode(p: PlaybookRecord) {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    revision: p.revision,
    contentSetID: p.contentSetId,
    contentSet: { id: p.contentSetId, name: 'Automate', description: null },
    createdTime: taniumTime(p.createdMs),
    updatedTime: taniumTime(p.updatedMs),
    deleted: false,
    isTaniumManaged: false,
  };
}
