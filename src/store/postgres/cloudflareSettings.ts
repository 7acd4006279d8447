import type { PoolClient } from 'pg';
import type {
  CloudflareSettingsChange,
  CloudflareSettingsRepository,
  StoredCloudflareAccess,
} from '../cloudflareSettings.js';
import type { PgSession } from './session.js';

const COLUMNS = 'version, issuer, audience, changed_by AS "changedBy", changed_at AS "changedAt"';

/**
 * Versions are numbered max + 1 while the table is locked against other writers (it changes a few
 * times a year), so numbers run without gaps as in SQLite, and a clear reads the newest row and
 * records its change in one step.
 */
export class PgCloudflareSettings implements CloudflareSettingsRepository {
  constructor(private readonly db: PgSession) {}

  async current(): Promise<StoredCloudflareAccess | undefined> {
    const row = await newest(this.db);
    if (!row || row.issuer === null || row.audience === null) return undefined;
    return { issuer: row.issuer, audience: row.audience, changedBy: row.changedBy, changedAt: row.changedAt };
  }

  save(settings: StoredCloudflareAccess): Promise<CloudflareSettingsChange> {
    return this.db.atomic(async (client) => {
      await lock(client);
      return insert(client, settings.issuer, settings.audience, settings.changedBy, settings.changedAt);
    });
  }

  clear(changedBy: string, changedAt: string): Promise<boolean> {
    return this.db.atomic(async (client) => {
      await lock(client);
      const row = await newest(client);
      if (!row || row.issuer === null) return false;
      await insert(client, null, null, changedBy, changedAt);
      return true;
    });
  }

  async history(): Promise<CloudflareSettingsChange[]> {
    const result = await this.db.query<CloudflareSettingsChange>(
      `SELECT ${COLUMNS} FROM cloudflare_settings ORDER BY version`,
    );
    return result.rows;
  }
}

/** Writers wait for each other; readers are not blocked. */
async function lock(client: PoolClient): Promise<void> {
  await client.query('LOCK TABLE cloudflare_settings IN EXCLUSIVE MODE');
}

async function newest(db: Pick<PgSession, 'query'>): Promise<CloudflareSettingsChange | undefined> {
  const result = await db.query<CloudflareSettingsChange>(
    `SELECT ${COLUMNS} FROM cloudflare_settings ORDER BY version DESC LIMIT 1`,
  );
  return result.rows[0];
}

async function insert(
  client: PoolClient,
  issuer: string | null,
  audience: string | null,
  changedBy: string,
  changedAt: string,
): Promise<CloudflareSettingsChange> {
  const result = await client.query<CloudflareSettingsChange>(
    `INSERT INTO cloudflare_settings (version, issuer, audience, changed_by, changed_at)
       SELECT coalesce(max(version), 0) + 1, $1, $2, $3, $4 FROM cloudflare_settings
       RETURNING ${COLUMNS}`,
    [issuer, audience, changedBy, changedAt],
  );
  return result.rows[0] as CloudflareSettingsChange;
}
