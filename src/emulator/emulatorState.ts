import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../common/atomicFile.js';
import { EmulatorClock } from './clock.js';
import { ADMIN_PERMISSION, Directory, type User } from './directory.js';
import { type CheckInModel, createFleet, type Fleet } from './fleet/index.js';
import { TenantObjects } from './objects/tenantObjects.js';
import { type SettingRecord, Settings } from './settings.js';
import { type TokenRecord, TokenStore } from './tokens.js';
import { TrustList } from './trustList.js';

/** What `--state FILE` keeps across restarts: users, tokens (as digests), settings and emulator time. */
interface Snapshot {
  version: 1;
  clockOffsetMs: number;
  nextId: number;
  users: User[];
  settings: SettingRecord[];
  tokens: TokenRecord[];
  /**
   * Earlier versions kept the bootstrap token's string here; it is ignored when read and never
   * written: a restart announces a new bootstrap token (the earlier one keeps working until it expires).
   */
  bootstrap?: unknown;
  /** The fleet is derived from these; its epoch is the tenant's creation time, so churn continues across restarts. */
  fleet?: FleetSettings;
}

export interface FleetSettings {
  size: number;
  seed: number;
  epoch: number;
}

/** What `--endpoints` and `--seed` default to. */
export const DEFAULT_FLEET = { size: 1_000, seed: 1 } as const;

/** What the fleet is opened with; `realism` is a behaviour, like fault rules, and not kept in `--state`. */
export interface FleetChoice {
  size?: number;
  seed?: number;
  /** see `FleetOptions.realism`; 0 by default */
  realism?: number;
  /** see `FleetOptions.checkIns`; `sparse` by default; like realism, a behaviour not kept in `--state` */
  checkIns?: CheckInModel;
}

export const BOOTSTRAP_NOTES = 'tanium-bridge emulator bootstrap token';

export class EmulatorState {
  readonly clock: EmulatorClock;
  readonly directory: Directory;
  readonly settings: Settings;
  readonly tokens: TokenStore;
  readonly fleet: Fleet;
  readonly fleetSettings: FleetSettings;
  /**
   * What clients create, change and delete through the Gateway and REST (computer groups, actions,
   * patch deployments, reports, playbook schedules, packages, sensors). Kept in memory: `--state` does
   * not keep them yet (docs/emulator.md).
   */
  readonly objects: TenantObjects;
  #nextId: number;
  /** This process's bootstrap token: in memory only, so the state file holds digests alone. */
  #bootstrap: { tokenId: number; tokenString: string } | undefined;
  #saveTimer: NodeJS.Timeout | undefined;

  private constructor(
    snapshot: Snapshot,
    readonly path: string | undefined,
    realism: number,
    checkIns: CheckInModel = 'sparse',
  ) {
    this.#nextId = snapshot.nextId;
    this.clock = new EmulatorClock(snapshot.clockOffsetMs);
    this.directory = new Directory(snapshot.users);
    this.settings = new Settings(snapshot.settings);
    this.tokens = new TokenStore(snapshot.tokens, () => this.#nextId++);
    this.fleetSettings = snapshot.fleet ?? { ...DEFAULT_FLEET, epoch: Math.floor(Date.now() / 1000) * 1000 };
    this.fleet = createFleet({ ...this.fleetSettings, realism, checkIns });
    this.objects = new TenantObjects(this.fleet, this.fleetSettings.epoch);
  }

  /**
   * Loads `path` if it exists, else starts a new tenant with one administrator. A fleet size or seed
   * given now replaces the stored one; the fleet's epoch (the tenant's creation time) is kept.
   */
  static open(path?: string, fleet: FleetChoice = {}): EmulatorState {
    const realism = fleet.realism ?? 0;
    const checkIns = fleet.checkIns ?? 'sparse';
    const now = Date.now();
    if (path && existsSync(path)) {
      const snapshot = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
      if (snapshot.version !== 1) throw new Error(`unsupported emulator state version in ${path}`);
      const stored = snapshot.fleet ?? { ...DEFAULT_FLEET, epoch: Math.floor(now / 1000) * 1000 };
      snapshot.fleet = {
        size: fleet.size ?? stored.size,
        seed: fleet.seed ?? stored.seed,
        epoch: stored.epoch,
      };
      const state = new EmulatorState(snapshot, path, realism, checkIns);
      state.save();
      return state;
    }
    const admin: User = {
      id: 1,
      name: 'tanium-admin',
      displayName: 'Tanium Administrator',
      domain: '',
      createdMs: now,
      personas: [{ id: 1, name: 'Default', permissions: [ADMIN_PERMISSION] }],
    };
    const state = new EmulatorState(
      {
        version: 1,
        clockOffsetMs: 0,
        nextId: 100,
        users: [admin],
        settings: Settings.defaults(now).records,
        tokens: [],
        fleet: {
          size: fleet.size ?? DEFAULT_FLEET.size,
          seed: fleet.seed ?? DEFAULT_FLEET.seed,
          epoch: Math.floor(now / 1000) * 1000,
        },
      },
      path,
      realism,
      checkIns,
    );
    state.save();
    return state;
  }

  now(): number {
    return this.clock.now();
  }

  /** The administrator token announced at start-up, trusted from 127.0.0.1 and ::1 as an admin would create it. */
  bootstrapToken(): string {
    const existing = this.#bootstrap;
    if (existing && this.tokens.active(this.now()).some((t) => t.id === existing.tokenId))
      return existing.tokenString;
    const admin = this.directory.user(1);
    const { record, tokenString } = this.tokens.create(
      {
        name: 'emulator-bootstrap',
        notes: BOOTSTRAP_NOTES,
        userId: admin.id,
        personaId: admin.personas[0]?.id ?? 1,
        expireInDays: this.settings.number('api_token_expiration_in_days'),
        trusted: TrustList.parse('127.0.0.1,::1'),
      },
      this.now(),
      this.settings.number('api_token_string_length'),
    );
    this.#bootstrap = { tokenId: record.id, tokenString };
    this.save();
    return tokenString;
  }

  allocateId(): number {
    return this.#nextId++;
  }

  /** Writes the state atomically (temp file, fsync, rename; src/common/atomicFile.ts), owner-only. Changes to tokens and settings call this before answering. */
  save(): void {
    if (!this.path) return;
    const snapshot: Snapshot = {
      version: 1,
      clockOffsetMs: this.clock.offsetMs,
      nextId: this.#nextId,
      users: this.directory.users,
      settings: this.settings.records,
      tokens: this.tokens.records,
      fleet: this.fleetSettings,
    };
    writeFileAtomic(this.path, JSON.stringify(snapshot, null, 1));
  }

  /** For frequent, low-value changes (`last_used_on`): one write a second at most. */
  saveSoon(): void {
    if (!this.path || this.#saveTimer) return;
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = undefined;
      this.save();
    }, 1_000);
    this.#saveTimer.unref();
  }

  flush(): void {
    if (this.#saveTimer) {
      clearTimeout(this.#saveTimer);
      this.#saveTimer = undefined;
    }
    this.save();
  }
}
