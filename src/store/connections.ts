/** `cloud` is a `<customer>-api.cloud.tanium.com` tenant; `server` an on-prem server or the emulator. */
export type ConnectionKind = 'cloud' | 'server';

/** A named connection. `address` is the bare domain for `cloud` and the URL origin for `server`. */
export interface ConnectionRecord {
  name: string;
  kind: ConnectionKind;
  address: string;
  /** ISO-8601 UTC. */
  createdAt: string;
  updatedAt: string;
}

export interface ConnectionInput {
  name: string;
  kind: ConnectionKind;
  address: string;
}

export interface ConnectionRepository {
  /** All connections, ordered by name. */
  list(): Promise<ConnectionRecord[]>;
  get(name: string): Promise<ConnectionRecord | undefined>;
  /** Creates the connection or updates its kind and address; `created` says which happened. */
  upsert(input: ConnectionInput, now: string): Promise<{ record: ConnectionRecord; created: boolean }>;
  /** Marks the connection as changed (for example after its token was replaced). */
  touch(name: string, now: string): Promise<void>;
  /** Deletes the connection and, by cascade, its secrets. Returns false when it did not exist. */
  remove(name: string): Promise<boolean>;
}
