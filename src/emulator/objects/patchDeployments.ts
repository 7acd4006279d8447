/**
 * Patch deployments created through the Gateway (`patchCreateDeployment`). The status follows the
 * emulator clock (INACTIVE before the start, ACTIVE until the end, ENDED after); a stopped deployment
 * stays STOPPED, and stopping one that has ended changes nothing, as Tanium's schema describes.
 */
export interface PatchDeploymentRecord {
  id: string;
  name: string;
  description: string | null;
  type: 'INSTALL' | 'UNINSTALL';
  platform: 'LINUX' | 'MACOS' | 'WINDOWS';
  contentDeploymentType: 'ALL_SECURITY_UPDATES' | 'ALL_UPDATES' | 'MANUAL_SELECTION';
  contentSetId: string;
  patches: string[] | null;
  patchLists: { id: string; version: number | null }[] | null;
  computerGroups: string[] | null;
  limitingGroups: string[] | null;
  schedule: {
    type: 'ONGOING' | 'SINGLE';
    startMs: number;
    endMs: number | null;
    timeZone: string | null;
    overrideMaintenanceWindows: boolean;
    distributeOverSeconds: number | null;
    eussAvailableBeforeStart: boolean;
    eussHideFromActivity: boolean;
  } | null;
  downloadImmediately: boolean;
  overrideBlocklists: boolean;
  restart: boolean;
  author: { id: string; name: string };
  createdMs: number;
  updatedMs: number;
  stoppedMs: number | null;
}

export type PatchDeploymentStatus = 'ACTIVE' | 'ENDED' | 'INACTIVE' | 'STOPPED';

export function patchDeploymentStatus(d: PatchDeploymentRecord, nowMs: number): PatchDeploymentStatus {
  if (d.stoppedMs !== null) return 'STOPPED';
  if (!d.schedule) return 'ACTIVE';
  if (nowMs < d.schedule.startMs) return 'INACTIVE';
  if (d.schedule.endMs !== null && nowMs >= d.schedule.endMs) return 'ENDED';
  return 'ACTIVE';
}

export class PatchDeploymentBook {
  readonly deployments: PatchDeploymentRecord[] = [];
  #nextId = 1;

  add(record: Omit<PatchDeploymentRecord, 'id'>): PatchDeploymentRecord {
    const created = { ...record, id: String(this.#nextId++) };
    this.deployments.push(created);
    return created;
  }

  find(id: string): PatchDeploymentRecord | undefined {
    return this.deployments.find((d) => d.id === id);
  }
}
