import type { Database } from 'better-sqlite3';
import type {
  CloudflareSettingsChange,
  CloudflareSettingsRepository,
  StoredCloudflareAccess,
} from '../cloudflareSettings.js';
import { prepared } from './prepared.js';
import type { Runner } from './serial.js';

const COLUMNS = 'version, issuer, audience, changed_by AS changedBy, changed_at AS changedAt';

export class SqliteCloudflareSettings implements CloudflareSettingsRepository {
  constructor(
    private readonly db: Database,
    private readonly run: Runner,
  ) {}

  current(): Promise<StoredCloudflareAccess | undefined> {
    return this.run(() => {
      const row = this.#newest();
      if (!row || row.issuer === null || row.audience === null) return undefined;
      return {
        issuer: row.issuer,
        audience: row.audience,
        changedBy: row.changedBy,
        changedAt: row.changedAt,
      };
    });
  }

  save(settings: StoredCloudflareAccess): Promise<CloudflareSettingsChange> {
    return this.run(
      () =>
        prepared(
          this.db,
          `INSERT INTO cloudflare_settings (issuer, audience, changed_by, changed_at)
           VALUES (@issuer, @audience, @changedBy, @changedAt) RETURNING ${COLUMNS}`,
        ).get(settings) as CloudflareSettingsChange,
    );
  }

  clear(changedBy: string, changedAt: string): Promise<boolean> {
    return this.run(() => {
      const row = this.#newest();
      if (!row || row.issuer === null) return false;
      prepared(
        this.db,
        'INSERT INTO cloudflare_settings (issuer, audience, changed_by, changed_at) VALUES (NULL, NULL, ?, ?)',
      ).run(changedBy, changedAt);
      return true;
    });
  }

  history(): Promise<CloudflareSettingsChange[]> {
    return this.run(
      () =>
        prepared(
          this.db,
          `SELECT ${COLUMNS} FROM cloudflare_settings ORDER BY version`,
        ).all() as CloudflareSettingsChange[],
    );
  }

  #newest(): CloudflareSettingsChange | undefined {
    return prepared(
      this.db,
      `SELECT ${COLUMNS} FROM cloudflare_settings ORDER BY version DESC LIMIT 1`,
    ).get() as CloudflareSettingsChange | undefined;
  }
}
