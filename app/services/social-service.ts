/**
 * Wishlists, wish pings and the favourite item: which items a player wants (bounded by the
 * server's wishlist limit), who is told when one of them drops, and the item shown on /profile.
 * Nothing here moves currency or items.
 */
import { GachaError } from '../domain/errors';
import { economyRules } from '../domain/guild-settings';
import type { PlayerLedger } from '../storage/player-ledger';
import type { SettingsSnapshot, SettingsStore } from '../storage/settings-store';
import type { PlayerPrefs, SocialStore } from '../storage/social-store';
import type { PlayerRef } from './gacha-service';

export type { PlayerPrefs } from '../storage/social-store';

export interface SocialStores {
  readonly social: SocialStore;
  readonly settings: SettingsStore;
  readonly ledger: PlayerLedger;
}

export type WishAddOutcome = 'added' | 'already' | 'full';

export interface WishAddResult {
  readonly outcome: WishAddOutcome;
  readonly itemId: string;
  readonly count: number;
  readonly limit: number;
}

export interface Wishlist {
  readonly itemIds: readonly string[];
  readonly limit: number;
  readonly pings: boolean;
}

/** Most wishers named under one pull result (the mention list stays short). */
export const MAX_WISHERS_NAMED = 20;

export class SocialService {
  constructor(private readonly stores: SocialStores) {}

  async addWish(player: PlayerRef, itemId: string, under?: SettingsSnapshot): Promise<WishAddResult> {
    const { settings } = under ?? (await this.stores.settings.get(player.guildId));
    requireItem(settings.catalog.items, itemId);
    const limit = economyRules(settings).wishlistLimit;
    const current = await this.stores.social.wishesOf(player.guildId, player.userId);
    if (current.includes(itemId)) return { outcome: 'already', itemId, count: current.length, limit };
    if (current.length >= limit) return { outcome: 'full', itemId, count: current.length, limit };
    const added = await this.stores.social.addWish(player.guildId, player.userId, itemId);
    return { outcome: added ? 'added' : 'already', itemId, count: current.length + (added ? 1 : 0), limit };
  }

  /** True when the wish existed. */
  async removeWish(player: PlayerRef, itemId: string): Promise<boolean> {
    return this.stores.social.removeWish(player.guildId, player.userId, itemId);
  }

  async wishlist(player: PlayerRef, under?: SettingsSnapshot): Promise<Wishlist> {
    const { settings } = under ?? (await this.stores.settings.get(player.guildId));
    const known = new Set(settings.catalog.items.map((i) => i.id));
    const [itemIds, prefs] = await Promise.all([
      this.stores.social.wishesOf(player.guildId, player.userId),
      this.stores.social.prefsOf(player.guildId, player.userId),
    ]);
    return {
      itemIds: itemIds.filter((id) => known.has(id)),
      limit: economyRules(settings).wishlistLimit,
      pings: prefs.wishPings,
    };
  }

  async setWishPings(player: PlayerRef, on: boolean): Promise<void> {
    await this.stores.social.setPrefs(player.guildId, player.userId, { wishPings: on });
  }

  prefs(player: PlayerRef): Promise<PlayerPrefs> {
    return this.stores.social.prefsOf(player.guildId, player.userId);
  }

  /** Sets the favourite (an item the player owns) or clears it (null). */
  async setFavourite(player: PlayerRef, itemId: string | null, under?: SettingsSnapshot): Promise<void> {
    if (itemId !== null) {
      const { settings } = under ?? (await this.stores.settings.get(player.guildId));
      requireItem(settings.catalog.items, itemId);
      const head = await this.stores.ledger.head(player, settings.startingCurrency);
      const owned = head.state.owned[itemId] ?? 0;
      if (owned < 1) {
        throw new GachaError('item-not-owned', `Owns 0 of ${itemId}`, { itemId, owned: 0, wanted: 1 });
      }
    }
    await this.stores.social.setPrefs(player.guildId, player.userId, { favouriteItemId: itemId });
  }

  /**
   * Who wished for any of the dropped items (not the puller, not players who turned pings off),
   * by item, at most MAX_WISHERS_NAMED in all.
   */
  async wishersOfDrop(
    guildId: string,
    pullerId: string,
    itemIds: readonly string[],
  ): Promise<ReadonlyMap<string, readonly string[]>> {
    const distinct = [...new Set(itemIds)];
    const wishes = (await this.stores.social.wishersOf(guildId, distinct, MAX_WISHERS_NAMED * 2)).filter(
      (w) => w.userId !== pullerId,
    );
    const out = await this.stores.social.optedOut(guildId, [...new Set(wishes.map((w) => w.userId))]);
    const byItem = new Map<string, string[]>();
    let named = 0;
    for (const wish of wishes) {
      if (out.has(wish.userId) || named >= MAX_WISHERS_NAMED) continue;
      const list = byItem.get(wish.itemId) ?? [];
      list.push(wish.userId);
      byItem.set(wish.itemId, list);
      named++;
    }
    return byItem;
  }
}

function requireItem(items: readonly { id: string }[], itemId: string): void {
  if (!items.some((i) => i.id === itemId)) {
    throw new GachaError('unknown-item', `"${itemId.slice(0, 100)}" is not in the catalog`, { itemId });
  }
}
