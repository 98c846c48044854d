/**
 * Pull simulation for the fairness tests: draws items from a banner for one simulated player with
 * unlimited currency and counts tiers per batch (consecutive draws), so that standard errors can
 * be taken from batch means although pity makes successive pulls dependent. Pure apart from the
 * RNG; `fairness-workers.ts` runs it on several threads.
 */
import type { Catalog } from '../../app/domain/catalog';
import { initialPlayerState } from '../../app/domain/player-state';
import { type PullCount, performPull } from '../../app/domain/pull-engine';
import { type Rng, SecureRng } from '../../app/domain/rng';

export interface SimulationPlan {
  readonly catalog: Catalog;
  readonly bannerId: string;
  /** Pulls of 1 or of 10 items. */
  readonly size: PullCount;
  /** Items drawn in all (a multiple of size × batches). */
  readonly draws: number;
  readonly batches: number;
  /** ISO time of the pulls (banner schedules). */
  readonly at: string;
}

export interface SimulationRun {
  /** Tier ids, highest rank first; the columns of `batches` and `totals`. */
  readonly tierIds: readonly string[];
  /** Tier counts per batch. */
  readonly batches: readonly (readonly number[])[];
  readonly totals: readonly number[];
  readonly drawsPerBatch: number;
  /** The largest pity count of any item drawn. */
  readonly maxPity: number;
  /** 10-pulls without an item of SR or above. */
  readonly guaranteeMisses: number;
}

const GUARANTEED_TIERS = new Set(['SR', 'SSR', 'UR']);

export function tierOrder(catalog: Catalog): string[] {
  return [...catalog.tiers].sort((a, b) => b.rank - a.rank).map((t) => t.id);
}

export function simulatePulls(plan: SimulationPlan, rng: Rng = new SecureRng()): SimulationRun {
  const { catalog, size, draws, batches: batchCount } = plan;
  const tierIds = tierOrder(catalog);
  const column = new Map(tierIds.map((id, i) => [id, i]));
  const pullsPerBatch = draws / size / batchCount;
  if (!Number.isInteger(pullsPerBatch) || pullsPerBatch < 1) {
    throw new Error(`${draws} draws do not split into ${batchCount} batches of whole ${size}-pulls`);
  }
  const at = new Date(plan.at);
  let state = initialPlayerState(Number.MAX_SAFE_INTEGER);
  let maxPity = 0;
  let guaranteeMisses = 0;
  const batches: number[][] = [];
  for (let b = 0; b < batchCount; b++) {
    const counts = new Array<number>(tierIds.length).fill(0);
    for (let p = 0; p < pullsPerBatch; p++) {
      const outcome = performPull(catalog, plan.bannerId, size, state, rng, at);
      // The collection does not change the odds; dropping it keeps the state small.
      state = { ...outcome.state, owned: {} };
      let guaranteed = false;
      for (const item of outcome.items) {
        const i = column.get(item.tierId);
        if (i === undefined) throw new Error(`unknown tier ${item.tierId}`);
        counts[i] = (counts[i] ?? 0) + 1;
        if (item.pityCount > maxPity) maxPity = item.pityCount;
        if (GUARANTEED_TIERS.has(item.tierId)) guaranteed = true;
      }
      if (size === 10 && !guaranteed) guaranteeMisses++;
    }
    batches.push(counts);
  }
  return summarize(tierIds, batches, draws / batchCount, maxPity, guaranteeMisses);
}

function summarize(
  tierIds: readonly string[],
  batches: readonly (readonly number[])[],
  drawsPerBatch: number,
  maxPity: number,
  guaranteeMisses: number,
): SimulationRun {
  const totals = tierIds.map((_, i) => batches.reduce((sum, counts) => sum + (counts[i] ?? 0), 0));
  return { tierIds, batches, totals, drawsPerBatch, maxPity, guaranteeMisses };
}

/** One run from runs of the same plan split into parts (independent players, batches appended). */
export function mergeRuns(runs: readonly SimulationRun[]): SimulationRun {
  const [first] = runs;
  if (!first) throw new Error('no runs to merge');
  return summarize(
    first.tierIds,
    runs.flatMap((r) => r.batches),
    first.drawsPerBatch,
    Math.max(...runs.map((r) => r.maxPity)),
    runs.reduce((sum, r) => sum + r.guaranteeMisses, 0),
  );
}

export interface TierEstimate {
  readonly tierId: string;
  /** Mean of the batch rates (= the overall rate, batches being equal). */
  readonly rate: number;
  /** Standard error of `rate` from the spread of the batch rates. */
  readonly standardError: number;
}

/** Per-tier rate and batch-means standard error. */
export function batchMeans(run: SimulationRun): TierEstimate[] {
  const n = run.batches.length;
  return run.tierIds.map((tierId, i) => {
    const rates = run.batches.map((counts) => (counts[i] ?? 0) / run.drawsPerBatch);
    const rate = rates.reduce((a, b) => a + b, 0) / n;
    const variance = rates.reduce((sum, r) => sum + (r - rate) ** 2, 0) / (n - 1);
    return { tierId, rate, standardError: Math.sqrt(variance / n) };
  });
}
