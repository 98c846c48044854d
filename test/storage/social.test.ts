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

describe('wishlists and favourites on the real test server', () => {
  it('adds once, stops at the server limit, removes, and names only wishers who keep pings on', async () => {
    const svc = stack(database.db);
    const guildId = snowflake();
    const [puller, alice, bob, carol] = [snowflake(), snowflake(), snowflake(), snowflake()];
    const { settings, revision } = await svc.gacha.settingsFor(guildId);
    const under = {
      revision,
      settings: { ...settings, economy: { tradingEnabled: true, wishlistLimit: 2, exchangePrices: {} } },
    };
    const [i1, i2, i3] = settings.catalog.items;
    if (!i1 || !i2 || !i3) throw new Error('catalog too small');
    const a = { guildId, userId: alice };
    expect(await svc.social.addWish(a, i1.id, under)).toMatchObject({ outcome: 'added', count: 1, limit: 2 });
    expect(await svc.social.addWish(a, i1.id, under)).toMatchObject({ outcome: 'already', count: 1 });
    expect(await svc.social.addWish(a, i2.id, under)).toMatchObject({ outcome: 'added', count: 2 });
    expect(await svc.social.addWish(a, i3.id, under)).toMatchObject({ outcome: 'full', count: 2, limit: 2 });
    await expect(svc.social.addWish(a, 'no-such-item', under)).rejects.toMatchObject({ code: 'unknown-item' });
    expect((await svc.social.wishlist(a, under)).itemIds).toEqual([i1.id, i2.id]);
    expect(await svc.social.removeWish(a, i2.id)).toBe(true);
    expect(await svc.social.removeWish(a, i2.id)).toBe(false);

    await svc.social.addWish({ guildId, userId: bob }, i1.id, under);
    await svc.social.addWish({ guildId, userId: carol }, i1.id, under);
    await svc.social.addWish({ guildId, userId: puller }, i1.id, under);
    await svc.social.setWishPings({ guildId, userId: carol }, false);
    // Another server's wish for the same item is not named.
    await svc.social.addWish({ guildId: snowflake(), userId: snowflake() }, i1.id, under);
    const wishers = await svc.social.wishersOfDrop(guildId, puller, [i1.id, i1.id, i3.id]);
    expect([...wishers.keys()]).toEqual([i1.id]);
    expect([...(wishers.get(i1.id) ?? [])].sort()).toEqual([alice, bob].sort());
    expect((await svc.social.wishlist({ guildId, userId: carol }, under)).pings).toBe(false);
  });

  it('a favourite must be an owned item', async () => {
    const svc = stack(database.db);
    const guildId = snowflake();
    const p = { guildId, userId: snowflake() };
    await svc.gacha.grant(p, 'fund', 1_000, 'test', null);
    await svc.gacha.pull({ ...p, interactionId: snowflake() }, { count: 10 });
    const owned = Object.keys((await svc.gacha.profile(p)).state.owned);
    const { settings } = await svc.gacha.settingsFor(guildId);
    const unowned = settings.catalog.items.find((i) => !owned.includes(i.id));
    if (!owned[0] || !unowned) throw new Error('unexpected pull');
    await expect(svc.social.setFavourite(p, unowned.id)).rejects.toMatchObject({ code: 'item-not-owned' });
    expect((await svc.social.prefs(p)).favouriteItemId).toBeNull();
    await svc.social.setFavourite(p, owned[0]);
    expect((await svc.social.prefs(p)).favouriteItemId).toBe(owned[0]);
    await svc.social.setFavourite(p, null);
    expect((await svc.social.prefs(p)).favouriteItemId).toBeNull();
    expect((await auditLedger(database.db, guildId)).problems).toEqual([]);
  });
});
