/**
 * The tenant's packages (what actions run): a few of Tanium's own, plus those created over REST
 * (`/api/v2/packages`). Actions name a package by id or name; a deleted package can no longer be run.
 */
export interface PackageRecord {
  id: number;
  name: string;
  displayName: string;
  command: string;
  commandTimeout: number;
  expireSeconds: number;
  contentSet: { id: number; name: string };
  parameters: { key: string; label: string; defaultValue: string | null }[];
  deleted: boolean;
  hidden: boolean;
  createdMs: number;
  modifiedMs: number;
  modifiedBy: string;
}

const SEEDED: readonly Omit<PackageRecord, 'createdMs' | 'modifiedMs' | 'modifiedBy'>[] = [
  pkg(11, 'Reboot Windows Machine', 'cmd /c shutdown /r /t 60', 60, 600),
  pkg(12, 'Reboot Non-Windows Machine', '/bin/sh -c "shutdown -r +1"', 60, 600),
  pkg(13, 'Custom Tagging - Add Tags', 'cscript //T:60 add-tags.vbs "$1"', 60, 600, ['$1']),
  pkg(14, 'Custom Tagging - Remove Tags', 'cscript //T:60 remove-tags.vbs "$1"', 60, 600, ['$1']),
  pkg(15, 'Collect Active Directory Info', 'cscript //T:120 collect-ad.vbs', 120, 900),
  pkg(16, 'Distribute Tanium Standard Utilities', 'cmd /c exit 0', 300, 1200),
];

function pkg(
  id: number,
  name: string,
  command: string,
  commandTimeout: number,
  expireSeconds: number,
  keys: string[] = [],
): Omit<PackageRecord, 'createdMs' | 'modifiedMs' | 'modifiedBy'> {
  return {
    id,
    name,
    displayName: name,
    command,
    commandTimeout,
    expireSeconds,
    contentSet: { id: 2, name: 'Base' },
    parameters: keys.map((key) => ({ key, label: 'Value', defaultValue: null })),
    deleted: false,
    hidden: false,
  };
}

export class PackageCatalogue {
  readonly #packages: PackageRecord[];
  #nextId = 100;

  constructor(epochMs: number) {
    this.#packages = SEEDED.map((p) => ({
      ...p,
      parameters: p.parameters.map((param) => ({ ...param })),
      createdMs: epochMs,
      modifiedMs: epochMs,
      modifiedBy: 'tanium',
    }));
  }

  /** Packages not deleted, in id order. */
  list(): PackageRecord[] {
    return this.#packages.filter((p) => !p.deleted);
  }

  find(ref: { id?: string | number | null; name?: string | null }): PackageRecord | undefined {
    if (ref.id !== undefined && ref.id !== null)
      return this.list().find((p) => String(p.id) === String(ref.id));
    if (ref.name) return this.list().find((p) => p.name === ref.name);
    return undefined;
  }

  create(
    fields: Omit<PackageRecord, 'id' | 'deleted' | 'createdMs' | 'modifiedMs'>,
    nowMs: number,
  ): PackageRecord {
    const record: PackageRecord = {
      ...fields,
      id: this.#nextId++,
      deleted: false,
      createdMs: nowMs,
      modifiedMs: nowMs,
    };
    this.#packages.push(record);
    return record;
  }

  /** Marks a package deleted (Tanium answers it with `deleted_flag` set); later lookups no longer find it. */
  delete(record: PackageRecord, nowMs: number): PackageRecord {
    record.deleted = true;
    record.modifiedMs = nowMs;
    return record;
  }
}
