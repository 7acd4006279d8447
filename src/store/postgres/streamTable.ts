import type { PoolClient } from 'pg';
import type { ScopeAnswer, StreamBatch, StreamDefinition, StreamRecord } from '../../streams/stream.js';
import type { StreamCounts } from '../sync.js';
import { copyLines } from './copyRows.js';
import { copyField } from './copyText.js';
import { DirectCopy, type RowMarks } from './directCopy.js';
import { PG_LAYOUT, type PgStreamLayout, pgType } from './layout.js';
import type { PageBatch } from './pageBatch.js';
import { inRounds, keyOccurrences } from './rounds.js';
import { SharedDetails } from './sharedDetails.js';
import { arrayLiteral, bind, literal } from './sqlLiteral.js';
import { type StagedRefs, StageTable } from './stagePage.js';

/**
 * What a page's opening (the statements sent with its BEGIN, sync.ts) learns for one stream before
 * its rows are copied: the shared-table ids of its rows, and which of its endpoints already have rows
 * of the connection in the table (and, for assets, stored addresses).
 */
export interface StreamOpening {
  round: readonly number[];
  rounds: number;
  refs?: StagedRefs;
  /** Whether `refs` used ids remembered from earlier pages (stale when a sweep ran since). */
  remembered: boolean;
  /** Endpoints of the page with rows of the connection in the table (filled when the opening ran). */
  stored: Set<string>;
  /** Assets: endpoints of the page with stored addresses. */
  storedAddresses: Set<string>;
  /** Whether the opening prepared the staging table. */
  prepared: boolean;
}

/** An asset's addresses as the page answered them: the kinds answered, each address once (IPs first). */
interface AssetAddresses {
  id: string;
  known: ('ip' | 'mac')[];
  addresses: { address: string; kind: 'ip' | 'mac' }[];
}

/**
 * One stream's table in PostgreSQL, written a page at a time inside the page transaction, with the
 * semantics of the SQLite StreamTable (src/store/sqlite/streamTable.ts): the page's records are copied
 * into a staging table and moved by one statement (a plain insert for endpoints new to the table, an
 * `INSERT … SELECT … ON CONFLICT DO UPDATE` for the others); `keepWhenNull`
 * fields keep their stored value when answered null; `changed_run` moves only when a compared value
 * changed; `seen_gen` only grows; rows of an answered scope not in the page are removed; kept scopes
 * are marked seen; each scope's answer is recorded. Descriptive fields go to the shared table once per
 * distinct set of values (sharedDetails.ts), before the rows that refer to them.
 */
export class PgStreamTable {
  readonly layout: PgStreamLayout;
  readonly #def: StreamDefinition;
  readonly #stage: StageTable;
  readonly #direct: DirectCopy;
  /** Endpoints of a page that have rows of the connection in the table ($1 connection, $2 endpoints). */
  readonly #probe: string;
  /** Whether the last page staged rows: the next page's opening then prepares the staging table. */
  #staging = true;
  readonly #upsert: string;
  /** The shared table's ids (streams with descriptive fields only). */
  readonly shared: SharedDetails | undefined;
  readonly #removeScope: string | undefined;
  readonly #keepScope: string;
  readonly #answer: string | undefined;
  /** Scoped streams: removal, keeping and answers in one statement (when no scope repeats in a page). */
  readonly #scopes: string | undefined;

  constructor(def: StreamDefinition) {
    this.#def = def;
    const layout = PG_LAYOUT[def.name];
    this.layout = layout;
    const shared = layout.shared;
    const fields = def.fields;
    const descriptive = shared ? (def.descriptiveFields ?? []) : [];
    const sharedSet = new Set(descriptive);
    const ownFields = fields.filter((f) => !sharedSet.has(f.name) || def.primaryKey.includes(f.name));
    const own = ownFields.map((f) => f.name);
    this.#stage = new StageTable(
      `tb_stage_${def.name}`,
      ownFields.map((f) => ({ name: f.name, type: f.type, pgType: pgType(layout, f) })),
      shared?.ref,
    );
    this.#direct = new DirectCopy(layout.rowsTable, this.#stage.columns, shared?.ref);
    this.shared =
      shared &&
      new SharedDetails(
        shared,
        descriptive.map((n) => fields.find((f) => f.name === n)!),
      );
    const targets = [...own, ...(shared ? [shared.ref] : [])];
    // A row whose details were new to this writer carries their key: the page added them before.
    const values = [
      ...own.map((c) => `s.${c}`),
      ...(shared
        ? [
            `coalesce(s.${shared.ref}, (SELECT d.id FROM ${shared.table} d WHERE d.key = s.${shared.ref}_key))`,
          ]
        : []),
    ];
    // Rows whose leading key value (the endpoint) has no row of the connection yet go in with a plain
    // INSERT: ON CONFLICT's speculative insertion cost half as much again per row (a first sync's rows
    // are all new). Only this writer adds the connection's rows: every page transaction first renews
    // the sync lease with an UPDATE of its row and holds that row lock to its commit, so a rival that
    // took the lease over waits for this transaction before its own pages begin, and no other
    // transaction adds rows of those endpoints meanwhile (partitions of one run read disjoint
    // endpoints). The endpoints are looked up once each, by key (OFFSET 0 keeps the lookup a loop); the
    // rest go through the upsert. Both parts test a row's key against the new ones through a hash
    // (`IN (…) IS TRUE` and its exact complement `IS NOT TRUE`, which the planner does not turn into
    // joins): without statistics on the staging table, a semi-join was planned as a loop over the new
    // keys for every staged row, most of the statement's time. A null key is never new: it goes to the
    // upsert, which refuses it as before.
    const lead = def.primaryKey[0]!;
    this.#probe = probeSql(layout.rowsTable, lead);
    const select = `SELECT $1, ${values.join(', ')}, $2, $3, $3 FROM ${this.#stage.name} s WHERE s.round = $4`;
    this.#upsert = `WITH new_keys AS MATERIALIZED (
        SELECT n.k FROM (SELECT DISTINCT s.${lead} AS k FROM ${this.#stage.name} s WHERE s.round = $4) n
        WHERE n.k IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${layout.rowsTable} o WHERE o.connection = $1 AND o.${lead} = n.k OFFSET 0)),
      inserted AS (
        INSERT INTO ${layout.rowsTable} (connection, ${targets.join(', ')}, seen_gen, created_run, changed_run)
        ${select} AND (s.${lead} IN (SELECT k FROM new_keys)) IS TRUE RETURNING 1),
      up AS (
        INSERT INTO ${layout.rowsTable} AS t (connection, ${targets.join(', ')}, seen_gen, created_run, changed_run)
        ${select} AND (s.${lead} IN (SELECT k FROM new_keys)) IS NOT TRUE
        ON CONFLICT (connection, ${def.primaryKey.join(', ')}) DO UPDATE SET ${this.#updateClause(targets)}
        RETURNING t.xmax = 0 AS fresh, ${this.#changedBefore()} AS changed_before)
      SELECT (SELECT count(*) FROM inserted)::int + count(*) FILTER (WHERE fresh)::int AS added,
             count(*) FILTER (WHERE changed_before <> $3)::int AS updated
      FROM up`;
    if (def.scopeColumns.length > 2) throw new Error(`${def.name}: at most two scope columns`);
    // Streams without scopes keep a record by its key (an asset whose answer was refused).
    const kept = def.scopeColumns.length > 0 ? def.scopeColumns : def.primaryKey;
    // Rows of the given scopes, by the key: the first scope column `= ANY` of an array is an index
    // condition whatever the statistics say (a join with `unnest` was planned as a scan of the
    // connection's rows while a first sync's tables had none); a second column narrows by pairs.
    const inScopes = (columns: readonly string[], first: number) =>
      [
        `t.${columns[0]} = ANY($${first}::text[])`,
        ...(columns.length > 1
          ? [
              `(${columns.map((c) => `t.${c}`).join(', ')}) IN (SELECT * FROM unnest(${columns
                .map((_, i) => `$${first + i}::text[]`)
                .join(', ')}))`,
            ]
          : []),
      ].join(' AND ');
    this.#removeScope =
      def.scopeColumns.length > 0
        ? `DELETE FROM ${layout.rowsTable} t
           WHERE t.connection = $1 AND ${inScopes(def.scopeColumns, 3)} AND t.seen_gen < $2`
        : undefined;
    this.#keepScope = `UPDATE ${layout.rowsTable} t SET seen_gen = $2
      WHERE t.connection = $1 AND ${inScopes(kept, 3)} AND t.seen_gen < $2`;
    this.#answer = def.scopeColumns.length > 0 ? answerSql(def.name, 3) : undefined;
    // Three data-modifying parts of one statement, on rows that never overlap: replaced and kept scopes
    // are disjoint when no scope repeats (checked before it is used).
    const w = def.scopeColumns.length;
    this.#scopes =
      w > 0
        ? `WITH removed AS (
             DELETE FROM ${layout.rowsTable} t
             WHERE t.connection = $1 AND ${inScopes(def.scopeColumns, 3)} AND t.seen_gen < $2 RETURNING 1),
           kept AS (
             UPDATE ${layout.rowsTable} t SET seen_gen = $2
             WHERE t.connection = $1 AND ${inScopes(def.scopeColumns, 3 + w)} AND t.seen_gen < $2),
           answered AS (${answerSql(def.name, 3 + 2 * w)})
           SELECT count(*)::int AS removed FROM removed`
        : undefined;
  }

  get name(): string {
    return this.#def.name;
  }

  /**
   * Adds to `opening` (sent with the page's BEGIN) what the page needs to know before its rows are
   * copied: the statements that store details new to this writer and read their ids, the page's
   * endpoints that already have rows of the connection in the table (and stored addresses, for
   * assets), and the staging table's preparation when the last page needed it. A key repeated in the
   * page sends every row through the staging table (rounds), so nothing is probed then.
   */
  open(opening: PageBatch, connection: string, records: readonly StreamRecord[]): StreamOpening {
    const key = this.#def.primaryKey;
    const { round, rounds } = keyOccurrences(records, key);
    const refs = this.shared?.resolve(records, opening);
    const result: StreamOpening = {
      round,
      rounds,
      ...(refs ? { refs } : {}),
      remembered: refs?.ids.some((id) => id !== null) ?? false,
      stored: new Set(),
      storedAddresses: new Set(),
      prepared: this.#staging || rounds > 1,
    };
    if (result.prepared) for (const sql of this.#stage.preparing) opening.add(sql);
    if (rounds > 1) return result;
    const endpoints = arrayLiteral([...new Set(records.map((r) => r[key[0]!]).filter(isText))], 'text[]');
    const c = literal(connection);
    opening.add(bind(this.#probe, [c, endpoints]), ({ rows }) => {
      for (const k of rows[0].stored as string[]) result.stored.add(k);
    });
    if (this.#def.name === 'assets')
      opening.add(bind(ADDRESSES_PROBE, [c, endpoints]), ({ rows }) => {
        for (const k of rows[0].stored as string[]) result.storedAddresses.add(k);
      });
    return result;
  }

  /** After a sweep the opening's remembered ids may be gone: resolves every row's details again. */
  reopen(opening: StreamOpening, page: PageBatch, records: readonly StreamRecord[]): void {
    if (!this.shared) return;
    opening.refs = this.shared.resolve(records, page);
    opening.remembered = false;
  }

  /**
   * Writes one batch inside the page transaction, on its client, after its opening ran: rows known
   * to be new (every key value set, the key once in the page, the endpoint without rows of the
   * connection in the table) are copied straight into the table; the others into the staging table,
   * and the statements that move them are added to `page`, which the caller runs once every stream
   * is written. The counts are filled in when `page` has run.
   */
  async write(
    client: PoolClient,
    page: PageBatch,
    connection: string,
    batch: StreamBatch,
    generation: number,
    runId: number,
    opening: StreamOpening,
  ): Promise<StreamCounts> {
    const counts: StreamCounts = {
      added: 0,
      updated: 0,
      removed: 0,
      quarantined: 0,
      unknown: batch.unknown,
      rows: batch.rows.length,
    };
    const def = this.#def;
    const c = literal(connection);
    const g = literal(generation);
    if (batch.rows.length > 0) {
      const records = batch.rows;
      const { direct, staged } = this.#split(records, opening);
      const marks: RowMarks = { connection, generation, runId };
      await this.#direct.copy(client, records, direct, marks, opening.refs?.ids);
      counts.added += direct.length;
      if (staged.length > 0)
        await this.#stageRows(client, page, records, staged, opening, counts, [c, g, runId]);
      this.#staging = staged.length > 0;
      if (def.name === 'assets') {
        const fresh = direct.filter(
          (r) => !opening.storedAddresses.has(records[r]!['endpoint_id'] as string),
        );
        const freshSet = new Set(fresh);
        await this.#copyAddresses(
          client,
          connection,
          fresh.map((r) => assetAddresses(records[r]!)),
        );
        const rest = records.filter((_, r) => !freshSet.has(r));
        if (rest.length > 0) this.#writeAddresses(page, c, literal(runId), rest);
      }
    }
    if (this.#scopes) this.#writeScopes(page, c, g, batch, counts);
    else if (batch.kept.length > 0)
      page.add(bind(this.#keepScope, [c, g, ...scopeArrays(batch.kept, def.primaryKey.length)]));
    return counts;
  }

  /** Indexes of the rows copied straight into the table, and of those that go through the stage. */
  #split(records: readonly StreamRecord[], opening: StreamOpening): { direct: number[]; staged: number[] } {
    const key = this.#def.primaryKey;
    const direct: number[] = [];
    const staged: number[] = [];
    for (let r = 0; r < records.length; r++) {
      const record = records[r]!;
      const lead = record[key[0]!];
      const isNew =
        opening.rounds === 1 &&
        isText(lead) &&
        !opening.stored.has(lead) &&
        key.every((k) => record[k] !== null && record[k] !== undefined);
      (isNew ? direct : staged).push(r);
    }
    return { direct, staged };
  }

  /** Copies the rows `which` into the staging table and adds the upserts that move them to `page`. */
  async #stageRows(
    client: PoolClient,
    page: PageBatch,
    records: readonly StreamRecord[],
    which: readonly number[],
    opening: StreamOpening,
    counts: StreamCounts,
    [c, g, runId]: [string, string, number],
  ): Promise<void> {
    if (!opening.prepared) await client.query(this.#stage.prepare);
    const all = which.length === records.length;
    const rows = all ? records : which.map((r) => records[r]!);
    const refs = opening.refs;
    const round = all ? opening.round : which.map((r) => opening.round[r]!);
    await this.#stage.fill(client, rows, {
      ...(opening.rounds > 1 ? { round } : {}),
      ...(refs
        ? {
            refs: all
              ? refs
              : { ids: which.map((r) => refs.ids[r] ?? null), keys: which.map((r) => refs.keys[r] ?? null) },
          }
        : {}),
    });
    for (let r = 0; r < opening.rounds; r++)
      page.add(bind(this.#upsert, [c, g, literal(runId), literal(r)]), ({ rows }) => {
        counts.added += rows[0].added;
        counts.updated += rows[0].updated;
      });
  }

  /** The addresses of assets new to the table and without stored addresses, copied straight in. */
  async #copyAddresses(
    client: PoolClient,
    connection: string,
    assets: readonly AssetAddresses[],
  ): Promise<void> {
    if (!assets.some((a) => a.addresses.length > 0)) return;
    const head = `${copyField(connection, 'text')}\t`;
    function* lines(): Generator<string> {
      let text = '';
      for (const asset of assets) {
        const id = copyField(asset.id, 'text');
        for (const { address, kind } of asset.addresses)
          text += `${head}${id}\t${copyField(address, 'text')}\t${kind}\n`;
        if (text.length > 1 << 16) {
          yield text;
          text = '';
        }
      }
      if (text !== '') yield text;
    }
    await copyLines(client, COPY_ADDRESSES, lines());
  }

  /**
   * Scoped streams: removes the rows of answered scopes this page did not write, marks kept scopes
   * seen and records every scope's answer; one statement unless a scope repeats in the page. Adds the
   * rows removed to `counts`.
   */
  #writeScopes(page: PageBatch, c: string, g: string, batch: StreamBatch, counts: StreamCounts): void {
    const w = this.#def.scopeColumns.length;
    const answers = [...batch.replaced, ...batch.kept];
    const rounds = inRounds(answers, ({ scope }) => `${scope[0]}\u0000${scope[1] ?? ''}`);
    if (rounds.length <= 1) {
      page.add(
        bind(this.#scopes!, [
          c,
          g,
          ...scopeArrays(batch.replaced, w),
          ...scopeArrays(batch.kept, w),
          ...answerArrays(answers),
        ]),
        ({ rows }) => {
          counts.removed += rows[0].removed;
        },
      );
      return;
    }
    if (batch.replaced.length > 0)
      page.add(bind(this.#removeScope!, [c, g, ...scopeArrays(batch.replaced, w)]), ({ rowCount }) => {
        counts.removed += rowCount ?? 0;
      });
    if (batch.kept.length > 0) page.add(bind(this.#keepScope, [c, g, ...scopeArrays(batch.kept, w)]));
    // Answers in order, replaced then kept: a repeated scope's later answer is applied after the earlier.
    for (const round of rounds) page.add(bind(this.#answer!, [c, g, ...answerArrays(round)]));
  }

  /**
   * Posture lookups by address: every IP and MAC of an asset this run changed (`changed_run`, as the
   * upsert before it in the page left it), replaced as a set per kind. A list Tanium answered null
   * (not known this time) leaves that kind's stored addresses alone. One statement: the addresses
   * that go (of a kind answered, not among the new ones), then the new. A key repeated in the page
   * takes the addresses of its first record.
   */
  #writeAddresses(
    page: PageBatch,
    c: string,
    run: string,
    records: readonly Record<string, unknown>[],
  ): void {
    const ids = new Set<string>();
    const clear = { ids: [] as string[], kinds: [] as string[] };
    const add = { ids: [] as string[], addresses: [] as string[], kinds: [] as string[] };
    for (const record of records) {
      const asset = assetAddresses(record);
      if (ids.has(asset.id)) continue;
      ids.add(asset.id);
      for (const kind of asset.known) {
        clear.ids.push(asset.id);
        clear.kinds.push(kind);
      }
      for (const { address, kind } of asset.addresses) {
        add.ids.push(asset.id);
        add.addresses.push(address);
        add.kinds.push(kind);
      }
    }
    const added = 'unnest($5::text[], $6::text[], $7::text[]) AS n(endpoint_id, address, kind)';
    // One lookup by key per asset (OFFSET 0 keeps it a loop): without statistics an `= ANY` was planned
    // as a scan of the connection's assets.
    const changed = `SELECT a.endpoint_id FROM unnest($2::text[]) AS i(id) CROSS JOIN LATERAL
      (SELECT a.endpoint_id FROM assets a
       WHERE a.connection = $1 AND a.endpoint_id = i.id AND a.changed_run = $8 OFFSET 0) a`;
    // Pairs as one text each (an endpoint id never holds the unit separator): `= ANY` and `<> ALL` of a
    // constant array are hashed, where a join with `unnest` was planned as a loop over every pair for
    // every stored address (estimates said one row).
    const pair = (a: string, b: string) => `${a}\u001f${b}`;
    const cleared = clear.ids.map((id, i) => pair(id, clear.kinds[i]!));
    const kept = add.ids.map((id, i) => pair(id, add.addresses[i]!));
    page.add(
      bind(
        `WITH changed AS MATERIALIZED (${changed}),
         gone AS (
           DELETE FROM asset_addresses x
           WHERE x.connection = $1 AND x.endpoint_id = ANY($2::text[])
             AND x.endpoint_id IN (SELECT endpoint_id FROM changed)
             AND x.endpoint_id || chr(31) || x.kind = ANY($3::text[])
             AND x.endpoint_id || chr(31) || x.address <> ALL($4::text[]))
         INSERT INTO asset_addresses (connection, endpoint_id, address, kind)
         SELECT $1, n.endpoint_id, n.address, n.kind FROM ${added}
         WHERE n.endpoint_id IN (SELECT endpoint_id FROM changed) ON CONFLICT DO NOTHING`,
        [
          c,
          arrayLiteral([...ids], 'text[]'),
          arrayLiteral(cleared, 'text[]'),
          arrayLiteral(kept, 'text[]'),
          arrayLiteral(add.ids, 'text[]'),
          arrayLiteral(add.addresses, 'text[]'),
          arrayLiteral(add.kinds, 'text[]'),
          run,
        ],
      ),
    );
  }

  /** After a complete full pass: removes the connection's rows the pass did not see, and their answers. */
  async sweep(client: PoolClient, connection: string, generation: number): Promise<number> {
    const removed = await client.query(
      `DELETE FROM ${this.layout.rowsTable} WHERE connection = $1 AND seen_gen < $2`,
      [connection, generation],
    );
    if (this.#answer)
      await client.query(
        `DELETE FROM scope_answers WHERE connection = $1 AND stream = $2 AND seen_gen < $3`,
        [connection, this.#def.name, generation],
      );
    return removed.rowCount ?? 0;
  }

  /** Shared values no row of any connection refers to any more (hold the shared-table lock). */
  async sweepShared(client: PoolClient): Promise<void> {
    const shared = this.layout.shared;
    if (!shared) return;
    this.shared?.forget();
    await client.query(
      `DELETE FROM ${shared.table} d WHERE NOT EXISTS
         (SELECT 1 FROM ${this.layout.rowsTable} f WHERE f.${shared.ref} = d.id)`,
    );
  }

  /**
   * For a row this upsert changed that existed before this run (`$3`): its `changed_run` before the
   * statement; null otherwise. A row the run writes twice (a page read again after some of its chunks
   * were committed, a repeated key's later round) is counted once: added only by the statement that
   * inserted it (`xmax = 0` marks a fresh insert), updated only by the first that changed it. The
   * subquery reads the statement's snapshot, which holds the row as it was; it runs for changed rows only.
   */
  #changedBefore(): string {
    const rowsTable = this.layout.rowsTable;
    const key = this.#def.primaryKey.map((c) => `o.${c} = t.${c}`).join(' AND ');
    return `CASE WHEN NOT (t.xmax = 0) AND t.changed_run = $3 AND t.created_run <> $3 THEN
      (SELECT o.changed_run FROM ${rowsTable} o WHERE o.connection = t.connection AND ${key}) END`;
  }

  /**
   * The upsert's SET clause: new values replace stored ones, except that `keepWhenNull` fields keep
   * theirs when the new value is null; `changed_run` moves only when a compared value really changed.
   */
  #updateClause(own: readonly string[]): string {
    const def = this.#def;
    const keep = new Set(def.keepWhenNull ?? []);
    const uncompared = new Set(def.uncompared ?? []);
    const asText = new Set(this.layout.jsonText ?? []);
    const nonKey = own.filter((c) => !def.primaryKey.includes(c));
    const set = nonKey.map((c) =>
      keep.has(c) ? `${c} = coalesce(excluded.${c}, t.${c})` : `${c} = excluded.${c}`,
    );
    // `json` has no equality: its text is compared (as SQLite compares the JSON text).
    const v = (alias: string, c: string) => (asText.has(c) ? `${alias}.${c}::text` : `${alias}.${c}`);
    const changed =
      nonKey
        .filter((c) => !uncompared.has(c))
        .map((c) =>
          keep.has(c)
            ? `(excluded.${c} IS NOT NULL AND ${v('t', c)} IS DISTINCT FROM ${v('excluded', c)})`
            : `${v('t', c)} IS DISTINCT FROM ${v('excluded', c)}`,
        )
        .join(' OR ') || 'false';
    return [
      ...set,
      // A row's generation only grows: a slower, older pass never makes a newer pass's row sweepable.
      'seen_gen = greatest(t.seen_gen, excluded.seen_gen)',
      `changed_run = CASE WHEN ${changed} THEN excluded.changed_run ELSE t.changed_run END`,
    ].join(', ');
  }
}

/** Which of the page's endpoints (`$2`) have a row of the connection (`$1`) in the table, by key. */
function probeSql(table: string, lead: string): string {
  // One lookup by key per endpoint (LIMIT 1 keeps it a loop whatever the statistics say).
  return `SELECT coalesce(array_agg(i.k), '{}') AS stored FROM unnest($2::text[]) AS i(k)
    CROSS JOIN LATERAL (SELECT 1 FROM ${table} o WHERE o.connection = $1 AND o.${lead} = i.k LIMIT 1) o`;
}

const ADDRESSES_PROBE = probeSql('asset_addresses', 'endpoint_id');

const COPY_ADDRESSES = 'COPY asset_addresses (connection, endpoint_id, address, kind) FROM STDIN';

function isText(value: unknown): value is string {
  return typeof value === 'string';
}

/**
 * An asset's IPs (`ip_addresses` and `ip_address`) and MACs, each address once, IPs first (the
 * table's key holds an address once per asset); a list Tanium answered null is not a known kind.
 */
function assetAddresses(record: Record<string, unknown>): AssetAddresses {
  const ips = record['ip_addresses'] as string[] | null;
  const macs = record['mac_addresses'] as string[] | null;
  const ipSet = new Set<string>(ips ?? []);
  const ip = record['ip_address'];
  if (typeof ip === 'string' && ip !== '') ipSet.add(ip);
  const seen = new Set<string>();
  const addresses: AssetAddresses['addresses'] = [];
  const known: AssetAddresses['known'] = [];
  for (const [kind, list, answered] of [
    ['ip', ipSet, ips !== null],
    ['mac', new Set(macs ?? []), macs !== null],
  ] as const) {
    if (answered) known.push(kind);
    for (const address of list) {
      if (seen.has(address)) continue;
      seen.add(address);
      addresses.push({ address, kind });
    }
  }
  return { id: record['endpoint_id'] as string, known, addresses };
}

/**
 * Records each scope's answer (`$1` connection, `$2` generation, four arrays from `$first`: endpoint,
 * scope, status, time); `answered_at` moves only with a real answer.
 */
function answerSql(stream: string, first: number): string {
  const arrays = [0, 1, 2, 3].map((i) => `$${first + i}::text[]`).join(', ');
  return `INSERT INTO scope_answers AS t (connection, stream, endpoint_id, scope, status, answered_at,
      checked_at, seen_gen)
    SELECT $1, '${stream}', a.e, a.sc, a.st, CASE WHEN a.st = 'answered' THEN a.at END, a.at, $2
    FROM unnest(${arrays}) AS a(e, sc, st, at)
    ON CONFLICT (connection, stream, endpoint_id, scope) DO UPDATE SET status = excluded.status,
      answered_at = CASE WHEN excluded.status = 'answered' THEN excluded.answered_at ELSE t.answered_at END,
      checked_at = excluded.checked_at, seen_gen = greatest(t.seen_gen, excluded.seen_gen)`;
}

/** Answers as the four text array literals the answer upsert unnests: endpoint, scope, status, time. */
function answerArrays(answers: readonly ScopeAnswer[]): string[] {
  return [
    answers.map((a) => a.scope[0]),
    answers.map((a) => a.scope[1] ?? ''),
    answers.map((a) => a.status),
    answers.map((a) => a.at),
  ].map((values) => arrayLiteral(values, 'text[]'));
}

/** The scopes' values as one text array literal per scope column (for `unnest`). */
function scopeArrays(answers: readonly ScopeAnswer[], width: number): string[] {
  return Array.from({ length: width }, (_, i) =>
    arrayLiteral(
      answers.map((a) => a.scope[i]!),
      'text[]',
    ),
  );
}
