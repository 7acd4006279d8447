import type { Database } from 'better-sqlite3';
import type {
  ConnectionInput,
  ConnectionKind,
  ConnectionRecord,
  ConnectionRepository,
} from '../connections.js';
import { prepared } from './prepared.js';
import type { Runner } from './serial.js';

interface Row {
  name: string;
  kind: ConnectionKind;
  address: string;
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'name, kind, address, created_at, updated_at';

function toRecord(row: Row): ConnectionRecord {
  return {
    name: row.name,
    kind: row.kind,
    address: row.address,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class SqliteConnections implements ConnectionRepository {
  constructor(
    private readonly db: Database,
    private readonly run: Runner,
  ) {}

  list(): Promise<ConnectionRecord[]> {
    return this.run(() =>
      (prepared(this.db, `SELECT ${COLUMNS} FROM connections ORDER BY name`).all() as Row[]).map(toRecord),
    );
  }

  get(name: string): Promise<ConnectionRecord | undefined> {
    return this.run(() => {
      const row = prepared(this.db, `SELECT ${COLUMNS} FROM connections WHERE name = ?`).get(name) as
        | Row
        | undefined;
      return row && toRecord(row);
    });
  }

  upsert(input: ConnectionInput, now: string): Promise<{ record: ConnectionRecord; created: boolean }> {
    return this.run(() => {
      // `created` is informational; the upsert itself is one atomic statement either way.
      const existed =
        prepared(this.db, 'SELECT 1 FROM connections WHERE name = ?').get(input.name) !== undefined;
      const row = prepared(
        this.db,
        `INSERT INTO connections (${COLUMNS}) VALUES (@name, @kind, @address, @now, @now)
           ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, address = excluded.address,
             updated_at = excluded.updated_at
           RETURNING ${COLUMNS}`,
      ).get({ ...input, now }) as Row;
      return { record: toRecord(row), created: !existed };
    });
  }

  touch(name: string, now: string): Promise<void> {
    return this.run(() => {
      prepared(this.db, 'UPDATE connections SET updated_at = ? WHERE name = ?').run(now, name);
    });
  }

  remove(name: string): Promise<boolean> {
    return this.run(() => prepared(this.db, 'DELETE FROM connections WHERE name = ?').run(name).changes > 0);
  }
}
