import type { Fleet, SensorInfo } from '../fleet/index.js';

/**
 * The tenant's sensors as the catalogue lists them (REST `/api/v2/sensors`, Gateway `sensors`): the
 * fleet's sensors, changed, deleted or joined by sensors created over REST. A created sensor reads
 * `[no results]` on every endpoint (the emulator runs no scripts); a deleted one is unknown to questions
 * and to `sensorReadings`.
 */
export interface SensorEntry {
  id: number;
  name: string;
  category: string;
  description: string;
  valueType: string;
  columns: readonly string[];
  parameters: readonly { name: string; defaultValue: string | null }[];
  virtual: boolean;
  hidden: boolean;
  ignoreCase: boolean;
  keepDuplicates: boolean;
  maxAgeSeconds: number;
  contentSet: { id: number; name: string };
  /** created over REST: it has no readings */
  created: boolean;
  harvested: boolean;
  createdMs: number;
  modifiedMs: number;
  modifiedBy: string;
  scripts: { platform: string; script: string; scriptType: string }[];
}

export type SensorChange = Partial<
  Pick<
    SensorEntry,
    'category' | 'description' | 'valueType' | 'hidden' | 'ignoreCase' | 'keepDuplicates' | 'maxAgeSeconds'
  >
>;

export class SensorCatalogue {
  readonly #entries: SensorEntry[];
  #nextId: number;

  constructor(fleet: Fleet, epochMs: number) {
    this.#entries = fleet.sensors().map((s, k) => fromFleet(s, k + 1, epochMs));
    this.#nextId = this.#entries.length + 100;
  }

  list(): SensorEntry[] {
    return [...this.#entries];
  }

  byId(id: number): SensorEntry | undefined {
    return this.#entries.find((s) => s.id === id);
  }

  byName(name: string): SensorEntry | undefined {
    const lower = name.toLowerCase();
    return this.#entries.find((s) => s.name.toLowerCase() === lower);
  }

  create(
    fields: Omit<SensorEntry, 'id' | 'created' | 'harvested' | 'createdMs' | 'modifiedMs'>,
    nowMs: number,
  ): SensorEntry {
    const entry: SensorEntry = {
      ...fields,
      id: this.#nextId++,
      created: true,
      harvested: false,
      createdMs: nowMs,
      modifiedMs: nowMs,
    };
    this.#entries.push(entry);
    return entry;
  }

  update(entry: SensorEntry, change: SensorChange, by: string, nowMs: number): SensorEntry {
    Object.assign(entry, change, { modifiedMs: nowMs, modifiedBy: by });
    return entry;
  }

  delete(entry: SensorEntry): void {
    this.#entries.splice(this.#entries.indexOf(entry), 1);
  }

  /** Registers (or deregisters) a sensor for TDS harvest, as `sensorHarvest` asks. */
  harvest(entry: SensorEntry, harvested: boolean): void {
    entry.harvested = harvested;
  }
}

function fromFleet(s: SensorInfo, id: number, epochMs: number): SensorEntry {
  return {
    id,
    name: s.name,
    category: s.category,
    description: s.description,
    valueType: s.valueType,
    columns: s.columns,
    parameters: s.parameters.map((name) => ({ name, defaultValue: null })),
    virtual: s.virtual,
    hidden: false,
    ignoreCase: true,
    keepDuplicates: false,
    maxAgeSeconds: 900,
    contentSet: { id: 2, name: 'Base' },
    created: false,
    harvested: !s.virtual && s.parameters.length === 0,
    createdMs: epochMs,
    modifiedMs: epochMs,
    modifiedBy: 'tanium',
    scripts: s.virtual
      ? []
      : [
          { platform: 'Windows', script: `' ${s.name}`, scriptType: 'VBScript' },
          { platform: 'Linux', script: `# ${s.name}`, scriptType: 'UnixShell' },
        ],
  };
}
