/**
 * Action groups, actions and scheduled actions, as the Gateway's `actionGroups`, `actions`,
 * `actionCreate`, `actionStop`, `scheduledActions` and `scheduledActionDelete` see them. An action's
 * status follows the emulator clock (PENDING before its start, OPEN until it expires, then CLOSED);
 * a stopped action stays STOPPED; a deleted scheduled action is gone from every answer.
 */
export interface NamedId {
  id: string;
  name: string;
}

export interface ActionGroupRecord extends NamedId {
  any: boolean;
  computerGroups: NamedId[];
  visibility: 'ADMIN' | 'ALL' | 'USER_GROUPS';
}

export interface PackageUse {
  id: string;
  name: string;
  params: string[];
  sensorSourcedParams: { name: string; value: string }[];
}

export interface Creator {
  userId: number;
  userName: string;
  personaName: string | null;
}

export interface ActionRecord extends NamedId {
  comment: string;
  package: PackageUse;
  actionGroup: NamedId;
  targetGroup: NamedId;
  creator: Creator;
  createdMs: number;
  startMs: number;
  expireSeconds: number;
  distributeSeconds: number;
  stoppedMs: number | null;
  scheduledActionId: string | null;
  metadata: { name: string; value: string }[];
  /** endpoints targeted when it was created (for its results) */
  targeted: number;
}

export interface ScheduledActionRecord extends NamedId {
  comment: string;
  package: PackageUse;
  actionGroup: NamedId;
  targetGroup: NamedId;
  creator: Creator;
  startMs: number;
  endMs: number | null;
  issueSeconds: number;
  expireSeconds: number;
  distributeSeconds: number;
  approved: boolean;
  metadata: { name: string; value: string }[];
  lastActionId: string | null;
  issueCount: number;
}

export type ActionStatus = 'PENDING' | 'OPEN' | 'CLOSED' | 'STOPPED';

export function actionStatus(action: ActionRecord, nowMs: number): ActionStatus {
  if (action.stoppedMs !== null) return 'STOPPED';
  if (nowMs < action.startMs) return 'PENDING';
  return nowMs < action.startMs + action.expireSeconds * 1000 ? 'OPEN' : 'CLOSED';
}

export class ActionBook {
  readonly groups: ActionGroupRecord[] = [
    {
      id: '3',
      name: 'Default',
      any: false,
      computerGroups: [{ id: '1', name: 'All Computers' }],
      visibility: 'ALL',
    },
    {
      id: '4',
      name: 'Servers',
      any: false,
      computerGroups: [{ id: '5', name: 'All Servers' }],
      visibility: 'ADMIN',
    },
  ];
  readonly actions: ActionRecord[] = [];
  readonly scheduled: ScheduledActionRecord[] = [];
  #nextId = 500;

  nextId(): string {
    return String(this.#nextId++);
  }

  group(ref: { id?: string | null; name?: string | null }): ActionGroupRecord | undefined {
    if (ref.id) return this.groups.find((g) => g.id === ref.id);
    if (ref.name) return this.groups.find((g) => g.name === ref.name);
    return undefined;
  }

  action(id: string): ActionRecord | undefined {
    return this.actions.find((a) => a.id === id);
  }

  scheduledAction(id: string): ScheduledActionRecord | undefined {
    return this.scheduled.find((s) => s.id === id);
  }

  /** Removes a scheduled action; its past actions stay (Tanium keeps an action's history). */
  deleteScheduled(id: string): boolean {
    const index = this.scheduled.findIndex((s) => s.id === id);
    if (index < 0) return false;
    this.scheduled.splice(index, 1);
    return true;
  }
}
