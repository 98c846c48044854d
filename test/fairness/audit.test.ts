/**
 * The audit's verdict: consistent on fair simulated histories, inconsistent on a history drawn
 * with every rare tier's rate 20 % lower than published, insufficient on a short one.
 */
import type { Catalog } from '../../app/domain/catalog';
import { defaultCatalog } from '../../app/domain/default-catalog';
import { BannerOdds } from '../../app/domain/banner-odds';
import { pullsToTopMoments } from '../../app/domain/disclosure';
import { type AuditCell, auditBanner, pullsToTopDistribution } from '../../app/domain/fairness/audit';
import { chiSquare, regularizedUpperGamma, wilsonInterval } from '../../app/domain/fairness/statistics';
import { initialPlayerState } from '../../app/domain/player-state';
import { performPull } from '../../app/domain/pull-engine';
import { SeededRng } from '../support/seeded-rng';

const NOW = new Date('2026-11-28T12:00:00Z');

/** Simulates `draws` items (mixing single pulls and 10-pulls) and groups them like the audit query. */
function simulateCells(catalog: Catalog, draws: number, seed = 19): AuditCell[] {
  // A seeded generator keeps the verdicts reproducible (a fair history fails a 0.001 test 1 time in 1,000).
  const rng = new SeededRng(seed);
  let state = initialPlayerState(Number.MAX_SAFE_INTEGER);
  const cells = new Map<string, AuditCell>();
  let made = 0;
  let n = 0;
  while (made < draws) {
    const count = n++ % 4 === 0 ? 10 : 1;
    const outcome = performPull(catalog, 'standard', count, state, rng, NOW);
    state = { ...outcome.state, owned: {} };
    for (const item of outcome.items) {
      const key = `${item.tierId}:${item.pityCount}:${item.guaranteeSlot}:${count === 10}`;
      const cell = cells.get(key);
      cells.set(key, {
        tierId: item.tierId,
        pityCount: item.pityCount,
        guaranteeSlot: item.guaranteeSlot,
        tenPull: count === 10,
        pulls: (cell?.pulls ?? 0) + 1,
      });
    }
    made += count;
  }
  return [...cells.values()];
}

/** The published catalog, but the engine draws every tier above N at 80 % of its published rate. */
function riggedCatalog(): Catalog {
  const catalog = defaultCatalog();
  let taken = 0;
  for (const tier of catalog.tiers) {
    if (tier.id === 'N') continue;
    const lowered = Math.round(tier.ratePpm * 0.8);
    taken += tier.ratePpm - lowered;
    tier.ratePpm = lowered;
  }
  catalog.tiers.find((t) => t.id === 'N')!.ratePpm += taken;
  return catalog;
}

describe('audit statistics', () => {
  it('p-values and intervals match known values', () => {
    // chi-square with 4 degrees of freedom: P(X > 18.467) = 0.001; with 1: P(X > 3.841) = 0.05.
    expect(regularizedUpperGamma(2, 18.4668 / 2)).toBeCloseTo(0.001, 5);
    expect(regularizedUpperGamma(0.5, 3.8415 / 2)).toBeCloseTo(0.05, 4);
    expect(chiSquare([50, 50], [50, 50])).toEqual({ statistic: 0, degreesOfFreedom: 1, pValue: 1 });
    // Small expected cells are pooled: 3 cells with expected 2 each become one.
    expect(chiSquare([100, 2, 2, 2], [100, 2, 2, 2])!.degreesOfFreedom).toBe(1);
    const [lo, hi] = wilsonInterval(50, 100);
    expect(lo).toBeCloseTo(0.4038, 3);
    expect(hi).toBeCloseTo(0.5962, 3);
  });

  it('the published pulls-to-top distribution sums to 1 and has the disclosed mean', () => {
    const catalog = defaultCatalog();
    const odds = new BannerOdds(catalog, catalog.banners[0]!);
    const distribution = pullsToTopDistribution(odds);
    expect(distribution).toHaveLength(90);
    expect(distribution.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const mean = distribution.reduce((s, p, k) => s + p * (k + 1), 0);
    expect(mean).toBeCloseTo(pullsToTopMoments(odds).mean, 9);
  });

  it.each([1, 3, 4])('finds a fair history of 100,000 draws consistent with the published rates (seed %i)', (seed) => {
    const catalog = defaultCatalog();
    const audit = auditBanner(catalog, 'standard', simulateCells(catalog, 100_000, seed));
    expect(audit.pulls).toBeGreaterThanOrEqual(100_000);
    expect(audit.freshTest!.pValue).toBeGreaterThan(0.001);
    expect(audit.consolidatedTest!.pValue).toBeGreaterThan(0.001);
    expect(audit.pullsToTop.test!.pValue).toBeGreaterThan(0.001);
    expect(audit.verdict).toBe('consistent');
    expect(audit.summary.en).toContain('consistent with the published rates');
    expect(audit.summary.ja).toContain('矛盾しません');
    for (const tier of audit.tiers) {
      expect(tier.interval[0]).toBeLessThanOrEqual(tier.interval[1]);
    }
  });

  it('flags a history drawn with the rare tiers 20 % below the published rates', () => {
    const audit = auditBanner(defaultCatalog(), 'standard', simulateCells(riggedCatalog(), 100_000));
    expect(audit.verdict).toBe('inconsistent');
    expect(audit.freshTest!.pValue).toBeLessThan(1e-6);
    expect(audit.summary.en).toContain('do NOT match');
    expect(audit.summary.ja).toContain('一致しません');
    const sr = audit.tiers.find((t) => t.tierId === 'SR')!;
    expect(sr.freshInterval[1]).toBeLessThan(sr.baseRate);
  });

  it('gives no verdict on a short history', () => {
    const catalog = defaultCatalog();
    const audit = auditBanner(catalog, 'standard', simulateCells(catalog, 200));
    expect(audit.verdict).toBe('insufficient-data');
    expect(audit.summary.en).toContain('too few to judge');
    expect(audit.summary.ja).toContain('データが足りません');
  });
});
