/**
 * Gifts and trades on the test server: exactly once under races, recovery after a crash at each step.
 *
 * @long-running about a minute (a crash at each of ten steps, each recovered)
 */
import { GachaError } from '../../app/domain/errors';
import { EMPTY_OFFER, type Counterparty, type Offer, giveOffer } from '../../app/domain/moves';
import { opKeyOf } from '../../app/services/trade-service';
import { collections } from '../../app/storage/collections';
import { auditLedger } from '../../app/storage/ledger-audit';
import { snowflake, stack } from './store-fixture';
import { coins, items, member, state, tradeFixture } from './trade-fixture';

const { database, twoPlayers, expectClean } = tradeFixture();

describe('gifts and trades on the real test server', () => {
  it('a confirmed gift moves the item once; a second confirmation changes nothing', async () => {
    const { svc, guildId, a, b, itemId } = await twoPlayers();
    const before = (await state(svc, a)).owned[itemId] ?? 0;
    const proposed = await svc.trades.proposeGift(
      { ...a, interactionId: snowflake() },
      member(b.userId),
      items({ [itemId]: 1 }),
    );
    expect(proposed.state).toBe('pending');
    expect((await state(svc, b)).owned[itemId]).toBeUndefined();
    const done = await svc.trades.accept(guildId, proposed.move._id, a.userId);
    expect(done.state).toBe('settled');
    expect((await svc.trades.accept(guildId, proposed.move._id, a.userId)).state).toBe('settled');
    expect((await state(svc, a)).owned[itemId] ?? 0).toBe(before - 1);
    expect((await state(svc, b)).owned[itemId]).toBe(1);
    await expectClean(guildId);
  });

  it('only the giver can confirm a gift', async () => {
    const { svc, guildId, a, b, itemId } = await twoPlayers();
    const proposed = await svc.trades.proposeGift(
      { ...a, interactionId: snowflake() },
      member(b.userId),
      items({ [itemId]: 1 }),
    );
    await expect(svc.trades.accept(guildId, proposed.move._id, b.userId)).rejects.toMatchObject({
      code: 'invalid-move',
      details: { reason: 'not-giver' },
    });
    await expect(svc.trades.accept(guildId, proposed.move._id, snowflake())).rejects.toMatchObject({
      details: { reason: 'not-party' },
    });
    expect((await svc.trades.get(guildId, proposed.move._id)).state).toBe('pending');
  });

  it('refuses gifts to yourself, a bot, a non-member, of an unowned item or of more currency than owned — nothing changes', async () => {
    const { svc, guildId, a, b, itemId } = await twoPlayers();
    const before = await state(svc, a);
    const unowned = (await svc.gacha.settingsFor(guildId)).settings.catalog.items.find((i) => !before.owned[i.id]);
    if (!unowned) throw new Error('owns every item');
    const attempts: [Counterparty, Offer, object][] = [
      [member(a.userId), items({ [itemId]: 1 }), { code: 'invalid-move', details: { reason: 'self' } }],
      [{ userId: b.userId, isBot: true, isMember: true }, items({ [itemId]: 1 }), { details: { reason: 'bot' } }],
      [
        { userId: b.userId, isBot: false, isMember: false },
        items({ [itemId]: 1 }),
        { details: { reason: 'not-member' } },
      ],
      [member(b.userId), items({ [unowned.id]: 1 }), { code: 'item-not-owned' }],
      [member(b.userId), coins(before.currency + 1), { code: 'insufficient-currency' }],
      [member(b.userId), EMPTY_OFFER, { details: { reason: 'empty' } }],
    ];
    for (const [to, offer, error] of attempts) {
      await expect(svc.trades.proposeGift({ ...a, interactionId: snowflake() }, to, offer)).rejects.toMatchObject(
        error,
      );
    }
    expect(await collections(database.db).moves.countDocuments({ guildId })).toBe(0);
    expect(await state(svc, a)).toEqual(before);
    await expectClean(guildId);
  });

  it('a gift of an item given away meanwhile is refused at confirmation and nothing moves', async () => {
    const { svc, guildId, a, b, itemId } = await twoPlayers();
    const count = (await state(svc, a)).owned[itemId] ?? 0;
    const first = await svc.trades.proposeGift(
      { ...a, interactionId: snowflake() },
      member(b.userId),
      items({ [itemId]: count }),
    );
    const second = await svc.trades.proposeGift(
      { ...a, interactionId: snowflake() },
      member(b.userId),
      items({ [itemId]: count }),
    );
    await svc.trades.accept(guildId, first.move._id, a.userId);
    await expect(svc.trades.accept(guildId, second.move._id, a.userId)).rejects.toMatchObject({
      code: 'item-not-owned',
    });
    expect((await svc.trades.get(guildId, second.move._id)).state).toBe('aborted');
    expect((await state(svc, b)).owned[itemId]).toBe(count);
    await expectClean(guildId);
  });

  it('50 concurrent confirmations of one trade apply it exactly once', async () => {
    const { svc, guildId, a, b, itemId } = await twoPlayers();
    const aBefore = await state(svc, a);
    const bBefore = await state(svc, b);
    const proposed = await svc.trades.proposeTrade(
      { ...a, interactionId: snowflake() },
      member(b.userId),
      items({ [itemId]: 1 }),
      coins(250),
    );
    expect((await svc.trades.accept(guildId, proposed.move._id, a.userId)).state).toBe('pending');
    const results = await Promise.all(
      Array.from({ length: 50 }, () => svc.trades.accept(guildId, proposed.move._id, b.userId)),
    );
    expect(results.every((r) => r.state === 'settled')).toBe(true);
    const aAfter = await state(svc, a);
    const bAfter = await state(svc, b);
    expect(aAfter.currency).toBe(aBefore.currency + 250);
    expect(bAfter.currency).toBe(bBefore.currency - 250);
    expect(aAfter.owned[itemId] ?? 0).toBe((aBefore.owned[itemId] ?? 0) - 1);
    expect(bAfter.owned[itemId]).toBe(1);
    const moveEvents = await collections(database.db).ledger.countDocuments({ guildId, 'move.id': proposed.move._id });
    expect(moveEvents).toBe(4);
    await expectClean(guildId);
  });

  it('a trade and a gift racing for the only copy: one succeeds, the other is refused, nothing duplicated or lost', async () => {
    const { svc, guildId, a, b, itemId } = await twoPlayers();
    const c = { guildId, userId: snowflake() };
    const count = (await state(svc, a)).owned[itemId] ?? 0;
    const trade = await svc.trades.proposeTrade(
      { ...a, interactionId: snowflake() },
      member(b.userId),
      items({ [itemId]: count }),
      coins(10),
    );
    const gift = await svc.trades.proposeGift(
      { ...a, interactionId: snowflake() },
      member(c.userId),
      items({ [itemId]: count }),
    );
    await svc.trades.accept(guildId, trade.move._id, b.userId);
    const [t, g] = await Promise.allSettled([
      svc.trades.accept(guildId, trade.move._id, a.userId),
      svc.trades.accept(guildId, gift.move._id, a.userId),
    ]);
    const outcomes = [t, g].map((r) => (r.status === 'fulfilled' ? r.value.state : (r.reason as GachaError).code));
    expect(outcomes.filter((o) => o === 'settled')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'item-not-owned')).toHaveLength(1);
    const holders = [await state(svc, a), await state(svc, b), await state(svc, c)].map((s) => s.owned[itemId] ?? 0);
    expect(holders.reduce((x, y) => x + y, 0)).toBe(count);
    expect(holders[0]).toBe(0);
    await expectClean(guildId);
  });

  it('two trades racing for the same item: at most one succeeds', async () => {
    const { svc, guildId, a, b, itemId } = await twoPlayers();
    const c = { guildId, userId: snowflake() };
    const count = (await state(svc, a)).owned[itemId] ?? 0;
    const one = await svc.trades.proposeTrade(
      { ...a, interactionId: snowflake() },
      member(b.userId),
      items({ [itemId]: count }),
      coins(1),
    );
    const two = await svc.trades.proposeTrade(
      { ...a, interactionId: snowflake() },
      member(c.userId),
      items({ [itemId]: count }),
      coins(1),
    );
    await svc.trades.accept(guildId, one.move._id, a.userId);
    await svc.trades.accept(guildId, two.move._id, a.userId);
    const results = await Promise.allSettled([
      svc.trades.accept(guildId, one.move._id, b.userId),
      svc.trades.accept(guildId, two.move._id, c.userId),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const aState = await state(svc, a);
    expect(aState.owned[itemId] ?? 0).toBe(0);
    expect(aState.currency).toBe((await svc.gacha.settingsFor(guildId)).settings.startingCurrency + 1);
    await expectClean(guildId);
  });

  it('either side can cancel before both confirmed; afterwards nothing moves', async () => {
    const { svc, guildId, a, b, itemId } = await twoPlayers();
    const aBefore = await state(svc, a);
    const trade = await svc.trades.proposeTrade(
      { ...a, interactionId: snowflake() },
      member(b.userId),
      items({ [itemId]: 1 }),
      coins(5),
    );
    await svc.trades.accept(guildId, trade.move._id, a.userId);
    expect((await svc.trades.cancel(guildId, trade.move._id, b.userId)).state).toBe('aborted');
    await expect(svc.trades.accept(guildId, trade.move._id, b.userId)).resolves.toMatchObject({ state: 'aborted' });
    expect(await state(svc, a)).toEqual(aBefore);
    await expectClean(guildId);
  });

  it('an expired offer cannot be accepted and moves nothing', async () => {
    let clock = Date.now();
    const svc = stack(database.db, { now: () => new Date(clock) });
    const { guildId, a, b, itemId } = await twoPlayers(svc);
    const gift = await svc.trades.proposeGift(
      { ...a, interactionId: snowflake() },
      member(b.userId),
      items({ [itemId]: 1 }),
    );
    clock += 60 * 60_000;
    await expect(svc.trades.accept(guildId, gift.move._id, a.userId)).rejects.toMatchObject({
      details: { reason: 'expired' },
    });
    expect((await state(svc, b)).owned[itemId]).toBeUndefined();
    await expectClean(guildId);
  });

  it('an admin reversal undoes a settled gift once, with an audit entry', async () => {
    const { svc, guildId, a, b, itemId } = await twoPlayers();
    const aBefore = await state(svc, a);
    const gift = await svc.trades.proposeGift(
      { ...a, interactionId: snowflake() },
      member(b.userId),
      items({ [itemId]: 1 }),
    );
    await svc.trades.accept(guildId, gift.move._id, a.userId);
    const admin = snowflake();
    const reversals = await Promise.all([1, 2, 3].map(() => svc.trades.reverse(guildId, gift.move._id, admin)));
    expect(reversals.every((r) => r.state === 'settled')).toBe(true);
    expect((await state(svc, a)).owned).toEqual(aBefore.owned);
    expect((await state(svc, b)).owned[itemId]).toBeUndefined();
    expect(await collections(database.db).audit.countDocuments({ guildId, action: 'reverse-move' })).toBe(1);
    await expectClean(guildId);
  });
});

it('an escrow that lands after another caller aborted is found and given back by recovery', async () => {
  const { svc, guildId, a, b, itemId } = await twoPlayers();
  const aBefore = await state(svc, a);
  const trade = await svc.trades.proposeTrade(
    { ...a, interactionId: snowflake() },
    member(b.userId),
    items({ [itemId]: 1 }),
    coins(5),
  );
  await svc.trades.accept(guildId, trade.move._id, a.userId);
  await svc.trades.cancel(guildId, trade.move._id, b.userId);
  // A confirmation that read "undecided" before the cancel, then escrowed and crashed.
  const { settings } = await svc.gacha.settingsFor(guildId);
  await svc.stores.ledger.commit(a, opKeyOf(trade.move, 'out'), null, settings.startingCurrency, (s) => ({
    kind: 'trade-out',
    state: giveOffer(s, items({ [itemId]: 1 })),
    move: { id: trade.move._id, kind: 'trade', step: 'out', counterpartId: b.userId, offer: items({ [itemId]: 1 }) },
  }));
  expect((await auditLedger(database.db, guildId, { inFlightGraceMs: 0 })).problems).toEqual([
    `move ${trade.move._id}: aborted but ${a.userId}'s escrow was not given back`,
  ]);
  await svc.trades.recover();
  expect((await state(svc, a)).owned).toEqual(aBefore.owned);
  await expectClean(guildId);
});

describe('a crash at every internal step of a trade, then recovery', () => {
  /**
   * The internal steps, counted as one sequence: before and after each of the four ledger events
   * (two escrows, two receipts) and before and after the outcome insert — ten crash points.
   */
  it.each(Array.from({ length: 10 }, (_, i) => i + 1))(
    'crash at step %i: recovery completes or fully undoes the trade, invariants hold',
    async (crashAt) => {
      const base = await twoPlayers();
      const { guildId, a, b, itemId } = base;
      const trade = await base.svc.trades.proposeTrade(
        { ...a, interactionId: snowflake() },
        member(b.userId),
        items({ [itemId]: 1 }),
        coins(100),
      );
      const total = async () => {
        const [x, y] = [await state(base.svc, a), await state(base.svc, b)];
        return { currency: x.currency + y.currency, item: (x.owned[itemId] ?? 0) + (y.owned[itemId] ?? 0) };
      };
      const before = await total();
      let step = 0;
      const crash = () => {
        step++;
        if (step === crashAt) throw new Error(`simulated crash at step ${crashAt}`);
      };
      const crashing = stack(database.db, {
        projectionDelayMs: 0,
        faults: {
          at: (at) => {
            if (at === 'before-commit' || at === 'after-commit') crash();
          },
        },
        moveFaults: { at: crash },
      });
      await crashing.trades.accept(guildId, trade.move._id, a.userId).catch(() => undefined);
      await expect(crashing.trades.accept(guildId, trade.move._id, b.userId)).rejects.toThrow(
        `simulated crash at step ${crashAt}`,
      );
      const fresh = stack(database.db);
      await fresh.trades.recover();
      await fresh.upkeep.flush();
      const result = await fresh.trades.get(guildId, trade.move._id);
      expect(['settled', 'aborted']).toContain(result.state);
      expect(await total()).toEqual(before);
      const bItem = (await state(fresh, b)).owned[itemId] ?? 0;
      expect(bItem).toBe(result.state === 'settled' ? 1 : 0);
      await expectClean(guildId);
    },
  );
});
