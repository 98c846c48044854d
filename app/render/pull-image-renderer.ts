/**
 * Renders a pull as ONE image: a single pull as its card large (320×448), a 10-pull as a sheet of
 * ten small cards (160×224) in draw order, 5 per row, with names and this pull's NEW / shard /
 * pick-up badges.
 *
 * Cost model (README "Card art and pull images"): the part of a small card that does not depend on
 * the language or the pull (picture, tier glyph, frame) is painted once per item, art and tier and
 * kept as pixels in a cache bounded in bytes (JS memory, so the garbage collector sees it); a
 * 10-pull copies ten of them onto one reused canvas (`putImageData`), draws ten names and the
 * badges, and encodes JPEG. A single pull does the same with a large face from a second cache. `canvas.encode` copies
 * the pixels when called and encodes on libuv's thread pool, so each layout's one canvas is reused
 * while earlier encodes run, and no canvas is created per pull (native memory V8 does not see).
 */
import { type Canvas, type Image, type ImageData, createCanvas, loadImage } from '@napi-rs/canvas';
import type { ArtSource } from './art-source';
import { ByteBudgetCache } from './byte-budget-cache';
import { BACKGROUND } from './card-painter';
import { ensureCardFont } from './card-font';
import type { CardFace, PullImageRequest, RenderedImage } from './card-model';
import { LARGE_CARD, SMALL_CARD, paintBadges, paintCardBase, paintCardName } from './card-painter';

export const SHEET_COLUMNS = 5;
export const SHEET_GAP = 8;
export const JPEG_QUALITY = 82;
/** Small card faces kept by default: 10 MiB is 73 faces of 140 KiB (the default catalog has 60 items). */
export const DEFAULT_SPRITE_CACHE_BYTES = 10 * 1024 * 1024;
/** Large faces (single pulls) kept by default: 4 MiB is 7 faces of 560 KiB. */
export const DEFAULT_LARGE_CACHE_BYTES = 4 * 1024 * 1024;

export interface PullImageRendererOptions {
  readonly art?: ArtSource;
  readonly spriteCacheBytes?: number;
  readonly largeCacheBytes?: number;
  readonly jpegQuality?: number;
}

export interface RendererStats {
  readonly spriteBytes: number;
  readonly sprites: number;
  readonly facesPainted: number;
  /** Art ids that could not be loaded or decoded (the card was generated instead). */
  readonly artFailures: number;
}

export function sheetSize(cards: number): { width: number; height: number } {
  const columns = Math.min(SHEET_COLUMNS, cards);
  const rows = Math.ceil(cards / SHEET_COLUMNS);
  return {
    width: columns * SMALL_CARD.width + (columns + 1) * SHEET_GAP,
    height: rows * SMALL_CARD.height + (rows + 1) * SHEET_GAP,
  };
}

/** Where card `index` of a sheet sits. */
export function sheetSlot(index: number): { x: number; y: number } {
  return {
    x: SHEET_GAP + (index % SHEET_COLUMNS) * (SMALL_CARD.width + SHEET_GAP),
    y: SHEET_GAP + Math.floor(index / SHEET_COLUMNS) * (SMALL_CARD.height + SHEET_GAP),
  };
}

export class PullImageRenderer {
  private readonly sprites: ByteBudgetCache<string, ImageData>;
  private readonly largeFaces: ByteBudgetCache<string, ImageData>;
  private readonly canvases = new Map<string, Canvas>();
  private readonly quality: number;
  private facesPainted = 0;
  private artFailures = 0;

  constructor(private readonly options: PullImageRendererOptions = {}) {
    ensureCardFont();
    this.sprites = new ByteBudgetCache(options.spriteCacheBytes ?? DEFAULT_SPRITE_CACHE_BYTES);
    this.largeFaces = new ByteBudgetCache(options.largeCacheBytes ?? DEFAULT_LARGE_CACHE_BYTES);
    this.quality = options.jpegQuality ?? JPEG_QUALITY;
  }

  stats(): RendererStats {
    return {
      spriteBytes: this.sprites.bytes + this.largeFaces.bytes,
      sprites: this.sprites.size + this.largeFaces.size,
      facesPainted: this.facesPainted,
      artFailures: this.artFailures,
    };
  }

  /** The image for a pull of 1 to 10 cards. */
  async render(request: PullImageRequest): Promise<RenderedImage> {
    const { cards, locale } = request;
    if (cards.length < 1 || cards.length > 10)
      throw new RangeError(`a pull image shows 1 to 10 cards, got ${cards.length}`);
    if (cards.length === 1 && cards[0]) {
      const card = cards[0];
      const face = await this.face(card, LARGE_CARD, this.largeFaces);
      const canvas = this.canvas(LARGE_CARD.width, LARGE_CARD.height);
      const ctx = canvas.getContext('2d');
      ctx.putImageData(face, 0, 0);
      paintCardName(ctx, card.name, 0, 0, LARGE_CARD.width, LARGE_CARD.height);
      paintBadges(ctx, card, locale, 0, 0, LARGE_CARD.width);
      const data = await canvas.encode('jpeg', this.quality);
      return { data, fileName: 'pull.jpg', contentType: 'image/jpeg', ...LARGE_CARD };
    }
    const faces = await Promise.all(cards.map((card) => this.face(card, SMALL_CARD, this.sprites)));
    const { width, height } = sheetSize(cards.length);
    const canvas = this.canvas(width, height);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, width, height);
    cards.forEach((card, index) => {
      const { x, y } = sheetSlot(index);
      const face = faces[index];
      if (face) ctx.putImageData(face, x, y);
      paintCardName(ctx, card.name, x, y, SMALL_CARD.width, SMALL_CARD.height);
      paintBadges(ctx, card, locale, x, y, SMALL_CARD.width);
    });
    const data = await canvas.encode('jpeg', this.quality);
    return { data, fileName: 'pulls.jpg', contentType: 'image/jpeg', width, height };
  }

  /**
   * Paints a face ahead of time (e.g. right after an admin sets its art), so the first 10-pull that
   * shows it costs no more than any other.
   */
  async prepare(face: CardFace): Promise<void> {
    await this.face(face, SMALL_CARD, this.sprites);
  }

  private canvas(width: number, height: number): Canvas {
    const key = `${width}x${height}`;
    let canvas = this.canvases.get(key);
    if (!canvas) {
      canvas = createCanvas(width, height);
      this.canvases.set(key, canvas);
    }
    return canvas;
  }

  private async face(
    face: CardFace,
    size: { readonly width: number; readonly height: number },
    cache: ByteBudgetCache<string, ImageData>,
  ): Promise<ImageData> {
    const { tier } = face;
    const key = [face.itemId, face.artId ?? '-', tier.id, tier.color, tier.stars, tier.top].join('\u0001');
    const cached = cache.get(key);
    if (cached) return cached;
    // Decoding art makes native memory that only the garbage collector frees: once per face.
    const art = face.artId ? await this.loadArt(face.artId) : null;
    const { width, height } = size;
    const scratch = this.canvas(width, height);
    const ctx = scratch.getContext('2d');
    paintCardBase(ctx, face, art, width, height);
    const pixels = ctx.getImageData(0, 0, width, height);
    this.facesPainted++;
    cache.set(key, pixels, pixels.data.byteLength);
    return pixels;
  }

  private async loadArt(artId: string): Promise<Image | null> {
    const source = this.options.art;
    if (!source) return null;
    try {
      const bytes = await source.loadArt(artId);
      if (bytes) return await loadImage(bytes);
    } catch {
      // counted below; the card is generated instead
    }
    this.artFailures++;
    return null;
  }
}

/** The rarest card of a pull (first of equals), whose colour tints the sheet and the message. */
export function bestCard<T extends { tier: { stars: number } }>(cards: readonly T[]): T {
  const first = cards[0];
  if (!first) throw new RangeError('no cards');
  return cards.reduce((best, card) => (card.tier.stars > best.tier.stars ? card : best), first);
}
