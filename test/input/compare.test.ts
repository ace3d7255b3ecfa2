import { byKey, compareStrings } from '../../src/input/compare';

describe('the order of strings', () => {
  test('orders by UTF-16 code units: upper case before lower, digits before letters, no locale', () => {
    expect(['b', 'a', 'B', '10', '9', 'é', 'e', ''].sort(compareStrings)).toEqual(['', '10', '9', 'B', 'a', 'b', 'e', 'é']);
  });

  test('is negative, positive or zero as the first string sorts before, after or with the second', () => {
    expect(compareStrings('a', 'b')).toBeLessThan(0);
    expect(compareStrings('b', 'a')).toBeGreaterThan(0);
    expect(compareStrings('a', 'a')).toBe(0);
    expect(compareStrings('', '')).toBe(0);
  });

  test('orders items by a key of each, keeping items of equal keys in their order', () => {
    const items = [{ k: 'b', n: 1 }, { k: 'a', n: 2 }, { k: 'b', n: 3 }, { k: 'a', n: 4 }];
    expect([...items].sort(byKey((i) => i.k)).map((i) => i.n)).toEqual([2, 4, 1, 3]);
    expect(byKey((i: { k: string }) => i.k)({ k: 'x' }, { k: 'x' })).toBe(0);
  });
});
