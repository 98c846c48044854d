import { collections } from '../../app/storage/collections';
import { auditLedger } from '../../app/storage/ledger-audit';
import type { TestDatabase } from '../support/test-database';
import { openStore, snowflake, stack } from './store-fixture';

let database: TestDatabase;
beforeAll(async () => {
  database = await openStore();
});
afterAll(async () => {
  await database.close();
});

describe('the shard shop on the real test server', () => {
  it('buys once per interaction under concurrent duplicate deliveries, refuses short balances, audit clean', async () => {
    const svc = stack(database.db);
    const guildId = snowflake();
    const player = { guildId, userId: snowflake() };
    await svc.gacha.grant(player, 'fund', 20_000, 'test', null);
    for (let i = 0; i < 20; i++) await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    const { settings } = await svc.gacha.settingsFor(guildId);
    const cheapest = settings.catalog.items.find((i) => i.tierId === 'N');
    if (!cheapest) throw new Error('no N item');
    const before = (await svc.gacha.profile(player)).state;
    const interactionId = snowflake();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => svc.exchange.exchange({ ...player, interactionId }, cheapest.id)),
    );
    const after = (await svc.gacha.profile(player)).state;
    // 200 pulls always yield far more than 10 shards of duplicates (the default N price).
    expect(before.shards).toBeGreaterThanOrEqual(10);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(after.shards).toBe(before.shards - 10);
    expect(after.owned[cheapest.id]).toBe((before.owned[cheapest.id] ?? 0) + 1);
    expect(await collections(database.db).ledger.countDocuments({ guildId, kind: 'exchange' })).toBe(1);
    await expect(
      svc.exchange.exchange({ ...player, interactionId: snowflake() }, cheapest.id, {
        revision: 0,
        settings: {
          ...settings,
          economy: { tradingEnabled: true, wishlistLimit: 10, exchangePrices: { N: 1_000_000 } },
        },
      }),
    ).rejects.toMatchObject({ code: 'insufficient-shards' });
    await expect(
      svc.exchange.exchange({ ...player, interactionId: snowflake() }, 'no-such-item'),
    ).rejects.toMatchObject({
      code: 'unknown-item',
    });
    expect((await auditLedger(database.db, guildId)).problems).toEqual([]);
  });
});
