import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeContext } from './context.js';
import { cveFindings } from './cveFindings.js';
import { enrolledAt, lastScan, lastSeen } from './lifecycle.js';

const DAY = 86_400_000;
const EPOCH = Date.UTC(2026, 0, 1);

describe('check-ins and findings over time (properties)', () => {
  it('eidLastSeen is monotonic, never after t, never before enrolment; findings are dated consistently', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 0, max: 1_249 }),
        fc.integer({ min: -60 * DAY, max: 200 * DAY }),
        fc.integer({ min: 0, max: 40 * DAY }),
        (seed, i, offset, step) => {
          const c = makeContext({ size: 1_000, seed });
          const t1 = EPOCH + offset;
          const t2 = t1 + step;
          const s1 = lastSeen(c, i, t1);
          const s2 = lastSeen(c, i, t2);
          const enrolled = enrolledAt(c, i);
          if (t1 >= enrolled) {
            expect(s1).toBeGreaterThanOrEqual(enrolled);
            expect(s1).toBeLessThanOrEqual(t1);
          }
          expect(s1).toBeLessThanOrEqual(s2);
          if (t2 >= enrolled) expect(s2).toBeLessThanOrEqual(t2);
          const scan = lastScan(c, i, s2);
          for (const f of cveFindings(c, i, scan)) {
            const first = Date.parse(f.firstFound);
            const last = Date.parse(f.lastFound);
            expect(Date.parse(f.absoluteFirstFoundDate)).toBeLessThanOrEqual(first);
            expect(first).toBeLessThanOrEqual(last);
            expect(last).toBeLessThanOrEqual(s2);
            expect(first).toBeGreaterThanOrEqual(enrolled);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
