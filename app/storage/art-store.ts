/**
 * Card art kept in MongoDB as binary (so dumps and restores carry it; Discord CDN links expire).
 * One document per guild and content address: `_id` is `guildId:artId`, `artId` the SHA-256 hex of
 * the stored WebP. Storing the same picture twice is a no-op. Reads go through a cache bounded in
 * bytes.
 */
import { Binary, type Collection, type Db } from 'mongodb';
import { ByteBudgetCache } from '../render/byte-budget-cache';
import { COLLECTIONS } from './collections';
import { isDuplicateKeyError } from './mongo-errors';

export const ART_COLLECTION = COLLECTIONS.art;
export const ART_ID_PATTERN = /^[0-9a-f]{64}$/;
/** Stored art is ≤ 200 KB and usually 10–60 KB: 2 MiB keeps the hot set; faces are cached as pixels anyway. */
export const DEFAULT_ART_CACHE_BYTES = 2 * 1024 * 1024;

export interface ArtDoc {
  _id: string;
  guildId: string;
  artId: string;
  contentType: string;
  width: number;
  height: number;
  bytes: number;
  data: Binary;
  createdAt: Date;
  createdBy: string | null;
}

export interface StoredArtInput {
  readonly id: string;
  readonly data: Buffer;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
}

export class ArtStore {
  private readonly collection: Collection<ArtDoc>;
  /** Keyed like the documents (guildId:artId), so a guild never sees another guild's art. */
  private readonly cache: ByteBudgetCache<string, Buffer>;

  constructor(db: Db, cacheBytes = DEFAULT_ART_CACHE_BYTES) {
    this.collection = db.collection<ArtDoc>(ART_COLLECTION);
    this.cache = new ByteBudgetCache(cacheBytes);
  }

  /** Stores the art for a guild; returns false when that guild already had it. */
  async put(guildId: string, art: StoredArtInput, createdBy: string | null): Promise<boolean> {
    if (!ART_ID_PATTERN.test(art.id)) throw new RangeError('art id must be 64 lowercase hex digits');
    try {
      await this.collection.insertOne({
        _id: `${guildId}:${art.id}`,
        guildId,
        artId: art.id,
        contentType: art.contentType,
        width: art.width,
        height: art.height,
        bytes: art.data.length,
        data: new Binary(art.data),
        createdAt: new Date(),
        createdBy,
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
    this.cache.set(`${guildId}:${art.id}`, art.data, art.data.length);
    return true;
  }

  /** The stored bytes, or null when the guild has no art with that id. */
  async get(guildId: string, artId: string): Promise<Buffer | null> {
    if (!ART_ID_PATTERN.test(artId)) return null;
    const key = `${guildId}:${artId}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const doc = await this.collection.findOne({ _id: key, guildId });
    if (!doc) return null;
    const data = Buffer.from(doc.data.buffer);
    this.cache.set(key, data, data.length);
    return data;
  }

  /** A renderer's view of one guild's art. */
  sourceFor(guildId: string): { loadArt(artId: string): Promise<Buffer | null> } {
    return { loadArt: (artId) => this.get(guildId, artId) };
  }

  async has(guildId: string, artId: string): Promise<boolean> {
    return (await this.collection.countDocuments({ _id: `${guildId}:${artId}`, guildId }, { limit: 1 })) > 0;
  }

  /** Ids stored for a guild (for clean-up of art no catalog entry names any more). */
  async list(guildId: string): Promise<string[]> {
    const docs = await this.collection
      .find({ guildId }, { projection: { artId: 1 }, sort: { createdAt: -1 } })
      .toArray();
    return docs.map((d) => d.artId);
  }

  async delete(guildId: string, artId: string): Promise<boolean> {
    this.cache.delete(`${guildId}:${artId}`);
    const result = await this.collection.deleteOne({ _id: `${guildId}:${artId}`, guildId });
    return result.deletedCount > 0;
  }

  get cachedBytes(): number {
    return this.cache.bytes;
  }
}
