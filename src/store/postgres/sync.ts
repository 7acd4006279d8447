import type { SyncRepository } from '../sync.js';
import { notBuiltRepository } from './notBuilt.js';

/**
 * PLACEHOLDER (replaced by the PostgreSQL sync repository: stream tables, checkpoints, sync runs and quarantine). Every method throws a
 * `not_built` problem until then.
 */
export const PgSync = notBuiltRepository<SyncRepository>('sync');
