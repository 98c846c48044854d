import {
  ENVIRONMENTS,
  GROWTH_EXAMPLE,
  INSTANCE_MEMORY_MIB,
  hostTuning,
  shardRanges,
  validateEnvironment,
} from '../../lib/config/environments';
describe('growth settings of an environment (lib/config/environments.ts)', () => {
  it('splits the shards into contiguous ranges, one per instance', () => {
    expect(shardRanges(1, 1)).toEqual(['0']);
    expect(shardRanges(4, 1)).toEqual(['0-3']);
    expect(shardRanges(4, 2)).toEqual(['0-1', '2-3']);
    expect(shardRanges(5, 2)).toEqual(['0-2', '3-4']);
    expect(shardRanges(3, 3)).toEqual(['0', '1', '2']);
    expect(() => shardRanges(2, 3)).toThrow(/3 instances need at least as many shards/);
  });

  it('refuses several instances on a local database', () => {
    expect(() => {
      validateEnvironment({ ...ENVIRONMENTS.prod, instanceCount: 2 });
    }).toThrow(/needs database 'external'/);
    expect(() => {
      validateEnvironment(GROWTH_EXAMPLE);
    }).not.toThrow();
    for (const config of Object.values(ENVIRONMENTS))
      expect(() => {
        validateEnvironment(config);
      }).not.toThrow();
  });

  it('sizes mongod and the bot from the instance: t3.micro as measured, more room on bigger hosts and without mongod', () => {
    expect(hostTuning('t3.micro', 'local')).toEqual(ENVIRONMENTS.prod.tuning);
    const sizes = ['t3.micro', 't3.small', 't3.medium'] as const;
    for (const database of ['local', 'external'] as const) {
      const budgets = sizes.map((size) => hostTuning(size, database));
      for (let i = 1; i < budgets.length; i++) {
        expect(budgets[i]?.botMemoryMaxMb).toBeGreaterThan(budgets[i - 1]?.botMemoryMaxMb ?? Infinity);
        expect(budgets[i]?.botHeapMb).toBeGreaterThan(budgets[i - 1]?.botHeapMb ?? Infinity);
      }
      for (const [i, t] of budgets.entries()) {
        const size = sizes[i] ?? 't3.micro';
        // Heap < MemoryHigh < MemoryMax, and one slot plus mongod's cache fit in the RAM.
        expect(t.botHeapMb).toBeLessThan(t.botMemoryHighMb);
        expect(t.botMemoryHighMb).toBeLessThan(t.botMemoryMaxMb);
        const mongod = database === 'local' ? t.mongoCacheGb * 1024 + 100 : 0;
        expect(t.botMemoryMaxMb + mongod + 150).toBeLessThanOrEqual(INSTANCE_MEMORY_MIB[size]);
      }
    }
    expect(hostTuning('t3.small', 'local').mongoCacheGb).toBe(0.5);
    expect(hostTuning('t3.medium', 'local').mongoCacheGb).toBe(1);
    expect(hostTuning('t3.small', 'external').botMemoryMaxMb).toBeGreaterThan(
      hostTuning('t3.small', 'local').botMemoryMaxMb,
    );
  });
});
