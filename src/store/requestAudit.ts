/**
 * One module request sent through tanium-bridge (CLI or HTTP API): who, where, what and how it went.
 * Bodies are kept only as a size and a SHA-256, and no token ever: the log is safe to show to viewers.
 */
export interface RequestAuditEntry {
  id: number;
  at: string;
  /** `cli`, `apikey:<name>` or `admin` (the web UI's session). */
  actor: string;
  connection: string;
  module: string;
  method: string;
  /** The path as sent, relative to the module's base, query included. */
  path: string;
  /** Tanium's HTTP status; null when no answer arrived. */
  status: number | null;
  durationMs: number;
  requestBytes: number;
  requestSha256: string | null;
  responseBytes: number | null;
  outcome: 'ok' | 'error';
  /** One redacted line when the request failed. */
  error: string | null;
}

export interface RequestAuditFilter {
  connection?: string;
  /** Entries with an id below this (cursor paging, newest first). */
  beforeId?: number;
  limit: number;
}

export interface RequestAuditRepository {
  append(entry: Omit<RequestAuditEntry, 'id'>): Promise<number>;
  /** Newest first. */
  list(filter: RequestAuditFilter): Promise<RequestAuditEntry[]>;
}
