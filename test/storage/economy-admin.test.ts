/**
 * The economy settings and the reversal of a gift or trade, through the services on the real test
 * server: each economy change is one settings revision naming who and what; bad input changes
 * nothing; a reversal is audited once and never moves twice.
 */
import { planEconomyEdit, type EconomyInput } from '../../app/domain/economy-edit';
import { EMPTY_OFFER, type Counterparty } from '../../app/domain/moves';
import { collections } from '../../app/storage/collections';
import { auditLedger } from '../../app/storage/ledger-audit';
import type { TestDatabase } from '../support/test-database';
import { openStore, snowflake, stack, type TestStack } from './store-fixture';

let database: TestDatabase;
beforeAll(async () => {
  database = await openStore();
});
afterAll(async () => {
  await database.close();
});

const none: EconomyInput = { tier: null, price: null, wishlistLimit: null, trading: null };
const member = (userId: string): Counterparty => ({ userId, isBot: false, isMember: true });

async function revisions(guildId: string) {
  return collections(database.db).settings.find({ guildId }).sort({ revision: 1 }).toArray();
}

async function economyEdit(svc: TestStack, guildId: string, actorId: string, input: EconomyInput) {
  const { settings } = await svc.gacha.settingsFor(guildId);
  const edit = planEconomyEdit(settings, input);
  if (edit.kind === 'refused') return edit.reason;
  await svc.admin.changeSettings(guildId, actorId, edit.action, edit.change);
  return 'changed';
}

describe('/gacha-admin economy through the services', () => {
  it('records each change (price, default price, wishlist limit, trading) as a revision with who and what', async () => {
    const svc = stack(database.db);
    const guildId = snowflake();
    const admin = snowflake();
    expect(await economyEdit(svc, guildId, admin, { ...none, tier: 'SR', price: 40 })).toBe('changed');
    expect(await economyEdit(svc, guildId, admin, { ...none, wishlistLimit: 3 })).toBe('changed');
    expect(await economyEdit(svc, guildId, admin, { ...none, trading: false })).toBe('changed');
    expect(await economyEdit(svc, guildId, admin, { ...none, tier: 'SR' })).toBe('changed');
    const docs = await revisions(guildId);
    expect(docs.map((d) => d.action)).toEqual([
      'economy: exchange-price SR 40',
      'economy: wishlist-limit 3',
      'economy: trading off',
      'economy: exchange-price SR default',
    ]);
    expect(docs.every((d) => d.actorId === admin)).toBe(true);
    expect(docs[0]?.settings.economy?.exchangePrices).toEqual({ SR: 40 });
    expect(docs[3]?.settings.economy).toEqual({ tradingEnabled: false, wishlistLimit: 3, exchangePrices: {} });

    // The rules take effect: the wishlist stops at 3, gifts and trades are refused.
    const { settings } = await svc.gacha.settingsFor(guildId);
    const p = { guildId, userId: snowflake() };
    for (const item of settings.catalog.items.slice(0, 3)) await svc.social.addWish(p, item.id);
    const fourth = settings.catalog.items[3];
    if (!fourth) throw new Error('catalog too small');
    expect(await svc.social.addWish(p, fourth.id)).toMatchObject({ outcome: 'full', limit: 3 });
    await svc.gacha.grant(p, 'fund', 100, 'test', null);
    await expect(
      svc.trades.proposeGift({ ...p, interactionId: snowflake() }, member(snowflake()), {
        ...EMPTY_OFFER,
        currency: 1,
      }),
    ).rejects.toMatchObject({ code: 'trading-disabled' });
  });

  it('bad input changes nothing and says why', async () => {
    const svc = stack(database.db);
    const guildId = snowflake();
    const admin = snowflake();
    expect(await economyEdit(svc, guildId, admin, { ...none, price: 10 })).toBe('price-needs-tier');
    expect(await economyEdit(svc, guildId, admin, none)).toBe('nothing');
    expect(await economyEdit(svc, guildId, admin, { ...none, tier: 'NOPE', price: 10 })).toBe('unknown-tier');
    // Out of bounds (Discord's option bounds are not trusted): the revision does not parse.
    await expect(economyEdit(svc, guildId, admin, { ...none, wishlistLimit: 26 })).rejects.toMatchObject({
      code: 'invalid-config',
    });
    await expect(economyEdit(svc, guildId, admin, { ...none, tier: 'SR', price: 0 })).rejects.toMatchObject({
      code: 'invalid-config',
    });
    expect(await revisions(guildId)).toEqual([]);
  });
});

describe('the admin reversal of a gift or trade', () => {
  async function settledCounteredTrade(svc: TestStack) {
    const guildId = snowflake();
    const a = { guildId, userId: snowflake() };
    const b = { guildId, userId: snowflake() };
    await svc.gacha.grant(a, 'fund-a', 1_000, 'test', null);
    await svc.gacha.pull({ ...a, interactionId: snowflake() }, { count: 10 });
    const itemId = Object.keys((await svc.gacha.profile(a)).state.owned)[0] ?? '';
    const proposed = await svc.trades.proposeTrade(
      { ...a, interactionId: snowflake() },
      member(b.userId),
      { ...EMPTY_OFFER, items: { [itemId]: 1 } },
      EMPTY_OFFER,
    );
    const countered = await svc.trades.counter({ ...b, interactionId: snowflake() }, proposed.move._id, {
      ...EMPTY_OFFER,
      currency: 60,
    });
    await svc.trades.accept(guildId, countered.move._id, a.userId);
    await svc.trades.accept(guildId, countered.move._id, b.userId);
    return { guildId, a, b, itemId, proposed, countered };
  }

  it('undoes a settled (countered) trade once, audited once; a second reverse moves nothing', async () => {
    const svc = stack(database.db);
    const { guildId, a, b, itemId, countered } = await settledCounteredTrade(svc);
    const aBefore = (await svc.gacha.profile(a)).state;
    const admin = snowflake();
    const [first, second] = await Promise.all([
      svc.trades.reverse(guildId, countered.move._id, admin),
      svc.trades.reverse(guildId, countered.move._id, admin),
    ]);
    expect([first.state, second.state]).toEqual(['settled', 'settled']);
    const third = await svc.trades.reverse(guildId, countered.move._id, snowflake());
    expect(third.state).toBe('settled');
    const aAfter = (await svc.gacha.profile(a)).state;
    expect(aAfter.currency).toBe(aBefore.currency - 60);
    expect(aAfter.owned[itemId]).toBe((aBefore.owned[itemId] ?? 0) + 1);
    expect((await svc.gacha.profile(b)).state.owned[itemId]).toBeUndefined();
    const audit = await collections(database.db).audit.find({ guildId, action: 'reverse-move' }).toArray();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: admin, target: countered.move._id, details: { outcome: 'settle' } });
    expect(await collections(database.db).ledger.countDocuments({ guildId, kind: 'reversal-in' })).toBe(2);
    expect((await auditLedger(database.db, guildId, { inFlightGraceMs: 0 })).problems).toEqual([]);
  });

  it('refuses a pending or superseded move, a reversal, and an unknown id; nothing moves', async () => {
    const svc = stack(database.db);
    const { guildId, a, b, proposed, countered } = await settledCounteredTrade(svc);
    const pending = await svc.trades.proposeTrade(
      { ...a, interactionId: snowflake() },
      member(b.userId),
      { ...EMPTY_OFFER, currency: 1 },
      EMPTY_OFFER,
    );
    const admin = snowflake();
    await expect(svc.trades.reverse(guildId, pending.move._id, admin)).rejects.toMatchObject({ code: 'move-closed' });
    await expect(svc.trades.reverse(guildId, proposed.move._id, admin)).rejects.toMatchObject({
      code: 'move-closed',
    });
    await expect(svc.trades.reverse(guildId, 'trade:999', admin)).rejects.toMatchObject({ code: 'invalid-move' });
    await svc.trades.reverse(guildId, countered.move._id, admin);
    await expect(svc.trades.reverse(guildId, `reversal:${countered.move._id}`, admin)).rejects.toMatchObject({
      code: 'invalid-config',
    });
    expect(await collections(database.db).ledger.countDocuments({ guildId, kind: 'reversal-in' })).toBe(2);
  });

  it('when a receiver spent what they received the reversal is refused, nothing moves, and the attempt is audited once', async () => {
    const svc = stack(database.db);
    const { guildId, a, countered } = await settledCounteredTrade(svc);
    // a received 60 and spends all but 10 (an admin grant below zero is refused, so one to 10).
    const aState = (await svc.gacha.profile(a)).state;
    await svc.gacha.grant(a, 'spend', 10 - aState.currency, 'test', null);
    const before = await svc.gacha.profile(a);
    expect(before.state.currency).toBe(10);
    const admin = snowflake();
    await expect(svc.trades.reverse(guildId, countered.move._id, admin)).rejects.toMatchObject({
      code: 'insufficient-currency',
    });
    await expect(svc.trades.reverse(guildId, countered.move._id, admin)).resolves.toMatchObject({ state: 'aborted' });
    expect((await svc.gacha.profile(a)).state.currency).toBe(before.state.currency);
    expect(await collections(database.db).audit.countDocuments({ guildId, action: 'reverse-move' })).toBe(1);
    expect((await auditLedger(database.db, guildId, { inFlightGraceMs: 0 })).problems).toEqual([]);
  });
});
