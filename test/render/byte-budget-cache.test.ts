import { ByteBudgetCache } from '../../app/render/byte-budget-cache';

describe('ByteBudgetCache', () => {
  it('evicts the least recently used entries once the byte budget is exceeded', () => {
    const cache = new ByteBudgetCache<string, string>(100);
    cache.set('a', 'A', 40);
    cache.set('b', 'B', 40);
    expect(cache.get('a')).toBe('A'); // a is now the most recent
    cache.set('c', 'C', 40);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.get('c')).toBe('C');
    expect(cache.bytes).toBe(80);
    expect(cache.size).toBe(2);
  });

  it('replaces an entry without counting it twice and refuses a value larger than the budget', () => {
    const cache = new ByteBudgetCache<string, string>(100);
    cache.set('a', 'A', 60);
    cache.set('a', 'A2', 70);
    expect(cache.bytes).toBe(70);
    cache.set('huge', 'H', 101);
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('a')).toBe('A2');
    cache.delete('a');
    expect(cache.bytes).toBe(0);
  });

  it('hands each evicted value to onEvict with the bytes it was counted for', () => {
    const evicted: [string, string, number][] = [];
    const cache = new ByteBudgetCache<string, string>(100, (value, key, bytes) => evicted.push([key, value, bytes]));
    cache.set('a', 'A', 30);
    cache.set('b', 'B', 50);
    cache.set('c', 'C', 45);
    expect(evicted).toEqual([['a', 'A', 30]]);
    cache.delete('b'); // deleted, not evicted
    cache.set('c', 'C2', 20); // replaced, not evicted
    expect(evicted).toEqual([['a', 'A', 30]]);
    cache.set('d', 'D', 85);
    expect(evicted).toEqual([
      ['a', 'A', 30],
      ['c', 'C2', 20],
    ]);
    expect(cache.bytes).toBe(85);
  });

  it('rejects a negative or fractional budget', () => {
    expect(() => new ByteBudgetCache(-1)).toThrow(RangeError);
    expect(() => new ByteBudgetCache(1.5)).toThrow(RangeError);
  });
});
