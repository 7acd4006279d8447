import type { Migration } from '../../migration.js';

/**
 * The core tables, as the SQLite migrations 1-3, 7, 10, 11 and 14 left them (PostgreSQL starts at
 * the current schema: it has no history to carry). Differences, and why:
 * - Times the product passes in as ISO strings stay `text`, so they read back exactly as written.
 * - `leases.expires_at` is a `timestamptz` set from the database's clock (`clock_timestamp()`), so
 *   every process sharing the database agrees on expiry whatever its own clock says.
 * - Epoch-millisecond columns are `bigint`; the pool reads int8 as a JavaScript number.
 * - Secrets are `bytea` ciphertext only, as in SQLite (src/connections/vault.ts seals them).
 * - `rotation_audit.seq` orders attempts that started in the same millisecond (SQLite's rowid).
 * - `cloudflare_settings.version` is assigned max + 1 under a table lock (no gaps, like SQLite).
 * Foreign keys cascade where SQLite's do; the audit trails (`rotation_audit`, `request_audit`) have
 * none, so the history of a removed connection survives it.
 */
export const migration001: Migration = {
  version: 1,
  name: 'core',
  sql: `
    CREATE TABLE connections (
      name        text PRIMARY KEY,
      kind        text NOT NULL CHECK (kind IN ('cloud', 'server')),
      address     text NOT NULL,
      created_at  text NOT NULL,
      updated_at  text NOT NULL
    );

    CREATE TABLE secrets (
      connection_name text NOT NULL REFERENCES connections (name) ON DELETE CASCADE,
      slot            text NOT NULL,
      scheme          text NOT NULL,
      key_id          text NOT NULL,
      wrapped_key     bytea NOT NULL,
      ciphertext      bytea NOT NULL,
      updated_at      text NOT NULL,
      PRIMARY KEY (connection_name, slot)
    );

    CREATE TABLE leases (
      key        text PRIMARY KEY,
      owner      text NOT NULL,
      expires_at timestamptz NOT NULL
    );

    CREATE TABLE rotation_state (
      connection_name      text PRIMARY KEY REFERENCES connections (name) ON DELETE CASCADE,
      phase                text NOT NULL,
      attempt_id           text,
      method               text,
      attempt_started_at   text,
      old_token_id         text,
      new_token_id         text,
      old_token_expiration text,
      pending_created      text,
      pending_expiration   text,
      token_id             text,
      token_created        text,
      token_expiration     text,
      clock_offset_ms      bigint,
      last_attempt_at      text,
      last_success_at      text,
      last_outcome         text,
      last_error           text,
      grant_capability     text,
      grant_checked_at     text,
      updated_at           text NOT NULL
    );

    CREATE TABLE rotation_audit (
      attempt_id      text PRIMARY KEY,
      seq             bigint GENERATED ALWAYS AS IDENTITY,
      connection_name text NOT NULL,
      started_at      text NOT NULL,
      finished_at     text,
      method          text NOT NULL,
      old_token_id    text,
      new_token_id    text,
      outcome         text NOT NULL,
      error           text
    );
    CREATE INDEX rotation_audit_by_connection ON rotation_audit (connection_name, started_at);
    CREATE INDEX rotation_audit_newest ON rotation_audit (started_at DESC, seq DESC);

    CREATE TABLE api_keys (
      id           text PRIMARY KEY,
      name         text NOT NULL UNIQUE,
      role         text NOT NULL CHECK (role IN ('admin', 'viewer')),
      secret_hash  text NOT NULL,
      created_at   text NOT NULL,
      last_used_at text,
      revoked_at   text
    );

    CREATE TABLE admin_credentials (
      id            integer PRIMARY KEY CHECK (id = 1),
      password_hash text NOT NULL,
      updated_at    text NOT NULL
    );

    CREATE TABLE web_sessions (
      id_hash    text PRIMARY KEY,
      created_at text NOT NULL,
      expires_at bigint NOT NULL
    );
    CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);

    CREATE TABLE request_audit (
      id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at             text NOT NULL,
      actor          text NOT NULL,
      connection     text NOT NULL,
      module         text NOT NULL,
      method         text NOT NULL,
      path           text NOT NULL,
      status         integer,
      duration_ms    bigint NOT NULL,
      request_bytes  bigint NOT NULL,
      request_sha256 text,
      response_bytes bigint,
      outcome        text NOT NULL,
      error          text
    );
    CREATE INDEX request_audit_by_connection ON request_audit (connection, id);

    CREATE TABLE jobs (
      connection       text NOT NULL REFERENCES connections (name) ON DELETE CASCADE,
      job              text NOT NULL,
      every_ms         bigint,
      next_run_at      bigint,
      last_started_at  text,
      last_finished_at text,
      last_outcome     text,
      last_error       text,
      failures         integer NOT NULL DEFAULT 0,
      PRIMARY KEY (connection, job)
    );

    CREATE TABLE gateway_schemas (
      connection  text PRIMARY KEY REFERENCES connections (name) ON DELETE CASCADE,
      fetched_at  text NOT NULL,
      types       jsonb NOT NULL
    );

    CREATE TABLE cloudflare_settings (
      version     integer PRIMARY KEY,
      issuer      text,
      audience    text,
      changed_by  text NOT NULL,
      changed_at  text NOT NULL,
      CHECK ((issuer IS NULL) = (audience IS NULL))
    );
  `,
};
