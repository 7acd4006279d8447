/**
 * Automate playbooks (a few seeded; the emulator does not run them) and their schedules, created or
 * replaced whole by `playbookScheduleUpsert`.
 */
export interface PlaybookRecord {
  id: string;
  name: string;
  description: string | null;
  revision: number;
  contentSetId: string;
  createdMs: number;
  updatedMs: number;
}

export type ScheduleSpecification =
  | { kind: 'once'; startMs: number }
  | { kind: 'recurring'; cron: string; startMs: number | null; endMs: number | null }
  | {
      kind: 'relative';
      dayOfWeek: string;
      week: number;
      offset: number;
      hour: number;
      minute: number;
      startMs: number | null;
      endMs: number | null;
    };

export interface PlaybookScheduleRecord {
  id: string;
  playbookId: string;
  description: string | null;
  enabled: boolean;
  specification: ScheduleSpecification;
  revision: number;
  scheduledBy: { userId: string; userName: string; personaName: string | null };
  createdMs: number;
  updatedMs: number;
}

export class PlaybookBook {
  readonly playbooks: PlaybookRecord[];
  readonly schedules: PlaybookScheduleRecord[] = [];
  #nextId = 1;

  constructor(epochMs: number) {
    const seeded = (id: string, name: string, description: string): PlaybookRecord => ({
      id,
      name,
      description,
      revision: 1,
      contentSetId: '3',
      createdMs: epochMs,
      updatedMs: epochMs,
    });
    this.playbooks = [
      seeded('1', 'Patch Tuesday', 'Deploy the monthly Windows updates in rings'),
      seeded('2', 'Restart Stale Endpoints', 'Restart endpoints that have not rebooted for 30 days'),
    ];
  }

  playbook(id: string): PlaybookRecord | undefined {
    return this.playbooks.find((p) => p.id === id);
  }

  schedule(id: string): PlaybookScheduleRecord | undefined {
    return this.schedules.find((s) => s.id === id);
  }

  nextScheduleId(): string {
    return String(this.#nextId++);
  }
}
