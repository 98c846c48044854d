import type { Catalog } from '../../app/domain/catalog';
import { defaultCatalog } from '../../app/domain/default-catalog';
import { claimDaily, dayKey } from '../../app/domain/daily';
import { GachaError } from '../../app/domain/errors';
import { initialPlayerState, type PlayerState } from '../../app/domain/player-state';
import { exchangeSpark, performPull } from '../../app/domain/pull-engine';
import { SeededRng } from '../support/seeded-rng';

const NOW = new Date('2026-11-28T12:00:00Z');

function catalogWithLimited(): Catalog {
  const catalog = defaultCatalog();
  catalog.banners.push({
    id: 'susanoo-festival',
    kind: 'limited',
    name: { ja: 'スサノオ祭', en: 'Susanoo Festival' },
    startsAt: new Date('2026-11-01T00:00:00Z'),
    endsAt: new Date('2026-12-01T00:00:00Z'),
    featuredItemIds: ['susanoo'],
    rateUpSharePpm: 500_000,
    pity: { hardPity: 90, softPityStart: 74, softPityStepPpm: 60_000 },
    sparkThreshold: 300,
  });
  return catalog;
}

function rich(currency = 1_000_000): PlayerState {
  return initialPlayerState(currency);
}

describe('performPull', () => {
  it('charges the cost, records 10 items and keeps the SR-or-better guarantee', () => {
    const catalog = defaultCatalog();
    const rng = new SeededRng(1);
    for (let i = 0; i < 2_000; i++) {
      const outcome = performPull(catalog, 'standard', 10, rich(), rng, NOW);
      expect(outcome.items).toHaveLength(10);
      expect(outcome.state.currency).toBe(1_000_000 - catalog.tenPullCost);
      expect(outcome.items.some((it) => ['SR', 'SSR', 'UR'].includes(it.tierId))).toBe(true);
    }
  });

  it('refuses a pull the balance does not cover, with a typed error', () => {
    const catalog = defaultCatalog();
    expect(() => performPull(catalog, 'standard', 1, initialPlayerState(99), new SeededRng(1), NOW)).toThrow(
      expect.objectContaining({ code: 'insufficient-currency' }) as GachaError,
    );
    expect(() => performPull(catalog, 'nope', 1, rich(), new SeededRng(1), NOW)).toThrow(
      expect.objectContaining({ code: 'unknown-banner' }) as GachaError,
    );
    expect(() => performPull(catalog, 'standard', 3, rich(), new SeededRng(1), NOW)).toThrow(
      expect.objectContaining({ code: 'invalid-pull-count' }) as GachaError,
    );
  });

  it('never lets the pity counter pass the hard pity', () => {
    const catalog = defaultCatalog();
    const rng = new SeededRng(7);
    let state = rich(10_000_000);
    let sinceTop = 0;
    let tops = 0;
    // Collected and asserted once: 40,000 expect() calls cost more than the 20,000 pulls.
    const problems: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const outcome = performPull(catalog, 'standard', 1, state, rng, NOW);
      const item = outcome.items[0]!;
      sinceTop++;
      if (item.pityCount !== sinceTop || item.pityCount > 90) {
        problems.push(`pull ${i}: pity count ${item.pityCount}, ${sinceTop} since the last top-tier item`);
      }
      if (item.tierId === 'UR') {
        sinceTop = 0;
        tops++;
      }
      // The collection does not change the odds; dropping it keeps each copy of the state small.
      state = { ...outcome.state, owned: {} };
    }
    expect(problems).toEqual([]);
    expect(tops).toBeGreaterThan(200);
  });

  it('carries a lost 50/50 to the next top-tier item', () => {
    const catalog = catalogWithLimited();
    const rng = new SeededRng(3);
    let state = rich(100_000_000);
    let lostBefore = false;
    let checked = 0;
    for (let i = 0; i < 30_000; i++) {
      const outcome = performPull(catalog, 'susanoo-festival', 1, state, rng, NOW);
      const item = outcome.items[0]!;
      if (item.tierId === 'UR') {
        if (lostBefore) {
          expect(item.itemId).toBe('susanoo');
          checked++;
        }
        lostBefore = item.itemId !== 'susanoo';
        expect(outcome.state.pity.limited.featuredGuaranteed).toBe(lostBefore);
      }
      state = outcome.state;
    }
    expect(checked).toBeGreaterThan(50);
    expect(state.pity.standard.sinceTop).toBe(0);
  });

  it('converts duplicates to shards', () => {
    const catalog = defaultCatalog();
    let state = rich();
    const rng = new SeededRng(11);
    for (let i = 0; i < 50; i++) state = performPull(catalog, 'standard', 10, state, rng, NOW).state;
    const copies = Object.values(state.owned).reduce((a, b) => a + b, 0);
    expect(copies).toBe(500);
    expect(state.shards).toBeGreaterThan(0);
  });

  it('earns spark points per limited banner and exchanges them for a featured item', () => {
    const catalog = catalogWithLimited();
    let state = rich(100_000_000);
    const rng = new SeededRng(5);
    for (let i = 0; i < 30; i++) state = performPull(catalog, 'susanoo-festival', 10, state, rng, NOW).state;
    expect(state.spark).toEqual({ bannerId: 'susanoo-festival', points: 300 });
    const before = state.owned.susanoo ?? 0;
    const spark = exchangeSpark(catalog, 'susanoo-festival', 'susanoo', state, NOW);
    expect(spark.state.spark.points).toBe(0);
    expect(spark.state.owned.susanoo).toBe(before + 1);
    expect(() => exchangeSpark(catalog, 'susanoo-festival', 'susanoo', spark.state, NOW)).toThrow(/needs 300 points/);
    expect(() => exchangeSpark(catalog, 'susanoo-festival', 'amaterasu', state, NOW)).toThrow(/not a featured item/);
    // Standard pulls earn no spark points for the limited banner.
    const afterStandard = performPull(catalog, 'standard', 10, spark.state, rng, NOW).state;
    expect(afterStandard.spark.points).toBe(0);
  });

  it('refuses a limited banner outside its window', () => {
    const catalog = catalogWithLimited();
    expect(() =>
      performPull(catalog, 'susanoo-festival', 1, rich(), new SeededRng(1), new Date('2026-12-01T00:00:00Z')),
    ).toThrow(expect.objectContaining({ code: 'banner-not-active' }) as GachaError);
  });
});

describe('claimDaily', () => {
  const rules = { amount: 300, streakBonus: 50, streakCap: 6, timezone: 'Asia/Tokyo' };

  it('pays once per Tokyo day and grows the streak on consecutive days', () => {
    let state = initialPlayerState(0);
    const first = claimDaily(rules, state, new Date('2026-11-27T15:30:00Z')); // 00:30 on the 28th in Tokyo
    expect(first.day).toBe('2026-11-28');
    expect(first.amount).toBe(300);
    state = first.state;
    expect(() => claimDaily(rules, state, new Date('2026-11-28T14:59:59Z'))).toThrow(
      expect.objectContaining({ code: 'daily-already-claimed' }) as GachaError,
    );
    const second = claimDaily(rules, state, new Date('2026-11-28T15:00:00Z'));
    expect(second.streak).toBe(2);
    expect(second.amount).toBe(350);
    const gap = claimDaily(rules, second.state, new Date('2026-12-01T03:00:00Z'));
    expect(gap.streak).toBe(1);
    expect(gap.state.currency).toBe(300 + 350 + 300);
  });

  it('caps the streak bonus', () => {
    let state = initialPlayerState(0);
    let amount = 0;
    for (let d = 0; d < 12; d++) {
      const outcome = claimDaily(rules, state, new Date(Date.UTC(2026, 0, 1 + d, 3)));
      amount = outcome.amount;
      state = outcome.state;
    }
    expect(state.daily.streak).toBe(12);
    expect(amount).toBe(300 + 6 * 50);
    expect(dayKey(new Date('2026-01-01T00:00:00Z'), 'UTC')).toBe('2026-01-01');
  });
});
