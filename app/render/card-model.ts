/** Plain data the renderer draws from: no catalog, Discord or database types cross this line. */
import type { Locale } from '../domain/catalog';
import type { ArtSource } from './art-source';

export interface CardTier {
  readonly id: string;
  /** Frame and accent colour, 0xRRGGBB. */
  readonly color: number;
  /** 1 for the commonest tier up to the number of tiers (drawn as stars, at most 6). */
  readonly stars: number;
  /** The tier pity counts towards (drawn with a bright frame). */
  readonly top: boolean;
}

/** What a card shows whatever the pull: the item in one language, its tier and its art if any. */
export interface CardFace {
  readonly itemId: string;
  /** The item's name in the player's language (drawn, shrunk or cut to fit). */
  readonly name: string;
  readonly tier: CardTier;
  /** Content address (64 hex) of the item's stored art; null draws a generated card. */
  readonly artId: string | null;
}

/** A card as drawn in one pull: the face plus this pull's badges. */
export interface PulledCard extends CardFace {
  readonly isNew: boolean;
  /** Shards this draw gave (a duplicate); 0 draws no shard badge. */
  readonly shardsGained: number;
  readonly featured: boolean;
}

export interface PullImageRequest {
  readonly locale: Locale;
  /** In draw order: 1 card is drawn large, 2–10 as one sheet. */
  readonly cards: readonly PulledCard[];
  /**
   * Where this pull's art comes from (the guild's `ArtStore.sourceFor(guildId)`), overriding the
   * renderer's default. Faces are cached by art id, which is the same bytes in every guild.
   */
  readonly art?: ArtSource;
}

export interface RenderedImage {
  readonly data: Buffer;
  /** File name to upload it under and reference as `attachment://<fileName>`. */
  readonly fileName: string;
  readonly contentType: 'image/jpeg' | 'image/png';
  readonly width: number;
  readonly height: number;
}
