/**
 * What `/gacha-admin economy` changes, as a pure rule: any of a tier's shard-shop price (a tier
 * without a price goes back to the default), the wishlist limit and the gift/trade switch, in one
 * settings change — or why nothing is changed (a price without a tier, an unknown tier, nothing
 * given). Bounds (wishlist 0–25, price 1–1,000,000) are checked when the revision is parsed.
 */
import { DEFAULT_ECONOMY, type EconomySettings, type GuildSettings, economyRules } from './guild-settings';

export interface EconomyInput {
  readonly tier: string | null;
  readonly price: number | null;
  readonly wishlistLimit: number | null;
  readonly trading: boolean | null;
}

export type EconomyEdit =
  | { readonly kind: 'refused'; readonly reason: 'price-needs-tier' | 'nothing' | 'unknown-tier' }
  | {
      readonly kind: 'change';
      readonly change: (settings: GuildSettings) => GuildSettings;
      /** The revision's action: `economy: exchange-price SR 40, wishlist-limit 5, trading off`. */
      readonly action: string;
    };

export function planEconomyEdit(settings: GuildSettings, input: EconomyInput): EconomyEdit {
  const { tier, price, wishlistLimit, trading } = input;
  if (price !== null && tier === null) return { kind: 'refused', reason: 'price-needs-tier' };
  if (tier === null && wishlistLimit === null && trading === null) return { kind: 'refused', reason: 'nothing' };
  if (tier !== null && !settings.catalog.tiers.some((t) => t.id === tier)) {
    return { kind: 'refused', reason: 'unknown-tier' };
  }
  const edit = (e: EconomySettings): Partial<EconomySettings> => ({
    ...(tier === null
      ? {}
      : {
          exchangePrices: Object.fromEntries([
            ...Object.entries(e.exchangePrices).filter(([t]) => t !== tier),
            ...(price === null ? [] : [[tier, price] as const]),
          ]),
        }),
    ...(wishlistLimit === null ? {} : { wishlistLimit }),
    ...(trading === null ? {} : { tradingEnabled: trading }),
  });
  const audit: string[] = [];
  if (tier !== null) audit.push(`exchange-price ${tier} ${price ?? 'default'}`);
  if (wishlistLimit !== null) audit.push(`wishlist-limit ${wishlistLimit}`);
  if (trading !== null) audit.push(`trading ${trading ? 'on' : 'off'}`);
  return {
    kind: 'change',
    change: (s) => {
      const economy = economyRules(s);
      return { ...s, economy: { ...DEFAULT_ECONOMY, ...economy, ...edit(economy) } };
    },
    action: `economy: ${audit.join(', ')}`,
  };
}
