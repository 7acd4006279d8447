import { setTimeout as sleep } from 'node:timers/promises';
import { GraphQLError, isTaniumError, UnexpectedResponseError } from '../sdk/index.js';
import { STREAMS } from '../streams/index.js';
import type { StreamName, StreamOptions } from '../streams/stream.js';
import { isCursorGone } from './cursorGone.js';
import type { SyncEvent } from './events.js';
import type { HeldLease } from './lease.js';
import type { PageSizer } from './pageSize.js';
import { withPartition } from './partitions.js';
import { endpointsQuery, ID_ORDER, passFilter } from './query.js';

/** What the runner needs from the SDK client. */
export interface GatewayClient {
  graphql<T = unknown>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export interface GatewayPage {
  edges: { node?: unknown }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalRecords?: number;
}

/** A page as received, or word that the pass must begin again (its position cannot be recovered). */
export type Received =
  | { kind: 'page'; page: GatewayPage; ms: number; waitMs: number }
  | { kind: 'restart'; reason: string };

export interface ReaderOptions {
  client: GatewayClient;
  sizer: PageSizer;
  lease: HeldLease;
  /** Streams in the query. */
  active: StreamName[];
  streamOptions: StreamOptions;
  since: string | null;
  /**
   * An incremental pass that reads what changed: the filter for the streams' selections (with the
   * options the schema allows). Dropped, for the eidLastSeen filter, when the tenant refuses it.
   */
  changes?: ((options: StreamOptions) => Record<string, unknown>) | undefined;
  /** A fixed query (the check-in pass's) instead of the streams' selections. */
  query?: string;
  /** The partition of a partitioned pass this reader reads (src/sync/partitions.ts); absent: all. */
  partition?: Record<string, unknown> | null;
  emit: (event: SyncEvent) => void;
  /**
   * The Gateway refused the query (a field, type or argument it does not have): read the tenant's
   * schema again and answer the new selections, or undefined when they are as before (the refusal
   * is not about the schema). Throws when a required field is now missing.
   */
  onRefused: () => Promise<StreamOptions | undefined>;
  maxPageFailures: number;
  maxRestarts: number;
}

function asPage(data: unknown): GatewayPage {
  const page = (data as { endpoints?: unknown } | null)?.endpoints as Partial<GatewayPage> | null | undefined;
  if (!page || !Array.isArray(page.edges) || typeof page.pageInfo !== 'object' || page.pageInfo === null)
    throw new UnexpectedResponseError('Gateway answer has no endpoints connection (edges, pageInfo).', {
      kind: 'invalid-json',
    });
  return page as GatewayPage;
}

function retryable(error: unknown): boolean {
  if (!isTaniumError(error)) return false;
  return error.retryable || (error instanceof UnexpectedResponseError && error.kind === 'invalid-json');
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The tenant refused the id order (sort is experimental in Tanium's schema): read unordered. */
function refusesSort(error: unknown): boolean {
  return error instanceof GraphQLError && /\bsort/i.test(error.messages.join(' '));
}

/**
 * Reads a pass's pages. One request is in flight at a time, asked for as soon as the previous page is
 * mapped (`follow`), so the Gateway builds page n+1 while page n is stored. Failed pages are retried
 * with a smaller size and backoff (the SDK has already retried the request itself); refused optional
 * fields are dropped from the query. When the cursor is gone (expired, forgotten, stalled), the pass
 * continues after the last endpoint id the reader handed out: the runner stores each page before it
 * awaits the next, so that id is committed. Without an id order it can only restart.
 */
export class PageReader {
  #query: string;
  #cursor: string | null = null;
  #afterId: string | null = null;
  #inflight: Promise<{ data: unknown; ms: number }> | undefined;
  #settled: Promise<unknown> | undefined;
  #sorted = true;
  #changes: ReaderOptions['changes'];
  #failures = 0;
  #reschemed = false;
  resumes = 0;
  restarts = 0;

  constructor(private readonly o: ReaderOptions) {
    this.#changes = o.changes;
    this.#query = this.#buildQuery();
  }

  /** Whether the pass reads only what changed (false once the tenant refused the change filter). */
  get readsChanges(): boolean {
    return this.#changes !== undefined;
  }

  /** Begins reading at a cursor (a resumed pass), after an id, or from the start. */
  start(cursor: string | null, afterId: string | null): void {
    this.#cursor = cursor;
    this.#afterId = afterId;
    this.#request();
  }

  /** Requests the page after `page` (when there is one) and remembers where `page` ends. */
  follow(page: GatewayPage, lastId: string | null): void {
    if (lastId !== null) this.#afterId = lastId;
    const next = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    if (next === null) return;
    this.#cursor = next;
    this.#request();
  }

  /** The next page is not here yet (the runner may use the wait for housekeeping). */
  get waiting(): boolean {
    return this.#inflight !== undefined && this.#settled !== this.#inflight;
  }

  async next(): Promise<Received> {
    const waitStart = performance.now();
    for (;;) {
      try {
        const fetched = await this.#inflight!;
        const page = asPage(fetched.data);
        const endCursor = page.pageInfo.endCursor;
        if (page.pageInfo.hasNextPage && (!endCursor || endCursor === this.#cursor))
          throw new UnexpectedResponseError('Gateway cursor did not advance; stopping.', {
            kind: 'stalled-cursor',
          });
        this.#failures = 0;
        return { kind: 'page', page, ms: fetched.ms, waitMs: performance.now() - waitStart };
      } catch (error) {
        const restart = await this.#recover(error);
        if (restart) return restart;
      }
    }
  }

  /** Deals with a failed page: asks again (differently) or throws; returns a restart when it must. */
  async #recover(error: unknown): Promise<Received | undefined> {
    this.o.lease.check('the run stopped while waiting for the Gateway');
    if (isCursorGone(error) && this.#cursor !== null) return this.#resume(error);
    if (refusesSort(error) && this.#sorted) {
      this.#sorted = false;
      this.o.emit({
        event: 'retry',
        reason: `${message(error)}: reading without an id order`,
        pageSize: this.o.sizer.size,
      });
      this.#request();
      return undefined;
    }
    if (this.#refusesChanges(error)) return undefined;
    if (await this.#reschema(error)) return undefined;
    if (retryable(error) && this.#failures < this.o.maxPageFailures) {
      this.#failures++;
      this.o.sizer.failed();
      this.o.emit({ event: 'retry', reason: message(error), pageSize: this.o.sizer.size });
      await sleep(Math.min(30_000, 250 * 2 ** this.#failures * (0.5 + Math.random() / 2)));
      this.o.lease.check('the run stopped while waiting to retry a page');
      this.#request();
      return undefined;
    }
    throw error;
  }

  #resume(error: unknown): Received | undefined {
    if (this.#sorted && this.#afterId !== null) {
      this.resumes++;
      this.o.emit({
        event: 'resume',
        reason: `${message(error)}: continuing after endpoint ${this.#afterId}`,
        afterId: this.#afterId,
      });
      this.#cursor = null;
      this.#request();
      return undefined;
    }
    if (this.restarts >= this.o.maxRestarts) throw error;
    this.restarts++;
    this.#cursor = null;
    this.#afterId = null;
    return { kind: 'restart', reason: `${message(error)}: requesting the collection again` };
  }

  /**
   * The tenant refused the change filter (Tanium documents UPDATED_AFTER as valid only for fields from
   * certain data sources): the pass goes on with the endpoints seen since `since`, which hold every
   * changed one, so it stays exact and only reads more.
   */
  #refusesChanges(error: unknown): boolean {
    if (this.#changes === undefined || !(error instanceof GraphQLError) || error.retryable) return false;
    this.#changes = undefined;
    this.o.emit({
      event: 'retry',
      reason: `${message(error)}: reading the endpoints seen since ${this.o.since} instead of those whose data changed`,
      pageSize: this.o.sizer.size,
    });
    this.#request();
    return true;
  }

  /**
   * Once per run, a refused query reads the tenant's schema again (its cache is stale: the tenant
   * changed) and goes on with the selections the schema now allows, instead of guessing from the
   * wording of the error which field was refused.
   */
  async #reschema(error: unknown): Promise<boolean> {
    if (!(error instanceof GraphQLError) || error.retryable || this.#reschemed) return false;
    this.#reschemed = true;
    const options = await this.o.onRefused();
    if (!options) return false;
    Object.assign(this.o.streamOptions, options);
    const query = this.#buildQuery();
    if (query === this.#query) return false;
    this.o.emit({
      event: 'retry',
      reason: `${message(error)}: the tenant's schema changed; asking for what it has`,
      pageSize: this.o.sizer.size,
    });
    this.#query = query;
    this.#request();
    return true;
  }

  #buildQuery(): string {
    if (this.o.query !== undefined) return this.o.query;
    return endpointsQuery(
      this.o.active.map((s) => STREAMS[s]),
      this.o.streamOptions,
    );
  }

  #request(): void {
    const t0 = performance.now();
    const cursor = this.#cursor;
    const variables = {
      first: this.o.sizer.size,
      after: cursor,
      // A new collection (no cursor) starts after the last id committed, when there is one.
      filter: withPartition(
        passFilter(
          this.o.since,
          cursor === null && this.#sorted ? this.#afterId : null,
          this.#changes ? this.#changes(this.o.streamOptions) : null,
        ),
        this.o.partition ?? null,
      ),
      sort: this.#sorted ? ID_ORDER : null,
    };
    const promise = this.o.client
      .graphql(this.#query, variables)
      .then((data) => ({ data, ms: performance.now() - t0 }));
    // Awaited in next() (never an unhandled rejection meanwhile).
    const mark = () => {
      this.#settled = promise;
    };
    promise.then(mark, mark);
    this.#inflight = promise;
  }
}
