import type { PostureRepository } from '../posture.js';
import { notBuiltRepository } from './notBuilt.js';

/**
 * PLACEHOLDER (replaced by the PostgreSQL posture repository: endpoint lookups, facts, groups and stored policies). Every method throws a
 * `not_built` problem until then.
 */
export const PgPosture = notBuiltRepository<PostureRepository>('posture');
