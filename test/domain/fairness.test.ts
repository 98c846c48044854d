/**
 * Statistical proof of fairness with the production RNG (node:crypto). Thresholds: chi-square
 * p >= 0.001 against published rates without pity; with pity, empirical rates within 4 standard
 * errors of the exact consolidated rates. Standard errors come from batch means (100 batches),
 * which stay valid although pity makes successive pulls dependent.
 */
import type { Catalog } from '../../app/domain/catalog';
import { defaultCatalog } from '../../app/domain/default-catalog';
import { discloseBanner } from '../../app/domain/disclosure';
import { initialPlayerState } from '../../app/domain/player-state';
import { performPull } from '../../app/domain/pull-engine';
import { SecureRng } from '../../app/domain/rng';
import { chiSquareTest } from '../support/statistics';

const NOW = new Date('2026-11-28T12:00:00Z');
const PULLS = 1_000_000;
const BATCHES = 100;

function withoutPity(): Catalog {
  const catalog = defaultCatalog();
  catalog.banners[0]!.pity = { hardPity: 0, softPityStart: 0, softPityStepPpm: 0 };
  return catalog;
}

/** Pulls `draws` items in pulls of `size`, returning per-batch tier counts and the largest pity count seen. */
function simulate(catalog: Catalog, size: 1 | 10, draws: number) {
  const tierIds = [...catalog.tiers].sort((a, b) => b.rank - a.rank).map((t) => t.id);
  const index = new Map(tierIds.map((id, i) => [id, i]));
  const rng = new SecureRng();
  let state = initialPlayerState(Number.MAX_SAFE_INTEGER);
  const batches: number[][] = Array.from({ length: BATCHES }, () => new Array<number>(tierIds.length).fill(0));
  let maxPity = 0;
  let guaranteeMisses = 0;
  const pullsPerBatch = draws / size / BATCHES;
  for (let b = 0; b < BATCHES; b++) {
    const counts = batches[b]!;
    for (let p = 0; p < pullsPerBatch; p++) {
      const outcome = performPull(catalog, 'standard', size, state, rng, NOW);
      state = { ...outcome.state, owned: {} };
      let guaranteed = false;
      for (const item of outcome.items) {
        const i = index.get(item.tierId)!;
        counts[i] = counts[i]! + 1;
        if (item.pityCount > maxPity) maxPity = item.pityCount;
        if (['SR', 'SSR', 'UR'].includes(item.tierId)) guaranteed = true;
      }
      if (size === 10 && !guaranteed) guaranteeMisses++;
    }
  }
  const totals = tierIds.map((_, i) => batches.reduce((s, c) => s + c[i]!, 0));
  return { tierIds, batches, totals, maxPity, guaranteeMisses, perBatch: draws / BATCHES };
}

function expectWithinFourStandardErrors(run: ReturnType<typeof simulate>, expected: ReadonlyMap<string, number>): void {
  run.tierIds.forEach((tierId, i) => {
    const rates = run.batches.map((c) => c[i]! / run.perBatch);
    const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
    const variance = rates.reduce((s, r) => s + (r - mean) ** 2, 0) / (rates.length - 1);
    const standardError = Math.sqrt(variance / rates.length);
    const exact = expected.get(tierId)!;
    const z = Math.abs(mean - exact) / standardError;
    if (z > 4) throw new Error(`${tierId}: empirical ${mean} vs exact ${exact}, ${z.toFixed(2)} standard errors`);
  });
}

describe('fairness over 1,000,000 pulls with the secure RNG', () => {
  it('tier frequencies fit the published rates without pity (chi-square, p >= 0.001)', () => {
    const catalog = withoutPity();
    const run = simulate(catalog, 1, PULLS);
    const probabilities = run.tierIds.map((id) => catalog.tiers.find((t) => t.id === id)!.ratePpm / 1_000_000);
    const test = chiSquareTest(run.totals, probabilities);
    expect(test.degreesOfFreedom).toBe(4);
    expect(test.pValue).toBeGreaterThanOrEqual(0.001);
  });

  it('with pity, single pulls match the exact consolidated rates and never pass hard pity', () => {
    const catalog = defaultCatalog();
    const disclosure = discloseBanner(catalog, 'standard');
    const run = simulate(catalog, 1, PULLS);
    expect(run.maxPity).toBeLessThanOrEqual(90);
    expect(run.maxPity).toBeGreaterThanOrEqual(74);
    expectWithinFourStandardErrors(run, new Map(disclosure.tiers.map((t) => [t.tierId, t.consolidatedSingle])));
  });

  it('with pity, 10-pulls match the exact consolidated rates and every one holds its guarantee', () => {
    const catalog = defaultCatalog();
    const disclosure = discloseBanner(catalog, 'standard');
    const run = simulate(catalog, 10, PULLS);
    expect(run.guaranteeMisses).toBe(0);
    expect(run.maxPity).toBeLessThanOrEqual(90);
    expectWithinFourStandardErrors(run, new Map(disclosure.tiers.map((t) => [t.tierId, t.consolidatedTenPull])));
  });
});
