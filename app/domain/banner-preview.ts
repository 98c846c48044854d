/**
 * What an admin needs to see about a banner before publishing it: the disclosure (published and
 * long-run odds), the price of a pull, expected pulls and cost to the top tier (and to a featured
 * top-tier item), and the distribution of pulls needed — all from the same ppm tables the pull
 * engine draws from.
 */
import { BannerOdds } from './banner-odds';
import { type Catalog, findBanner } from './catalog';
import { type BannerDisclosure, discloseBanner } from './disclosure';
import { PPM } from './rates';

/** Distribution of the number of pulls to an event: pmf[n - 1] = P(N = n), truncated where noted. */
export interface PullDistribution {
  readonly pmf: readonly number[];
  readonly cdf: readonly number[];
  readonly median: number;
  readonly p90: number;
  readonly p99: number;
  /** True when the tail beyond `pmf.length` (probability < 1e-6, or a very long support) was cut. */
  readonly truncated: boolean;
}

export interface BannerPreview {
  readonly bannerId: string;
  readonly disclosure: BannerDisclosure;
  /** Cheapest currency per pull (a 10-pull may be cheaper than ten singles). */
  readonly pricePerPull: number;
  readonly expectedPullsToTop: number;
  readonly expectedCostToTop: number;
  readonly expectedPullsToFeaturedTop: number | null;
  readonly expectedCostToFeaturedTop: number | null;
  readonly pullsToTop: PullDistribution;
  readonly pullsToFeaturedTop: PullDistribution | null;
}

const MAX_SUPPORT = 20_000;
/** Support of the featured distribution (a convolution: quadratic in its length). */
const MAX_FEATURED_SUPPORT = 6_000;
const TAIL = 1e-6;

function quantile(cdf: readonly number[], q: number): number {
  const index = cdf.findIndex((c) => c >= q - 1e-12);
  return index < 0 ? cdf.length : index + 1;
}

function distribution(pmf: number[], truncated: boolean): PullDistribution {
  const cdf: number[] = [];
  let acc = 0;
  for (const p of pmf) {
    acc += p;
    cdf.push(Math.min(acc, 1));
  }
  return {
    pmf,
    cdf,
    median: quantile(cdf, 0.5),
    p90: quantile(cdf, 0.9),
    p99: quantile(cdf, 0.99),
    truncated,
  };
}

/** P(first top-tier item on pull n) from a fresh pity counter, exactly from the banner's pity rules. */
export function pullsToTopPmf(odds: BannerOdds): { pmf: number[]; truncated: boolean } {
  const pmf: number[] = [];
  let survival = 1;
  for (let n = 1; n <= MAX_SUPPORT; n++) {
    const hit = odds.topRatePpm(n) / PPM;
    pmf.push(survival * hit);
    survival *= 1 - hit;
    if (survival <= 0) return { pmf, truncated: false };
    if (survival < TAIL && odds.pityCap === 0) return { pmf, truncated: true };
  }
  return { pmf, truncated: survival > 0 };
}

/** Pulls to a featured top-tier item: the first top-tier item is featured with probability s, else the next one is. */
function featuredPmf(top: readonly number[], share: number): number[] {
  if (share >= 1) return [...top];
  const length = Math.min(top.length * 2, MAX_FEATURED_SUPPORT);
  const out = new Array<number>(length).fill(0);
  top.forEach((p, i) => {
    out[i] = (out[i] ?? 0) + share * p;
  });
  for (let i = 0; i < top.length; i++) {
    const a = top[i] ?? 0;
    if (a === 0) continue;
    for (let j = 0; j < top.length && i + j + 1 < length; j++) {
      out[i + j + 1] = (out[i + j + 1] ?? 0) + (1 - share) * a * (top[j] ?? 0);
    }
  }
  return out;
}

export function previewBanner(catalog: Catalog, bannerId: string): BannerPreview {
  const banner = findBanner(catalog, bannerId);
  const odds = new BannerOdds(catalog, banner);
  const disclosure = discloseBanner(catalog, bannerId);
  const pricePerPull = Math.min(catalog.pullCost, catalog.tenPullCost / 10);
  const top = pullsToTopPmf(odds);
  const share = odds.featuredSharePpm(odds.top.id) / PPM;
  const featuredSupport = share >= 1 ? top.pmf.length : Math.min(top.pmf.length * 2, MAX_FEATURED_SUPPORT);
  const featured =
    share > 0 ? distribution(featuredPmf(top.pmf, share), top.truncated || featuredSupport < top.pmf.length * 2) : null;
  const featuredPulls = disclosure.expectedPullsToFeaturedTop;
  return {
    bannerId,
    disclosure,
    pricePerPull,
    expectedPullsToTop: disclosure.expectedPullsToTop,
    expectedCostToTop: disclosure.expectedPullsToTop * pricePerPull,
    expectedPullsToFeaturedTop: featuredPulls,
    expectedCostToFeaturedTop: featuredPulls === null ? null : featuredPulls * pricePerPull,
    pullsToTop: distribution(top.pmf, top.truncated),
    pullsToFeaturedTop: featured,
  };
}
