import type { RowQueryRepository } from '../rowQuery.js';
import { notBuiltRepository } from './notBuilt.js';

/**
 * PLACEHOLDER (replaced by the PostgreSQL rowQuery repository: filtered, sorted, paged reads of the stream tables). Every method throws a
 * `not_built` problem until then.
 */
export const PgRowQuery = notBuiltRepository<RowQueryRepository>('rowQuery');
