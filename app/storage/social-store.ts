/**
 * Wishlists and player preferences (wish pings on/off, favourite item). None of this moves
 * currency or items: a wish is one document per player and item (`_id` guild:user:item, so adding
 * twice is one wish), preferences one document per player.
 */
import type { Db } from 'mongodb';
import { isDuplicateKeyError } from './mongo-errors';

export const SOCIAL_COLLECTIONS = { wishes: 'wishes', prefs: 'player_prefs' } as const;

export interface WishDoc {
  _id: string;
  guildId: string;
  userId: string;
  itemId: string;
  at: Date;
}

export interface PlayerPrefsDoc {
  _id: string;
  guildId: string;
  userId: string;
  /** False: the player is not mentioned when a wished item drops. Missing means true. */
  wishPings?: boolean;
  favouriteItemId?: string | null;
}

export interface PlayerPrefs {
  readonly wishPings: boolean;
  readonly favouriteItemId: string | null;
}

export class SocialStore {
  private readonly wishes;
  private readonly prefs;

  constructor(
    db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.wishes = db.collection<WishDoc>(SOCIAL_COLLECTIONS.wishes);
    this.prefs = db.collection<PlayerPrefsDoc>(SOCIAL_COLLECTIONS.prefs);
  }

  static async createIndexes(db: Db): Promise<void> {
    await db
      .collection<WishDoc>(SOCIAL_COLLECTIONS.wishes)
      .createIndex({ guildId: 1, itemId: 1 }, { name: 'guild_item' }, undefined);
    await db
      .collection<WishDoc>(SOCIAL_COLLECTIONS.wishes)
      .createIndex({ guildId: 1, userId: 1 }, { name: 'guild_user' }, undefined);
  }

  /** Adds the wish; false when it was already there. */
  async addWish(guildId: string, userId: string, itemId: string): Promise<boolean> {
    try {
      await this.wishes.insertOne({ _id: `${guildId}:${userId}:${itemId}`, guildId, userId, itemId, at: this.now() });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** Removes the wish; false when there was none. */
  async removeWish(guildId: string, userId: string, itemId: string): Promise<boolean> {
    const { deletedCount } = await this.wishes.deleteOne({ _id: `${guildId}:${userId}:${itemId}`, guildId });
    return deletedCount > 0;
  }

  /** The player's wished item ids, oldest first. */
  async wishesOf(guildId: string, userId: string): Promise<string[]> {
    const docs = await this.wishes.find({ guildId, userId }).sort({ at: 1 }).limit(100).toArray();
    return docs.map((d) => d.itemId);
  }

  /** Who wishes for any of `itemIds` in the guild, by item (at most `limit` wishers in all). */
  async wishersOf(guildId: string, itemIds: readonly string[], limit: number): Promise<WishDoc[]> {
    if (itemIds.length === 0) return [];
    return this.wishes
      .find({ guildId, itemId: { $in: [...itemIds] } })
      .sort({ at: 1 })
      .limit(limit)
      .toArray();
  }

  async prefsOf(guildId: string, userId: string): Promise<PlayerPrefs> {
    const doc = await this.prefs.findOne({ _id: `${guildId}:${userId}`, guildId });
    return { wishPings: doc?.wishPings ?? true, favouriteItemId: doc?.favouriteItemId ?? null };
  }

  /** The players among `userIds` who turned wish pings off. */
  async optedOut(guildId: string, userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const docs = await this.prefs.find({ guildId, userId: { $in: [...userIds] }, wishPings: false }).toArray();
    return new Set(docs.map((d) => d.userId));
  }

  async setPrefs(guildId: string, userId: string, change: Partial<PlayerPrefs>): Promise<void> {
    await this.prefs.updateOne(
      { _id: `${guildId}:${userId}`, guildId },
      { $set: { guildId, userId, ...change } },
      { upsert: true },
    );
  }
}
