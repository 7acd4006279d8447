import type { ApiKeyRepository } from './apiKeys.js';
import type { CloudflareSettingsRepository } from './cloudflareSettings.js';
import type { ConnectionRepository } from './connections.js';
import type { GatewaySchemaRepository } from './gatewaySchemas.js';
import type { JobRepository } from './jobs.js';
import type { LeaseRepository } from './leases.js';
import type { PostureRepository } from './posture.js';
import type { RequestAuditRepository } from './requestAudit.js';
import type { RotationRepository } from './rotation.js';
import type { RowQueryRepository } from './rowQuery.js';
import type { SecretRepository } from './secrets.js';
import type { SyncRepository } from './sync.js';
import type { WebAuthRepository } from './webAuth.js';

/** Which database sits behind a Store; tests run once per dialect. */
export type Dialect = 'sqlite' | 'postgres';

/**
 * The repositories one unit of work can use. Every method is async so that the PostgreSQL
 * implementation can sit behind the same interface as SQLite. Later concerns (rotation, streams,
 * checkpoints, quarantine) add a repository here, each in its own file.
 */
export interface Repositories {
  readonly connections: ConnectionRepository;
  readonly secrets: SecretRepository;
  readonly leases: LeaseRepository;
  readonly rotation: RotationRepository;
  /** Stream tables, checkpoints, sync runs and quarantine (docs/sync.md). */
  readonly sync: SyncRepository;
  /** The HTTP API's keys (hashes only). */
  readonly apiKeys: ApiKeyRepository;
  /** The web UI's admin password hash and sessions. */
  readonly webAuth: WebAuthRepository;
  /** Every module request sent, without bodies or tokens. */
  readonly requestAudit: RequestAuditRepository;
  /** The scheduler's jobs per connection. */
  readonly jobs: JobRepository;
  /** Filtered, sorted, paged reads of the stream tables (the API's data routes). */
  readonly rowQuery: RowQueryRepository;
  /** The tenant's Gateway schema as last read by introspection, per connection. */
  readonly gatewaySchemas: GatewaySchemaRepository;
  /** Device posture: endpoint lookups, per-endpoint facts, data age, stored policies. */
  readonly posture: PostureRepository;
  /** The Cloudflare posture provider's team and AUD stored through the API, every change kept. */
  readonly cloudflareSettings: CloudflareSettingsRepository;
}

/** A unit of work inside `Store.transaction`: the same repositories, bound to the open transaction. */
export type StoreTx = Repositories;

export interface Store extends Repositories {
  readonly dialect: Dialect;
  /**
   * Runs `fn` in one write transaction that holds the database write lock from its first statement
   * (SQLite `BEGIN IMMEDIATE`), commits durably when `fn` resolves and rolls back when it throws.
   * Use only `tx` inside `fn`: calling the outer store waits for the transaction and deadlocks.
   * Do no network I/O inside: the lock blocks every other writer on this machine meanwhile.
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
