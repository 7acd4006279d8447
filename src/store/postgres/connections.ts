import type {
  ConnectionInput,
  ConnectionKind,
  ConnectionRecord,
  ConnectionRepository,
} from '../connections.js';
import type { PgSession } from './session.js';

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

export class PgConnections implements ConnectionRepository {
  constructor(private readonly db: PgSession) {}

  async list(): Promise<ConnectionRecord[]> {
    const result = await this.db.query<Row>(`SELECT ${COLUMNS} FROM connections ORDER BY name`);
    return result.rows.map(toRecord);
  }

  async get(name: string): Promise<ConnectionRecord | undefined> {
    const result = await this.db.query<Row>({
      name: 'connections.get',
      text: `SELECT ${COLUMNS} FROM connections WHERE name = $1`,
      values: [name],
    });
    const row = result.rows[0];
    return row && toRecord(row);
  }

  async upsert(input: ConnectionInput, now: string): Promise<{ record: ConnectionRecord; created: boolean }> {
    // One statement: `xmax = 0` holds for a row this statement inserted, not for one it updated.
    const result = await this.db.query<Row & { inserted: boolean }>(
      `INSERT INTO connections (${COLUMNS}) VALUES ($1, $2, $3, $4, $4)
         ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, address = excluded.address,
           updated_at = excluded.updated_at
         RETURNING ${COLUMNS}, (xmax = 0) AS inserted`,
      [input.name, input.kind, input.address, now],
    );
    const row = result.rows[0] as Row & { inserted: boolean };
    return { record: toRecord(row), created: row.inserted };
  }

  async touch(name: string, now: string): Promise<void> {
    await this.db.query('UPDATE connections SET updated_at = $1 WHERE name = $2', [now, name]);
  }

  async remove(name: string): Promise<boolean> {
    const result = await this.db.query('DELETE FROM connections WHERE name = $1', [name]);
    return (result.rowCount ?? 0) > 0;
  }
}
