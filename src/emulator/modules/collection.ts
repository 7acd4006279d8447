import { notFound, pathId } from './query.js';

/** Every stored module object has a whole-number id, unique within its collection. */
export interface Stored {
  id: number;
}

/**
 * One in-memory list of module objects (connections' destinations, patch block lists, …): ids are
 * issued in order and never reused, so a deleted object's id stays unknown (404) afterwards.
 */
export class Collection<T extends Stored> {
  private readonly items: T[];
  private nextId: number;

  constructor(
    /** The module's not-found error name, e.g. `BlacklistNotFound`. */
    readonly notFoundCode: string,
    /** What one object is called in messages, e.g. `block list`. */
    readonly what: string,
    seed: readonly T[] = [],
  ) {
    this.items = [...seed];
    this.nextId = Math.max(0, ...seed.map((item) => item.id)) + 1;
  }

  list(): readonly T[] {
    return this.items;
  }

  find(id: number): T | undefined {
    return this.items.find((item) => item.id === id);
  }

  /** The object a path id names; a non-number or an unknown id is a 404 with the module's error name. */
  get(raw: string): T {
    const id = pathId(raw, this.notFoundCode, this.what);
    const found = this.find(id);
    if (!found) throw notFound(this.notFoundCode, this.what, id);
    return found;
  }

  add(make: (id: number) => T): T {
    const item = make(this.nextId++);
    this.items.push(item);
    return item;
  }

  remove(raw: string): T {
    const item = this.get(raw);
    this.items.splice(this.items.indexOf(item), 1);
    return item;
  }
}
