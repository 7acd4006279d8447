import { setTimeout as sleep } from 'node:timers/promises';
import { GraphQLError, isTaniumError, UnexpectedResponseError } from '../sdk/index.js';
import { STREAMS } from '../streams/index.js';
import type { StreamName, StreamOptions } from '../streams/stream.js';
import { isCursorGone } from './cursorGone.js';
import type { SyncEvent } from './events.js';
import type { HeldLease } from './lease.js';
import type { PageSizer } from './pageSize.js';
import { readPageStream } from './pageStream.js';
import { withPartition } from './partitions.js';
import { endpointsQuery, ID_ORDER, passFilter } from './query.js';

/** What the runner needs from the SDK client. */
export interface GatewayClient {
  graphql<T = unknown>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { readBody?: (chunks: AsyncIterable<Uint8Array>) => Promise<unknown> },
  ): Promise<T>;
}

export interface GatewayPage {
  edges: { node?: unknown }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalRecords?: number;
}

/**
 * A page as received, or word that the pass must begin again (its position cannot be recovered). A
 * streamed page arrives in chunks: all but the last have `more` set and `cursor`, the cursor the page
 * was asked with (where a run stopped after this chunk begins again: the page is read anew and its
 * committed endpoints written again, unchanged); the last carries the page's `pageInfo`. `ms`, `asked`
 * and `streamed` (for the sizer) are the page's.
 */
export type Received =
  | {
      kind: 'page';
      page: GatewayPage;
      ms: number;
      waitMs: number;
      more: boolean;
      cursor: string | null;
      asked: number;
      streamed: boolean;
    }
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
  /**
   * Stream pages that continue a collection (src/sync/pageStream.ts): they may be as large as Tanium
   * allows, handed on in chunks of the sizer's row cap, and the next page is asked for as soon as a
   * page's pageInfo is read. A page that begins a collection is always read whole, so that every
   * chunk's checkpoint has a cursor to begin again from.
   */
  stream?: boolean;
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
 * Reads a pass's pages. The next page is asked for as soon as the previous page is mapped (`follow`),
 * or, for a streamed page, as soon as its pageInfo is read, so the Gateway builds page n+1 while page n
 * is stored. Failed pages are retried with a smaller size and backoff (the SDK has already retried the
 * request itself); refused optional fields are dropped from the query. When the cursor is gone
 * (expired, forgotten, stalled), the pass continues after the last endpoint id the reader handed out:
 * the runner stores each page (or chunk) before it awaits the next, so that id is committed. Without an
 * id order it can only restart.
 */
export class PageReader {
  #query: string;
  #cursor: string | null = null;
  #afterId: string | null = null;
  /** The request whose answer `next` reads. */
  #current: Flight | undefined;
  /** The next page, asked for from the current (streamed) page's pageInfo. */
  #ahead: Flight | undefined;
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

  /**
   * Remembers where `page` (or a chunk of it, `more`) ends and, after a page's last chunk, requests the
   * page after it when there is one (or takes the one already asked for).
   */
  follow(page: GatewayPage, lastId: string | null, more = false): void {
    if (lastId !== null) this.#afterId = lastId;
    if (more) return;
    const next = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    if (next === null) return;
    this.#cursor = next;
    const ahead = this.#ahead;
    this.#ahead = undefined;
    if (ahead?.cursor === next) {
      this.#current = ahead;
      // Its pageInfo may have come in while it was still the page ahead: ask for the one after it now,
      // or every other page would wait a whole round trip.
      if (ahead.pageInfo !== undefined) this.#askAhead(ahead, ahead.pageInfo);
    } else {
      ahead?.abandon();
      this.#request();
    }
  }

  /**
   * Stops reading: an answer still streaming is given up (its body released), so that no request
   * outlives the pass (a client's close waits for its requests).
   */
  close(): void {
    this.#ahead?.abandon();
    this.#current?.abandon();
    this.#ahead = undefined;
  }

  /** The next page is not here yet (the runner may use the wait for housekeeping). */
  get waiting(): boolean {
    return this.#current !== undefined && !this.#current.ready;
  }

  async next(): Promise<Received> {
    const waitStart = performance.now();
    for (;;) {
      const f = this.#current!;
      try {
        const chunk = await f.take();
        if (chunk !== undefined) {
          const page = {
            edges: chunk as GatewayPage['edges'],
            pageInfo: { hasNextPage: true, endCursor: f.cursor },
          };
          return f.received(page, true, waitStart);
        }
        const page = asPage(await f.result);
        const endCursor = page.pageInfo.endCursor;
        if (page.pageInfo.hasNextPage && (!endCursor || endCursor === this.#cursor))
          throw new UnexpectedResponseError('Gateway cursor did not advance; stopping.', {
            kind: 'stalled-cursor',
          });
        this.#failures = 0;
        return f.received(page, false, waitStart);
      } catch (error) {
        const restart = await this.#recover(error, f.streamed);
        if (restart) return restart;
      }
    }
  }

  /** Deals with a failed page: asks again (differently) or throws; returns a restart when it must. */
  async #recover(error: unknown, streamed: boolean): Promise<Received | undefined> {
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
      this.o.sizer.failed(streamed);
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

  /** Asks (again) for the page at the reader's cursor; a page asked for ahead is dropped. */
  #request(): void {
    this.#ahead?.abandon();
    this.#ahead = undefined;
    this.#current = this.#send(this.#cursor);
  }

  #send(cursor: string | null): Flight {
    const streamed = this.o.stream === true && cursor !== null;
    const flight = new Flight(cursor, streamed ? this.o.sizer.streamed : this.o.sizer.size, streamed);
    const variables = {
      first: flight.asked,
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
    const readBody = (chunks: AsyncIterable<Uint8Array>) => {
      flight.answered();
      return readPageStream(chunks, {
        chunk: () => this.o.sizer.chunk,
        edges: (edges) => flight.put(edges),
        pageInfo: (info) => this.#askAhead(flight, info),
      });
    };
    flight.begin(this.o.client.graphql(this.#query, variables, streamed ? { readBody } : {}));
    return flight;
  }

  /** A streamed page's pageInfo: the next page is asked for now, while this one is still read. */
  #askAhead(flight: Flight, info: unknown): void {
    flight.pageInfo = info;
    if (flight !== this.#current || this.#ahead !== undefined || flight.abandoned) return;
    const { hasNextPage, endCursor } = (info ?? {}) as Partial<GatewayPage['pageInfo']>;
    if (hasNextPage !== true || typeof endCursor !== 'string' || endCursor === flight.cursor) return;
    this.#ahead = this.#send(endCursor);
  }
}

/** A page given up on (a retry, a restart, an answer to a page no longer wanted): stop reading it. */
class Abandoned extends Error {
  override readonly name = 'Abandoned';
}

/**
 * One request and its answer: parsed whole, or streamed in chunks handed over one at a time (the parser
 * waits until the chunk before was taken: two chunks of a page, one stored and one arriving, plus the
 * first chunk of the next page, asked for early at this one's pageInfo: at most three chunks are held).
 */
class Flight {
  readonly #t0 = performance.now();
  #answerMs: number | undefined;
  #doneMs = 0;
  #settled = false;
  #chunks: unknown[][] = [];
  #taken: (() => void) | undefined;
  #wake: (() => void) | undefined;
  abandoned = false;
  /** The streamed answer's pageInfo, once read (the next page is asked for from it). */
  pageInfo: unknown;
  result: Promise<unknown> = Promise.resolve(undefined);

  constructor(
    readonly cursor: string | null,
    readonly asked: number,
    readonly streamed: boolean,
  ) {}

  begin(result: Promise<unknown>): void {
    this.result = result;
    // Awaited in next() (never an unhandled rejection meanwhile).
    const mark = () => {
      this.#doneMs = performance.now() - this.#t0;
      this.#settled = true;
      this.#wake?.();
    };
    result.then(mark, mark);
  }

  /** The answer's body begins: the Gateway's time for this page. */
  answered(): void {
    this.#answerMs = performance.now() - this.#t0;
  }

  get ready(): boolean {
    return this.#settled || this.#chunks.length > 0;
  }

  async put(edges: unknown[]): Promise<void> {
    if (this.abandoned) throw new Abandoned('page no longer wanted');
    this.#chunks.push(edges);
    this.#wake?.();
    await new Promise<void>((resolve) => {
      this.#taken = resolve;
    });
    if (this.abandoned) throw new Abandoned('page no longer wanted');
  }

  /** The next chunk, or undefined once the answer is complete (its last edges are in `result`). */
  async take(): Promise<unknown[] | undefined> {
    for (;;) {
      const chunk = this.#chunks.shift();
      if (chunk !== undefined) {
        const taken = this.#taken;
        this.#taken = undefined;
        taken?.();
        return chunk;
      }
      if (this.#settled) return undefined;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }

  abandon(): void {
    this.abandoned = true;
    const taken = this.#taken;
    this.#taken = undefined;
    taken?.();
  }

  received(page: GatewayPage, more: boolean, waitStart: number): Received {
    return {
      kind: 'page',
      page,
      ms: this.streamed ? (this.#answerMs ?? this.#doneMs) : this.#doneMs,
      waitMs: performance.now() - waitStart,
      more,
      cursor: this.cursor,
      asked: this.asked,
      streamed: this.streamed,
    };
  }
}
