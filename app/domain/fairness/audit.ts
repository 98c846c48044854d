/**
 * The public audit of a banner's real results (docs/fairness.md, "Audit"). Input: the server's
 * history grouped into cells of (tier, pity count, guarantee slot, part of a 10-pull) with a pull
 * count each — what one index-backed $group returns. Output: observed vs published rates per tier
 * with 95 % intervals, two chi-square tests that account for pity, the pulls-to-top distribution
 * against the published one, and a plain-language verdict in Japanese and English.
 *
 * Pity makes successive pulls dependent, so the tests are built on pulls whose odds are known:
 *  - fresh-pity pulls (pity count below soft pity, not a guarantee slot) are drawn from exactly the
 *    published base table, independently of the past: a multinomial sample of the base rates;
 *  - the whole history against the exact consolidated rates (Markov-chain long-run shares, single
 *    pulls and 10-pulls weighted by their share of the history). Pity makes the top tier's count
 *    less variable than a binomial one, so this test errs towards "consistent";
 *  - every top-tier item's pity count is one complete run of pulls to the top tier; runs are
 *    independent with the published distribution P(T = k) = r_k · Π_{j<k} (1 − r_j).
 */
import { BannerOdds } from '../banner-odds';
import { type Catalog, findBanner } from '../catalog';
import { discloseBanner } from '../disclosure';
import { PPM } from '../rates';
import { type ChiSquareResult, chiSquare, wilsonInterval } from './statistics';

export interface AuditCell {
  readonly tierId: string;
  /** Pulls since the last top-tier item, this one included (1-based). */
  readonly pityCount: number;
  readonly guaranteeSlot: boolean;
  readonly tenPull: boolean;
  readonly pulls: number;
}

export interface TierAudit {
  readonly tierId: string;
  readonly observed: number;
  readonly observedRate: number;
  /** 95 % Wilson interval of the observed rate over the whole history. */
  readonly interval: readonly [number, number];
  /** Long-run rate with pity for this history's mix of single pulls and 10-pulls. */
  readonly consolidatedRate: number;
  readonly freshObserved: number;
  readonly freshRate: number;
  readonly freshInterval: readonly [number, number];
  readonly baseRate: number;
}

export type AuditVerdict = 'consistent' | 'inconsistent' | 'insufficient-data';

export interface BannerAudit {
  readonly bannerId: string;
  readonly pulls: number;
  readonly freshPulls: number;
  readonly tiers: readonly TierAudit[];
  /** Fresh-pity pulls against the base rates. */
  readonly freshTest: ChiSquareResult | null;
  /** Whole history against the consolidated rates. */
  readonly consolidatedTest: ChiSquareResult | null;
  readonly pullsToTop: {
    readonly runs: number;
    readonly observedMean: number | null;
    readonly publishedMean: number;
    readonly test: ChiSquareResult | null;
  };
  /** Significance level of each test; the verdict is inconsistent when any p-value is below it. */
  readonly alpha: number;
  readonly verdict: AuditVerdict;
  readonly summary: { readonly ja: string; readonly en: string };
}

/** Per-test significance level: 0.001 each, so a fair server is flagged about 1 time in 330. */
export const AUDIT_ALPHA = 0.001;
/** Below this many pulls the audit gives no verdict. */
export const AUDIT_MIN_PULLS = 1_000;

/** Published distribution of pulls to the top tier from a fresh counter: P(T = k), k = 1 … cap (or until ~1e-12). */
export function pullsToTopDistribution(odds: BannerOdds): number[] {
  const out: number[] = [];
  let survival = 1;
  const limit = odds.pityCap > 0 ? odds.pityCap : 100_000;
  for (let k = 1; k <= limit && survival > 1e-12; k++) {
    const rate = odds.topRatePpm(k) / PPM;
    out.push(survival * rate);
    survival *= 1 - rate;
  }
  return out;
}

function percent(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

export function auditBanner(catalog: Catalog, bannerId: string, cells: readonly AuditCell[]): BannerAudit {
  const banner = findBanner(catalog, bannerId);
  const odds = new BannerOdds(catalog, banner);
  const disclosure = discloseBanner(catalog, bannerId);
  const tierIndex = new Map(odds.tiers.map((t, i) => [t.id, i]));
  const freshLimit = banner.pity.softPityStart > 0 ? banner.pity.softPityStart : odds.pityCap;
  const isFresh = (cell: AuditCell) => !cell.guaranteeSlot && (freshLimit === 0 || cell.pityCount < freshLimit);

  const n = odds.tiers.length;
  const observed = new Array<number>(n).fill(0);
  const fresh = new Array<number>(n).fill(0);
  let singlePulls = 0;
  let tenPullDraws = 0;
  const topLengths = new Map<number, number>();
  for (const cell of cells) {
    const i = tierIndex.get(cell.tierId);
    if (i === undefined || cell.pulls <= 0) continue;
    observed[i] = (observed[i] ?? 0) + cell.pulls;
    if (isFresh(cell)) fresh[i] = (fresh[i] ?? 0) + cell.pulls;
    if (cell.tenPull) tenPullDraws += cell.pulls;
    else singlePulls += cell.pulls;
    if (i === 0) topLengths.set(cell.pityCount, (topLengths.get(cell.pityCount) ?? 0) + cell.pulls);
  }
  const pulls = singlePulls + tenPullDraws;
  const freshPulls = fresh.reduce((a, b) => a + b, 0);

  const tiers: TierAudit[] = odds.tiers.map((tier, i) => {
    const disclosed = disclosure.tiers.find((t) => t.tierId === tier.id);
    const consolidatedRate =
      pulls === 0
        ? (disclosed?.consolidatedSingle ?? 0)
        : ((disclosed?.consolidatedSingle ?? 0) * singlePulls + (disclosed?.consolidatedTenPull ?? 0) * tenPullDraws) /
          pulls;
    const o = observed[i] ?? 0;
    const f = fresh[i] ?? 0;
    return {
      tierId: tier.id,
      observed: o,
      observedRate: pulls > 0 ? o / pulls : 0,
      interval: wilsonInterval(o, pulls),
      consolidatedRate,
      freshObserved: f,
      freshRate: freshPulls > 0 ? f / freshPulls : 0,
      freshInterval: wilsonInterval(f, freshPulls),
      baseRate: tier.ratePpm / PPM,
    };
  });

  // Rarest tier last when pooling small cells: pool from the common end towards the rare one.
  const reversed = <T>(xs: readonly T[]) => [...xs].reverse();
  const freshTest = chiSquare(reversed(fresh), reversed(tiers.map((t) => t.baseRate * freshPulls)));
  const consolidatedTest = chiSquare(reversed(observed), reversed(tiers.map((t) => t.consolidatedRate * pulls)));

  const distribution = pullsToTopDistribution(odds);
  const runs = [...topLengths.values()].reduce((a, b) => a + b, 0);
  const observedRuns = distribution.map((_, k) => topLengths.get(k + 1) ?? 0);
  const beyond = [...topLengths.entries()].filter(([k]) => k > distribution.length).reduce((s, [, c]) => s + c, 0);
  observedRuns.push(beyond);
  const expectedRuns = [
    ...distribution.map((p) => p * runs),
    runs * Math.max(0, 1 - distribution.reduce((a, b) => a + b, 0)),
  ];
  const pullsToTopTest = runs > 0 ? chiSquare(observedRuns, expectedRuns) : null;
  const observedMean = runs > 0 ? [...topLengths.entries()].reduce((s, [k, c]) => s + k * c, 0) / runs : null;

  const tests = [freshTest, consolidatedTest, pullsToTopTest].filter((t): t is ChiSquareResult => t !== null);
  let verdict: AuditVerdict;
  if (pulls < AUDIT_MIN_PULLS || freshTest === null || consolidatedTest === null) verdict = 'insufficient-data';
  else verdict = tests.some((t) => t.pValue < AUDIT_ALPHA) ? 'inconsistent' : 'consistent';

  const top = tiers[0];
  const summary = summarize(verdict, pulls, top, disclosure.expectedPullsToTop, observedMean);
  return {
    bannerId,
    pulls,
    freshPulls,
    tiers,
    freshTest,
    consolidatedTest,
    pullsToTop: { runs, observedMean, publishedMean: disclosure.expectedPullsToTop, test: pullsToTopTest },
    alpha: AUDIT_ALPHA,
    verdict,
    summary,
  };
}

function summarize(
  verdict: AuditVerdict,
  pulls: number,
  top: TierAudit | undefined,
  publishedMean: number,
  observedMean: number | null,
): { ja: string; en: string } {
  const topLine = top
    ? {
        en: `Top tier ${top.tierId}: ${percent(top.observedRate)} observed (95% range ${percent(top.interval[0])}–${percent(top.interval[1])}), ${percent(top.consolidatedRate)} expected with pity.`,
        ja: `最高レア ${top.tierId}: 実績 ${percent(top.observedRate)}（95%区間 ${percent(top.interval[0])}〜${percent(top.interval[1])}）、天井込みの期待値 ${percent(top.consolidatedRate)}。`,
      }
    : { en: '', ja: '' };
  const meanLine =
    observedMean === null
      ? { en: '', ja: '' }
      : {
          en: ` Pulls to the top tier: ${observedMean.toFixed(1)} on average, ${publishedMean.toFixed(1)} published.`,
          ja: ` 最高レアまでの回数: 平均 ${observedMean.toFixed(1)} 回（公表値 ${publishedMean.toFixed(1)} 回）。`,
        };
  const count = pulls.toLocaleString('en-US');
  switch (verdict) {
    case 'insufficient-data':
      return {
        en: `Only ${count} pulls: too few to judge (at least ${AUDIT_MIN_PULLS.toLocaleString('en-US')} needed). ${topLine.en}`,
        ja: `抽選 ${count} 回: 判定にはデータが足りません（${AUDIT_MIN_PULLS.toLocaleString('en-US')} 回以上が必要）。${topLine.ja}`,
      };
    case 'consistent':
      return {
        en: `${count} pulls are consistent with the published rates: no test found a difference larger than chance explains. ${topLine.en}${meanLine.en}`,
        ja: `抽選 ${count} 回の結果は公表された排出率と矛盾しません。偶然で説明できない差は見つかりませんでした。${topLine.ja}${meanLine.ja}`,
      };
    case 'inconsistent':
      return {
        en: `${count} pulls do NOT match the published rates: a difference this large happens by chance less than 1 time in 1,000. ${topLine.en}${meanLine.en}`,
        ja: `抽選 ${count} 回の結果は公表された排出率と一致しません。偶然でこれほどの差が出る確率は 1/1000 未満です。${topLine.ja}${meanLine.ja}`,
      };
  }
}
