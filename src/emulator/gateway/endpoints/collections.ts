import { randomBytes } from 'node:crypto';
import { GraphQLError } from 'graphql';

/** Tanium: a cursor is usable for 5 minutes after the latest request in its collection, 1 hour at most. */
export const CURSOR_IDLE_MS = 5 * 60_000;
export const CURSOR_MAX_AGE_MS = 60 * 60_000;
/** Collections kept at once; each holds only the matching endpoint indices (4 bytes each). */
const MAX_COLLECTIONS = 64;

export interface Collection {
  id: string;
  /** matching endpoint indices, in collection order */
  indices: Int32Array;
  /** the emulator time the collection was built at; its pages show the fleet as it was then */
  at: number;
  createdMs: number;
  lastUsedMs: number;
}

export const CURSOR_EXPIRED_MESSAGE =
  'The cursor has expired: request the collection again without a cursor.';

/**
 * Result collections behind Gateway cursors. A cursor is opaque to clients: base64url of
 * `<collection id>:<position>`; it is good only in the collection that issued it.
 */
export class CollectionStore {
  readonly #collections = new Map<string, Collection>();

  create(indices: Int32Array, at: number, nowMs: number): Collection {
    this.#evict(nowMs);
    const collection: Collection = {
      id: randomBytes(6).toString('hex'),
      indices,
      at,
      createdMs: nowMs,
      lastUsedMs: nowMs,
    };
    this.#collections.set(collection.id, collection);
    return collection;
  }

  /** Resolves a cursor to its collection and position; expired and foreign cursors are GraphQL errors. */
  resolve(cursor: string, nowMs: number, forceExpired = false): { collection: Collection; position: number } {
    const decoded = decode(cursor);
    const collection = decoded && this.#collections.get(decoded.id);
    if (!decoded || !collection)
      throw new GraphQLError(`Invalid cursor "${cursor}": it does not belong to a known collection.`);
    if (
      forceExpired ||
      nowMs - collection.lastUsedMs > CURSOR_IDLE_MS ||
      nowMs - collection.createdMs > CURSOR_MAX_AGE_MS
    ) {
      this.#collections.delete(collection.id);
      throw new GraphQLError(CURSOR_EXPIRED_MESSAGE, { extensions: { code: 'CURSOR_EXPIRED' } });
    }
    // Re-inserting keeps the map in least-recently-used order for eviction.
    this.#collections.delete(collection.id);
    this.#collections.set(collection.id, collection);
    collection.lastUsedMs = nowMs;
    return { collection, position: decoded.position };
  }

  cursor(collection: Collection, position: number): string {
    return Buffer.from(`${collection.id}:${position}`).toString('base64url');
  }

  #evict(nowMs: number): void {
    for (const [id, c] of this.#collections) {
      if (nowMs - c.lastUsedMs > CURSOR_IDLE_MS || nowMs - c.createdMs > CURSOR_MAX_AGE_MS)
        this.#collections.delete(id);
    }
    while (this.#collections.size >= MAX_COLLECTIONS) {
      const oldest = this.#collections.keys().next().value;
      if (oldest === undefined) break;
      this.#collections.delete(oldest);
    }
  }
}

function decode(cursor: string): { id: string; position: number } | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^([0-9a-f]{12}):(-?\d{1,9})$/.exec(text);
  if (!match) return undefined;
  return { id: match[1]!, position: Number(match[2]) };
}
