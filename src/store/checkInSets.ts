import type { SeenTouch } from './sync.js';

/** One check-in, as `SeenTouch.seen` holds it. */
export type SeenCheckIn = SeenTouch['seen'][number];

/**
 * The check-ins split into sets that hold each endpoint at most once, in the order given: a set-based
 * `UPDATE … FROM` takes one arbitrary matching row of its source for each row it updates, so an
 * endpoint's second check-in in one touch (a check-in read that began again) goes into a second set.
 * Each update only moves a time forward, so applying the sets one after the other leaves the latest.
 */
export function checkInSets(seen: SeenTouch['seen']): SeenCheckIn[][] {
  const sets: SeenCheckIn[][] = [];
  const times = new Map<string, number>();
  for (const checkIn of seen) {
    const k = times.get(checkIn.endpointId) ?? 0;
    times.set(checkIn.endpointId, k + 1);
    const set = sets[k] ?? [];
    sets[k] = set;
    set.push(checkIn);
  }
  return sets;
}
