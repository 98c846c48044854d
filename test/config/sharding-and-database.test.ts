import { ConfigError, loadConfig, shardPlan } from '../../app/config';
import { mongoClientOptions, mongoProfile, staleReadDbOptions } from '../../app/database-options';
import { shardOptions } from '../../app/discord/bot-client';
import { TEST_SEED_KEY } from '../support/seed-key';

const base = {
  DISCORD_TOKEN: 'x'.repeat(60),
  MONGODB_URI: 'mongodb://127.0.0.1:27017/',
  GACHA_FAIRNESS_SEED_KEY: TEST_SEED_KEY,
};

describe('gateway sharding configuration', () => {
  it('defaults to one shard, as before sharding', () => {
    expect(loadConfig(base).sharding).toEqual({ count: 1, ids: [0] });
    expect(shardOptions(loadConfig(base).sharding)).toEqual({ shards: [0], shardCount: 1 });
  });

  it('reads ids and ranges of a fixed count, sorted', () => {
    expect(shardPlan('4', '0-1')).toEqual({ count: 4, ids: [0, 1] });
    expect(shardPlan('16', '12-15,3,0-1')).toEqual({ count: 16, ids: [0, 1, 3, 12, 13, 14, 15] });
    expect(shardPlan('4', undefined)).toEqual({ count: 4, ids: 'all' });
    expect(shardOptions(shardPlan('4', undefined))).toEqual({ shards: [0, 1, 2, 3], shardCount: 4 });
    expect(shardOptions(shardPlan('4', '2-3'))).toEqual({ shards: [2, 3], shardCount: 4 });
  });

  it('takes `auto` (Discord’s recommended count) only for a process that owns every shard', () => {
    expect(shardPlan('auto', undefined)).toEqual({ count: 'auto', ids: 'all' });
    expect(shardOptions(shardPlan('auto', undefined))).toEqual({ shards: 'auto', shardCount: 1 });
    expect(() => shardPlan('auto', '0-1')).toThrow(/SHARD_IDS needs a numeric SHARD_COUNT/);
  });

  it.each([
    [{ SHARD_IDS: '0' }, /SHARD_IDS needs SHARD_COUNT/],
    [{ SHARD_COUNT: '2', SHARD_IDS: '0-2' }, /shard 2 does not exist with SHARD_COUNT=2/],
    [{ SHARD_COUNT: '4', SHARD_IDS: '3-1' }, /range 3-1 runs backwards/],
    [{ SHARD_COUNT: '4', SHARD_IDS: '0-1,1' }, /shard 1 is listed twice/],
    [{ SHARD_COUNT: '4', SHARD_IDS: 'one' }, /SHARD_IDS must list shard ids or ranges/],
    [{ SHARD_COUNT: '0' }, /SHARD_COUNT must be `auto` or a whole number/],
    [{ SHARD_COUNT: 'many' }, /SHARD_COUNT must be `auto` or a whole number/],
  ])('refuses %o with a clear error', (env, message) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...env })).toThrow(message);
  });
});

describe('MongoDB driver profile', () => {
  it('keeps the driver defaults for the local standalone mongod', () => {
    expect(mongoProfile('mongodb://gacha-bot:pw@127.0.0.1:27017/gacha?authSource=gacha', 'auto')).toBe('standalone');
    const options = mongoClientOptions('standalone');
    expect(options).toEqual({ maxPoolSize: 20, serverSelectionTimeoutMS: 5_000 });
    expect(staleReadDbOptions('standalone')).toEqual({});
  });

  it('uses retryable writes, majority write concern and secondary stale reads on Atlas or a replica set', () => {
    expect(mongoProfile('mongodb+srv://bot:pw@cluster0.example.mongodb.net/gacha', 'auto')).toBe('replica-set');
    expect(mongoProfile('mongodb://a:27017,b:27017/gacha?replicaSet=rs0', 'auto')).toBe('replica-set');
    expect(mongoProfile('mongodb://a:27017/?replicaSet=rs0', 'standalone')).toBe('standalone');
    expect(mongoProfile('mongodb://127.0.0.1:27017/', 'replica-set')).toBe('replica-set');
    expect(mongoClientOptions('replica-set')).toMatchObject({
      retryWrites: true,
      retryReads: true,
      writeConcern: { w: 'majority' },
    });
    const stale = staleReadDbOptions('replica-set').readPreference;
    expect(stale).toMatchObject({ mode: 'secondaryPreferred', maxStalenessSeconds: 90 });
  });

  it('is configured by MONGODB_PROFILE, auto by default', () => {
    expect(loadConfig(base).MONGODB_PROFILE).toBe('auto');
    expect(() => loadConfig({ ...base, MONGODB_PROFILE: 'sharded' })).toThrow(/MONGODB_PROFILE/);
  });
});

describe('fairness seed key', () => {
  it('is required, and must be 32 bytes in base64; the error never echoes the value', () => {
    const { GACHA_FAIRNESS_SEED_KEY: _key, ...without } = base;
    expect(() => loadConfig(without)).toThrow(/GACHA_FAIRNESS_SEED_KEY/);
    const short = Buffer.alloc(16, 1).toString('base64');
    let message = '';
    try {
      loadConfig({ ...base, GACHA_FAIRNESS_SEED_KEY: short });
    } catch (error) {
      message = error instanceof ConfigError ? error.message : '';
    }
    expect(message).toMatch(/32 bytes in base64/);
    expect(message).not.toContain(short);
    expect(loadConfig(base).GACHA_FAIRNESS_SEED_KEY).toBe(TEST_SEED_KEY);
  });
});
