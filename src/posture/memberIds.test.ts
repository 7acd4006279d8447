import { describe, expect, it } from 'vitest';
import { MemberIds } from './memberIds.js';

describe('MemberIds', () => {
  it('gives back every id added, as the same string, numbers first', () => {
    const ids = new MemberIds();
    const odd = ['0012', '-5', '1e3', 'é-6', '12345678901234567890', '9007199254740993', ' 7', ''];
    const plain = ['0', '1000000011', '9007199254740991', '42', '42'];
    for (const id of [...odd, ...plain]) ids.add(id);
    expect([...ids]).toEqual([...plain, ...odd]);
    expect(ids.size).toBe(odd.length + plain.length);
  });

  it('keeps ids across blocks, in the order they were added', () => {
    const ids = new MemberIds();
    const added = Array.from({ length: 10_000 }, (_, i) => String(1_000_000_000 + i * 7));
    for (const id of added) ids.add(id);
    expect(ids.size).toBe(added.length);
    expect([...ids]).toEqual(added);
  });

  it('is empty until an id is added', () => {
    const ids = new MemberIds();
    expect(ids.size).toBe(0);
    expect([...ids]).toEqual([]);
  });
});
