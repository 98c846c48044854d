/**
 * The counter side of a trade, on the real test server: the other member changes their side (or
 * either party changes theirs), which makes a new version of the offer; every confirmation binds to
 * one version, and at most one version of a trade is ever carried out.
 *
 * @long-running about a minute (50-way confirmation races)
 */
import type { GachaError } from '../../app/domain/errors';
import { EMPTY_OFFER } from '../../app/domain/moves';
import { collections } from '../../app/storage/collections';
import { snowflake, stack } from './store-fixture';
import { coins, items, member, state, tradeFixture } from './trade-fixture';

const { database, twoPullingPlayers, expectClean } = tradeFixture();

async function ledgerMoveEvents(guildId: string): Promise<number> {
  return collections(database.db).ledger.countDocuments({ guildId, move: { $exists: true } });
}

describe('countering a trade', () => {
  it('the other member counters with an item and currency; both confirm the new version; the swap applies once', async () => {
    const { svc, guildId, a, b, aItem, bItem } = await twoPullingPlayers();
    const [aBefore, bBefore] = [await state(svc, a), await state(svc, b)];
    const proposed = await svc.trades.proposeTrade(
      { ...a, interactionId: snowflake() },
      member(b.userId),
      items({ [aItem]: 1 }),
      EMPTY_OFFER,
    );
    await svc.trades.accept(guildId, proposed.move._id, a.userId);
    const countered = await svc.trades.counter({ ...b, interactionId: snowflake() }, proposed.move._id, {
      ...EMPTY_OFFER,
      currency: 30,
      items: { [bItem]: 1 },
    });
    expect(countered.state).toBe('pending');
    expect(countered.move._id).not.toBe(proposed.move._id);
    expect(countered.move.version).toBe(2);
    // The new version starts with no confirmation: a's confirmation was for the old terms.
    expect(countered.acceptedBy).toEqual([]);
    expect(countered.move.sides[0]?.gives).toEqual(items({ [aItem]: 1 }));
    expect(countered.move.sides[1]?.gives).toEqual({ ...EMPTY_OFFER, currency: 30, items: { [bItem]: 1 } });
    expect((await svc.trades.get(guildId, proposed.move._id)).state).toBe('aborted');

    expect((await svc.trades.accept(guildId, countered.move._id, b.userId)).state).toBe('pending');
    expect((await svc.trades.accept(guildId, countered.move._id, a.userId)).state).toBe('settled');
    expect((await svc.trades.accept(guildId, countered.move._id, b.userId)).state).toBe('settled');

    const [aAfter, bAfter] = [await state(svc, a), await state(svc, b)];
    expect(aAfter.currency).toBe(aBefore.currency + 30);
    expect(bAfter.currency).toBe(bBefore.currency - 30);
    expect(aAfter.owned[bItem] ?? 0).toBe((aBefore.owned[bItem] ?? 0) + (aItem === bItem ? 0 : 1));
    expect(bAfter.owned[aItem] ?? 0).toBe((bBefore.owned[aItem] ?? 0) + (aItem === bItem ? 0 : 1));
    // Escrow and receipt on each side, of the final version only.
    expect(await ledgerMoveEvents(guildId)).toBe(4);
    await expectClean(guildId);
  });

  it('a confirmation of a stale version is refused and moves nothing; so is a counter of one', async () => {
    const { svc, guildId, a, b, aItem } = await twoPullingPlayers();
    const proposed = await svc.trades.proposeTrade(
      { ...a, interactionId: snowflake() },
      member(b.userId),
      items({ [aItem]: 1 }),
      coins(10),
    );
    const countered = await svc.trades.counter({ ...b, interactionId: snowflake() }, proposed.move._id, coins(40));
    for (const userId of [a.userId, b.userId]) {
      await expect(svc.trades.accept(guildId, proposed.move._id, userId)).rejects.toMatchObject({
        code: 'invalid-move',
        details: { reason: 'stale' },
      });
    }
    await expect(
      svc.trades.counter({ ...a, interactionId: snowflake() }, proposed.move._id, coins(1)),
    ).rejects.toMatchObject({ details: { reason: 'stale' } });
    expect(await ledgerMoveEvents(guildId)).toBe(0);
    // The proposer may change their own side in turn: version 3, again with no confirmation.
    const third = await svc.trades.counter(
      { ...a, interactionId: snowflake() },
      countered.move._id,
      items({ [aItem]: 1 }),
    );
    expect(third.move.version).toBe(3);
    expect(third.move.sides[0]?.gives).toEqual(items({ [aItem]: 1 }));
    expect(third.move.sides[1]?.gives).toEqual(coins(40));
    await expect(svc.trades.accept(guildId, countered.move._id, a.userId)).rejects.toMatchObject({
      details: { reason: 'stale' },
    });
    await expectClean(guildId);
  });

  it('only the two parties can counter; a counter must be one the member can pay', async () => {
    const { svc, a, b, aItem } = await twoPullingPlayers();
    const proposed = await svc.trades.proposeTrade(
      { ...a, interactionId: snowflake() },
      member(b.userId),
      items({ [aItem]: 1 }),
      coins(10),
    );
    const outsider = { guildId: a.guildId, userId: snowflake() };
    await expect(
      svc.trades.counter({ ...outsider, interactionId: snowflake() }, proposed.move._id, coins(1)),
    ).rejects.toMatchObject({ details: { reason: 'not-party' } });
    const bState = await state(svc, b);
    await expect(
      svc.trades.counter({ ...b, interactionId: snowflake() }, proposed.move._id, coins(bState.currency + 1)),
    ).rejects.toMatchObject({ code: 'insufficient-currency' });
    // A refused counter leaves the offer as it was.
    expect((await svc.trades.get(a.guildId, proposed.move._id)).state).toBe('pending');
  });

  it('the same counter delivered twice makes one version', async () => {
    const { svc, a, b, aItem } = await twoPullingPlayers();
    const proposed = await svc.trades.proposeTrade(
      { ...a, interactionId: snowflake() },
      member(b.userId),
      items({ [aItem]: 1 }),
      EMPTY_OFFER,
    );
    const ref = { ...b, interactionId: snowflake() };
    const [one, two] = await Promise.all([
      svc.trades.counter(ref, proposed.move._id, coins(5)),
      svc.trades.counter(ref, proposed.move._id, coins(5)),
    ]);
    expect(one.move._id).toBe(two.move._id);
    expect(await collections(database.db).moves.countDocuments({ guildId: a.guildId })).toBe(2);
  });

  it('two counters racing on one version: one wins, the other is refused as stale', async () => {
    const { svc, a, b, aItem } = await twoPullingPlayers();
    const proposed = await svc.trades.proposeTrade(
      { ...a, interactionId: snowflake() },
      member(b.userId),
      items({ [aItem]: 1 }),
      EMPTY_OFFER,
    );
    const results = await Promise.allSettled([
      svc.trades.counter({ ...b, interactionId: snowflake() }, proposed.move._id, coins(5)),
      svc.trades.counter({ ...a, interactionId: snowflake() }, proposed.move._id, coins(7)),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect((refused?.reason as GachaError).details).toMatchObject({ reason: 'stale' });
  });

  it('50 concurrent confirmations of the countered version apply it exactly once', async () => {
    const { svc, guildId, a, b, aItem } = await twoPullingPlayers();
    const [aBefore, bBefore] = [await state(svc, a), await state(svc, b)];
    const proposed = await svc.trades.proposeTrade(
      { ...a, interactionId: snowflake() },
      member(b.userId),
      items({ [aItem]: 1 }),
      coins(10),
    );
    const countered = await svc.trades.counter({ ...b, interactionId: snowflake() }, proposed.move._id, coins(250));
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        svc.trades.accept(guildId, countered.move._id, i % 2 === 0 ? a.userId : b.userId),
      ),
    );
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect((await svc.trades.get(guildId, countered.move._id)).state).toBe('settled');
    const [aAfter, bAfter] = [await state(svc, a), await state(svc, b)];
    expect(aAfter.currency).toBe(aBefore.currency + 250);
    expect(bAfter.currency).toBe(bBefore.currency - 250);
    expect(aAfter.owned[aItem] ?? 0).toBe((aBefore.owned[aItem] ?? 0) - 1);
    expect(await collections(database.db).ledger.countDocuments({ guildId, 'move.id': countered.move._id })).toBe(4);
    expect(await ledgerMoveEvents(guildId)).toBe(4);
    await expectClean(guildId);
  });

  it('confirmations racing a counter: at most one version is carried out, nothing duplicated', async () => {
    for (let round = 0; round < 5; round++) {
      const { svc, guildId, a, b, aItem } = await twoPullingPlayers();
      const [aBefore, bBefore] = [await state(svc, a), await state(svc, b)];
      const proposed = await svc.trades.proposeTrade(
        { ...a, interactionId: snowflake() },
        member(b.userId),
        items({ [aItem]: 1 }),
        coins(10),
      );
      await svc.trades.accept(guildId, proposed.move._id, a.userId);
      const counterRef = { ...b, interactionId: snowflake() };
      const results = await Promise.allSettled([
        svc.trades.accept(guildId, proposed.move._id, b.userId),
        svc.trades.counter(counterRef, proposed.move._id, coins(20)),
      ]);
      const countered = results[1].status === 'fulfilled' ? results[1].value : null;
      if (countered) {
        // Whatever happened to version 1, the new version can only be carried out if version 1 was not.
        await Promise.allSettled([
          svc.trades.accept(guildId, countered.move._id, a.userId),
          svc.trades.accept(guildId, countered.move._id, b.userId),
        ]);
      }
      const moves = await collections(database.db).moves.find({ guildId }).toArray();
      const settled = await collections(database.db).moveMarks.countDocuments({
        guildId,
        mark: 'outcome',
        outcome: 'settle',
      });
      expect(settled).toBeLessThanOrEqual(1);
      const [aAfter, bAfter] = [await state(svc, a), await state(svc, b)];
      expect(aAfter.currency + bAfter.currency).toBe(aBefore.currency + bBefore.currency);
      expect((aAfter.owned[aItem] ?? 0) + (bAfter.owned[aItem] ?? 0)).toBe(
        (aBefore.owned[aItem] ?? 0) + (bBefore.owned[aItem] ?? 0),
      );
      expect(moves.length).toBeLessThanOrEqual(2);
      await expectClean(guildId);
    }
  });

  it('a countered trade and a gift of the same item racing: at most one succeeds', async () => {
    const { svc, guildId, a, b, aItem } = await twoPullingPlayers();
    const c = { guildId, userId: snowflake() };
    const count = (await state(svc, a)).owned[aItem] ?? 0;
    const bHad = (await state(svc, b)).owned[aItem] ?? 0;
    const trade = await svc.trades.proposeTrade(
      { ...a, interactionId: snowflake() },
      member(b.userId),
      items({ [aItem]: count }),
      EMPTY_OFFER,
    );
    const countered = await svc.trades.counter({ ...b, interactionId: snowflake() }, trade.move._id, coins(15));
    const gift = await svc.trades.proposeGift(
      { ...a, interactionId: snowflake() },
      member(c.userId),
      items({ [aItem]: count }),
    );
    await svc.trades.accept(guildId, countered.move._id, b.userId);
    const [t, g] = await Promise.allSettled([
      svc.trades.accept(guildId, countered.move._id, a.userId),
      svc.trades.accept(guildId, gift.move._id, a.userId),
    ]);
    const outcomes = [t, g].map((r) => (r.status === 'fulfilled' ? r.value.state : (r.reason as GachaError).code));
    expect(outcomes.filter((o) => o === 'settled')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'item-not-owned')).toHaveLength(1);
    const holders = [await state(svc, a), await state(svc, b), await state(svc, c)].map((s) => s.owned[aItem] ?? 0);
    expect(holders.reduce((x, y) => x + y, 0)).toBe(count + bHad);
    expect(holders[0]).toBe(0);
    await expectClean(guildId);
  });

  it('either side can cancel a countered trade (even from the old message) until both confirmed', async () => {
    const { svc, guildId, a, b, aItem } = await twoPullingPlayers();
    const aBefore = await state(svc, a);
    const proposed = await svc.trades.proposeTrade(
      { ...a, interactionId: snowflake() },
      member(b.userId),
      items({ [aItem]: 1 }),
      EMPTY_OFFER,
    );
    const countered = await svc.trades.counter({ ...b, interactionId: snowflake() }, proposed.move._id, coins(3));
    await svc.trades.accept(guildId, countered.move._id, b.userId);
    const cancelled = await svc.trades.cancel(guildId, proposed.move._id, a.userId);
    expect(cancelled.state).toBe('aborted');
    expect(cancelled.move._id).toBe(countered.move._id);
    await expect(svc.trades.accept(guildId, countered.move._id, a.userId)).resolves.toMatchObject({
      state: 'aborted',
    });
    expect(await state(svc, a)).toEqual(aBefore);
    expect(await ledgerMoveEvents(guildId)).toBe(0);
    await expectClean(guildId);
  });

  it('a countered offer expires like any offer', async () => {
    let clock = Date.now();
    const svc = stack(database.db, { now: () => new Date(clock) });
    const { guildId, a, b, aItem } = await twoPullingPlayers(svc);
    const proposed = await svc.trades.proposeTrade(
      { ...a, interactionId: snowflake() },
      member(b.userId),
      items({ [aItem]: 1 }),
      EMPTY_OFFER,
    );
    const countered = await svc.trades.counter({ ...b, interactionId: snowflake() }, proposed.move._id, coins(3));
    clock += 60 * 60_000;
    await expect(svc.trades.accept(guildId, countered.move._id, a.userId)).rejects.toMatchObject({
      details: { reason: 'expired' },
    });
    await expect(
      svc.trades.counter({ ...a, interactionId: snowflake() }, countered.move._id, coins(1)),
    ).rejects.toMatchObject({ details: { reason: 'expired' } });
    expect(await ledgerMoveEvents(guildId)).toBe(0);
    await expectClean(guildId);
  });
});
