/**
 * Renders a pull as ONE image: a single pull as its card large (320×448), a 10-pull as a sheet of
 * ten small cards (160×224) in draw order, 5 per row, with this pull's NEW / shard / pick-up badges.
 *
 * Cost model (see README "Card art and pull images"): each card face is painted once per item,
 * art, tier, name and size and kept as a bitmap in a cache bounded in bytes; a pull only copies ten
 * bitmaps onto one reused canvas, draws the badges and encodes JPEG. `canvas.encode` copies the
 * pixels when it is called and encodes on libuv's thread pool, so one canvas per layout is reused
 * safely while earlier encodes are still running and the event loop is not blocked by encoding.
 */
import { type Canvas, type Image, createCanvas, loadImage } from '@napi-rs/canvas';
import type { ArtSource } from './art-source';
import { ByteBudgetCache } from './byte-budget-cache';
import { ensureCardFont } from './card-font';
import type { CardFace, PullImageRequest, RenderedImage } from './card-model';
import { BACKGROUND, LARGE_CARD, SMALL_CARD, hex, paintBadges, paintCardFace } from './card-painter';

export const SHEET_COLUMNS = 5;
export const SHEET_GAP = 8;
export const JPEG_QUALITY = 82;
/** Card bitmaps kept by default: ~110 small cards or ~28 large ones. */
export const DEFAULT_SPRITE_CACHE_BYTES = 16 * 1024 * 1024;

export interface PullImageRendererOptions {
  readonly art?: ArtSource;
  readonly spriteCacheBytes?: number;
  readonly jpegQuality?: number;
}

export interface RendererStats {
  readonly spriteBytes: number;
  readonly sprites: number;
  readonly facesPainted: number;
  /** Art ids that could not be loaded or decoded (the card was generated instead). */
  readonly artFailures: number;
}

type CardSize = typeof SMALL_CARD | typeof LARGE_CARD;

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
  private readonly sprites: ByteBudgetCache<string, Canvas>;
  private readonly canvases = new Map<string, Canvas>();
  private readonly quality: number;
  private facesPainted = 0;
  private artFailures = 0;

  constructor(private readonly options: PullImageRendererOptions = {}) {
    ensureCardFont();
    this.sprites = new ByteBudgetCache(options.spriteCacheBytes ?? DEFAULT_SPRITE_CACHE_BYTES);
    this.quality = options.jpegQuality ?? JPEG_QUALITY;
  }

  stats(): RendererStats {
    return {
      spriteBytes: this.sprites.bytes,
      sprites: this.sprites.size,
      facesPainted: this.facesPainted,
      artFailures: this.artFailures,
    };
  }

  /** The image for a pull of 1 to 10 cards. */
  async render(request: PullImageRequest): Promise<RenderedImage> {
    const { cards, locale } = request;
    if (cards.length < 1 || cards.length > 10)
      throw new RangeError(`a pull image shows 1 to 10 cards, got ${cards.length}`);
    const size = cards.length === 1 ? LARGE_CARD : SMALL_CARD;
    const faces = await Promise.all(cards.map((card) => this.sprite(card, size)));
    const { width, height } = cards.length === 1 ? LARGE_CARD : sheetSize(cards.length);
    const canvas = this.canvas(width, height);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, width, height);
    if (cards.length > 1) {
      const best = bestCard(cards);
      const glow = ctx.createLinearGradient(0, 0, 0, height);
      glow.addColorStop(0, hex(best.tier.color, 0.28));
      glow.addColorStop(1, hex(best.tier.color, 0.04));
      ctx.fillStyle = glow;
      ctx.fillRect(0, 0, width, height);
    }
    cards.forEach((card, index) => {
      const { x, y } = cards.length === 1 ? { x: 0, y: 0 } : sheetSlot(index);
      const face = faces[index];
      if (face) ctx.drawImage(face, x, y);
      paintBadges(ctx, card, locale, x, y, size.width);
    });
    const data = await canvas.encode('jpeg', this.quality);
    return { data, fileName: cards.length === 1 ? 'pull.jpg' : 'pulls.jpg', contentType: 'image/jpeg', width, height };
  }

  /**
   * Paints a face in both sizes ahead of time (e.g. right after an admin sets its art), so the
   * first pull that shows it costs no more than any other.
   */
  async prepare(face: CardFace): Promise<void> {
    await this.sprite(face, SMALL_CARD);
    await this.sprite(face, LARGE_CARD);
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

  private async sprite(face: CardFace, size: CardSize): Promise<Canvas> {
    const { tier } = face;
    const key = [size.width, face.itemId, face.artId ?? '-', tier.id, tier.color, tier.stars, tier.top, face.name].join(
      '\u0001',
    );
    const cached = this.sprites.get(key);
    if (cached) return cached;
    const art = face.artId ? await this.loadArt(face.artId) : null;
    const canvas = createCanvas(size.width, size.height);
    paintCardFace(canvas.getContext('2d'), face, art, size.width, size.height);
    this.facesPainted++;
    this.sprites.set(key, canvas, size.width * size.height * 4);
    return canvas;
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
