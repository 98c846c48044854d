/**
 * The verifiable (HMAC-SHA-256) stream through the real engine passes the same kinds of fairness
 * tests as the secure RNG (test/domain/fairness.test.ts), at 100,000 pulls each so they run in
 * seconds:
 *  - no pity: chi-square against the base rates, p ≥ 0.001. Power at this size (noncentral
 *    chi-square, 4 degrees of freedom, λ = N·Σ δ²/p): 0.83 to detect UR 20 % low (λ = 24),
 *    0.98 for SSR 10 % low (λ = 36), 0.97 for SR 5 % low (λ = 34);
 *  - with pity: single-pull tier rates within 4 batch-mean standard errors of the exact
 *    consolidated rates (4 SE ≈ ±0.03 percentage points for UR's 1.6 %), hard pity never passed;
 *  - pulls to the top tier: chi-square against the published distribution, p ≥ 0.001.
 * Every pull draws from its own ledger sequence, as in the bot; the seeds are fixed, so the run is
 * reproducible. The stream runs on node:crypto's HMAC-SHA-256, as in the bot and the CLI; the
 * plain-TypeScript one (the browser page's) is checked byte for byte against it in sha256.test.ts.
 */
import type { Catalog } from '../../app/domain/catalog';
import { BannerOdds } from '../../app/domain/banner-odds';
import { defaultCatalog } from '../../app/domain/default-catalog';
import { discloseBanner } from '../../app/domain/disclosure';
import { pullsToTopDistribution } from '../../app/domain/fairness/audit';
import { VerifiableRng } from '../../app/domain/fairness/draw-stream';
import { chiSquare } from '../../app/domain/fairness/statistics';
import { initialPlayerState } from '../../app/domain/player-state';
import { performPull } from '../../app/domain/pull-engine';
import { nodeHmacSha256 } from '../../app/verifier/node-hmac';
import { GUILD_ID, USER_ID, fixedSeed } from './support/fairness-fixtures';

const PULLS = 100_000;
const BATCHES = 50;
const NOW = new Date('2026-11-28T12:00:00Z');

function simulate(catalog: Catalog, label: string) {
  const tierIds = [...catalog.tiers].sort((a, b) => b.rank - a.rank).map((t) => t.id);
  const index = new Map(tierIds.map((id, i) => [id, i]));
  const batches = Array.from({ length: BATCHES }, () => new Array<number>(tierIds.length).fill(0));
  const runLengths = new Map<number, number>();
  let maxPity = 0;
  let state = initialPlayerState(Number.MAX_SAFE_INTEGER);
  const serverSeedHex = fixedSeed(label);
  for (let seq = 0; seq < PULLS; seq++) {
    const rng = new VerifiableRng(
      { serverSeedHex, clientSeed: 'power', guildId: GUILD_ID, userId: USER_ID, seq },
      { hmac: nodeHmacSha256 },
    );
    const outcome = performPull(catalog, 'standard', 1, state, rng, NOW);
    state = { ...outcome.state, owned: {} };
    const item = outcome.items[0]!;
    const batch = batches[Math.floor((seq * BATCHES) / PULLS)]!;
    batch[index.get(item.tierId)!]! += 1;
    maxPity = Math.max(maxPity, item.pityCount);
    if (item.topTier) runLengths.set(item.pityCount, (runLengths.get(item.pityCount) ?? 0) + 1);
  }
  const totals = tierIds.map((_, i) => batches.reduce((s, b) => s + b[i]!, 0));
  return { tierIds, batches, totals, maxPity, runLengths };
}

describe('fairness of the verifiable stream over 100,000 pulls', () => {
  it('fits the base rates without pity (chi-square, p >= 0.001)', () => {
    const catalog = defaultCatalog();
    catalog.banners[0]!.pity = { hardPity: 0, softPityStart: 0, softPityStepPpm: 0 };
    const run = simulate(catalog, 'power: no pity');
    const expected = run.tierIds.map((id) => (catalog.tiers.find((t) => t.id === id)!.ratePpm / 1_000_000) * PULLS);
    const test = chiSquare(run.totals, expected)!;
    expect(test.degreesOfFreedom).toBe(4);
    expect(test.pValue).toBeGreaterThanOrEqual(0.001);
  });

  it('with pity, matches the consolidated rates and the published pulls-to-top distribution', () => {
    const catalog = defaultCatalog();
    const run = simulate(catalog, 'power: pity');
    expect(run.maxPity).toBeLessThanOrEqual(90);
    const disclosure = discloseBanner(catalog, 'standard');
    const perBatch = PULLS / BATCHES;
    run.tierIds.forEach((tierId, i) => {
      const rates = run.batches.map((b) => b[i]! / perBatch);
      const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
      const variance = rates.reduce((s, r) => s + (r - mean) ** 2, 0) / (rates.length - 1);
      const exact = disclosure.tiers.find((t) => t.tierId === tierId)!.consolidatedSingle;
      expect(Math.abs(mean - exact) / Math.sqrt(variance / rates.length)).toBeLessThan(4);
    });
    const distribution = pullsToTopDistribution(new BannerOdds(catalog, catalog.banners[0]!));
    const runs = [...run.runLengths.values()].reduce((a, b) => a + b, 0);
    expect(runs).toBeGreaterThan(1_000);
    const observed = distribution.map((_, k) => run.runLengths.get(k + 1) ?? 0);
    const test = chiSquare(
      observed,
      distribution.map((p) => p * runs),
    )!;
    expect(test.pValue).toBeGreaterThanOrEqual(0.001);
  });
});
