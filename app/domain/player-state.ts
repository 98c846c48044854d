/** A player's gacha state in one guild. Every change produces a new state; nothing is mutated. */
import type { BannerKind } from './catalog';

export interface PityState {
  /** Pulls since the last top-tier item on this banner kind. */
  readonly sinceTop: number;
  /** The next top-tier item is a featured one (the previous top-tier pull lost the 50/50). */
  readonly featuredGuaranteed: boolean;
}

export interface PlayerState {
  readonly currency: number;
  readonly shards: number;
  readonly pity: Readonly<Record<BannerKind, PityState>>;
  /** Spark points belong to one limited banner and do not carry over to the next. */
  readonly spark: { readonly bannerId: string | null; readonly points: number };
  readonly daily: { readonly lastDay: string | null; readonly streak: number };
  /** Copies obtained per item id. */
  readonly owned: Readonly<Record<string, number>>;
  readonly totalPulls: number;
}

export const FRESH_PITY: PityState = { sinceTop: 0, featuredGuaranteed: false };

export function initialPlayerState(startingCurrency: number): PlayerState {
  return {
    currency: startingCurrency,
    shards: 0,
    pity: { standard: FRESH_PITY, limited: FRESH_PITY },
    spark: { bannerId: null, points: 0 },
    daily: { lastDay: null, streak: 0 },
    owned: {},
    totalPulls: 0,
  };
}

export function distinctOwned(state: PlayerState): number {
  return Object.values(state.owned).filter((n) => n > 0).length;
}
