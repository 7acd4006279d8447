import { assertOrdered, type Migration } from '../../migration.js';
import { migration001 } from './001_connections.js';
import { migration002 } from './002_leases.js';
import { migration003 } from './003_rotation.js';
import { migration004 } from './004_sync.js';
import { migration005 } from './005_asset_addresses_key.js';
import { migration006 } from './006_shared_details.js';
import { migration007 } from './007_rotation_grant.js';
import { migration008 } from './008_sync_lease.js';
import { migration009 } from './009_scope_answers.js';
import { migration010 } from './010_service.js';
import { migration011 } from './011_gateway_schemas.js';
import { migration012 } from './012_posture.js';
import { migration013 } from './013_posture_groups.js';
import { migration014 } from './014_cloudflare_settings.js';
import { migration015 } from './015_forget_connection_data.js';
import { migration016 } from './016_sync_partitions.js';
import { migration017 } from './017_assets_lookup_indexes.js';

/** Every SQLite migration, in order. Append; never edit or reorder a released one. */
export const sqliteMigrations: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
  migration012,
  migration013,
  migration014,
  migration015,
  migration016,
  migration017,
];

assertOrdered(sqliteMigrations);
