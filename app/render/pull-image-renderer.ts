/**
 * Renders a pull as ONE image: a single pull as its card large (320×448), a 10-pull as a sheet of
 * ten small cards (160×224) in draw order, 5 per row, with names and this pull's NEW / shard /
 * pick-up badges.
 *
 * Cost and memory model (README "Card art and pull images"):
 * - The part of a small card that depends neither on the language nor on the pull (picture, tier
 *   glyph, frame) is painted once per item, art and tier on one reused canvas, encoded as JPEG
 *   (quality 95) and decoded into an Image kept in a cache bounded in bytes (pixels + JPEG); the
 *   few evicted Images kept for reuse count in the same budget.
 *   A cached canvas would cost about twice its pixels: @napi-rs/canvas records draw calls and
 *   keeps a snapshot of a canvas drawn onto another (measured: the bench's RSS growth fell from
 *   ~56 to ~36 MiB). Evicted Images are decoded into again instead of being dropped: their pixels
 *   are native memory that V8 does not see, and glibc keeps freed native memory (measured: +225 MB
 *   RSS after 400 dropped canvases).
 * - Draw calls are recorded until the canvas is encoded, so every canvas that is drawn on is
 *   encoded afterwards (a face canvas never drawn from directly).
 * - A 10-pull draws ten cached faces onto one reused sheet canvas, then ten names and the badges,
 *   and encodes JPEG. A single pull paints its large card directly onto one reused canvas.
 * - Art is decoded into one reused Image (a new Image per decode costs native memory until V8
 *   collects it). `getImageData` and `canvas.data()` are never used: in @napi-rs/canvas 1.1.1
 *   their memory is not returned (+1 MB RSS per 320×448 call, even after a full GC).
 * - `canvas.encode` copies the pixels when it is called and encodes on libuv's thread pool, so
 *   a reused canvas can be drawn on again while earlier encodes run.
 */
import { type Canvas, Image, createCanvas } from '@napi-rs/canvas';
import type { ArtSource } from './art-source';
import { ByteBudgetCache } from './byte-budget-cache';
import { ensureCardFont } from './card-font';
import type { CardFace, PullImageRequest, RenderedImage } from './card-model';
import { BACKGROUND, LARGE_CARD, SMALL_CARD, paintBadges, paintCardBase, paintCardName } from './card-painter';

export const SHEET_COLUMNS = 5;
export const SHEET_GAP = 8;
export const JPEG_QUALITY = 82;
const FACE_BYTES = SMALL_CARD.width * SMALL_CARD.height * 4;
/**
 * Face images kept by default: 10 MiB, less 0.8 MiB for the spares, is about 62 faces of 140 KiB
 * pixels and their JPEG (the default catalog has 60 items).
 */
export const DEFAULT_SPRITE_CACHE_BYTES = 10 * 1024 * 1024;
/** Evicted face images kept for the next face (a dropped Image's pixels wait for V8's GC). */
export const SPARE_IMAGES = 4;

/** Faces are kept as JPEG this good (0.4 ms to encode; PNG takes 3 ms), below the sheet's own JPEG. */
const FACE_JPEG_QUALITY = 95;

/** A face's encoded bytes stay below half its pixels (JPEG at the quality above is ~10–40 KB). */
const MAX_FACE_ENCODED_BYTES = FACE_BYTES / 2;
/** The most one cached face holds: decoded pixels plus the JPEG they came from. */
export const MAX_FACE_BYTES = FACE_BYTES + MAX_FACE_ENCODED_BYTES;
/** The most the evicted face images kept for reuse hold (counted in the face budget). */
export const MAX_SPARE_BYTES = SPARE_IMAGES * MAX_FACE_BYTES;
/** The smallest face budget: one sheet of ten faces, plus the spare images. */
export const MIN_SPRITE_CACHE_BYTES = 10 * MAX_FACE_BYTES + MAX_SPARE_BYTES;

function decodeInto(image: Image, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    image.onload = () => {
      resolve();
    };
    image.onerror = (error) => {
      reject(error instanceof Error ? error : new Error('face image did not decode'));
    };
    image.src = data;
  });
}

export interface PullImageRendererOptions {
  readonly art?: ArtSource;
  /**
   * Bytes for face images: the cached faces plus the evicted ones kept for reuse (pixels + JPEG
   * each). At least ten faces (one sheet) and the spares, 2.1 MB.
   */
  readonly spriteCacheBytes?: number;
  readonly jpegQuality?: number;
}

export interface RendererStats {
  /** Bytes of the cached faces (decoded pixels + JPEG each). */
  readonly spriteBytes: number;
  /** Bytes still held by evicted face images kept for reuse; spriteBytes + spareBytes ≤ the budget. */
  readonly spareBytes: number;
  readonly sprites: number;
  readonly facesPainted: number;
  /** Pixels of the reused canvases (face, sheet, single card), each made once. */
  readonly canvasBytes: number;
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

function faceKey(face: CardFace): string {
  const { tier } = face;
  return [face.itemId, face.artId ?? '-', tier.id, tier.color, tier.stars, tier.top].join('\u0001');
}

export class PullImageRenderer {
  private readonly faces: ByteBudgetCache<string, Image>;
  private readonly spare: { image: Image; bytes: number }[] = [];
  private readonly canvases = new Map<string, Canvas>();
  private readonly quality: number;
  private readonly artImage = new Image();
  private decodeQueue: Promise<unknown> = Promise.resolve();
  private facesPainted = 0;
  private artFailures = 0;

  constructor(private readonly options: PullImageRendererOptions = {}) {
    ensureCardFont();
    const budget = options.spriteCacheBytes ?? DEFAULT_SPRITE_CACHE_BYTES;
    if (budget < MIN_SPRITE_CACHE_BYTES)
      throw new RangeError(`spriteCacheBytes must hold one sheet (${MIN_SPRITE_CACHE_BYTES} bytes)`);
    this.faces = new ByteBudgetCache(budget - MAX_SPARE_BYTES, (image, _key, bytes) => {
      this.keepSpare(image, bytes);
    });
    this.quality = options.jpegQuality ?? JPEG_QUALITY;
  }

  stats(): RendererStats {
    return {
      spriteBytes: this.faces.bytes,
      spareBytes: this.spare.reduce((sum, spare) => sum + spare.bytes, 0),
      sprites: this.faces.size,
      facesPainted: this.facesPainted,
      canvasBytes: [...this.canvases.values()].reduce((sum, canvas) => sum + canvas.width * canvas.height * 4, 0),
      artFailures: this.artFailures,
    };
  }

  /** The image for a pull of 1 to 10 cards. */
  async render(request: PullImageRequest): Promise<RenderedImage> {
    const { cards, locale } = request;
    const source = request.art ?? this.options.art;
    if (cards.length < 1 || cards.length > 10)
      throw new RangeError(`a pull image shows 1 to 10 cards, got ${cards.length}`);
    if (cards.length === 1 && cards[0]) {
      const card = cards[0];
      const { width, height } = LARGE_CARD;
      const canvas = this.canvas('single', width, height);
      await this.withArt(source, card.artId, (art) => {
        const ctx = canvas.getContext('2d');
        paintCardBase(ctx, card, art, width, height);
        paintCardName(ctx, card.name, 0, 0, width, height);
        paintBadges(ctx, card, locale, 0, 0, width);
      });
      const data = await canvas.encode('jpeg', this.quality);
      return { data, fileName: 'pull.jpg', contentType: 'image/jpeg', width, height };
    }
    // Paint missing faces, then take all ten from the cache in one synchronous step (a concurrent
    // pull may have evicted one meanwhile: then paint again).
    let faces: (Image | undefined)[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      await Promise.all(cards.map((card) => this.ensureFace(card, source)));
      faces = cards.map((card) => this.faces.get(faceKey(card)));
      if (faces.every(Boolean)) break;
    }
    const { width, height } = sheetSize(cards.length);
    const canvas = this.canvas('sheet', width, height);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, width, height);
    cards.forEach((card, index) => {
      const { x, y } = sheetSlot(index);
      const face = faces[index];
      if (face) ctx.drawImage(face, x, y);
      else {
        ctx.save();
        ctx.translate(x, y);
        paintCardBase(ctx, card, null, SMALL_CARD.width, SMALL_CARD.height);
        ctx.restore();
      }
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
  async prepare(face: CardFace, art: ArtSource | undefined = this.options.art): Promise<void> {
    await this.ensureFace(face, art);
  }

  private canvas(name: string, width: number, height: number): Canvas {
    const key = `${name}:${width}x${height}`;
    let canvas = this.canvases.get(key);
    if (!canvas) {
      canvas = createCanvas(width, height);
      this.canvases.set(key, canvas);
    }
    return canvas;
  }

  private async ensureFace(face: CardFace, source: ArtSource | undefined): Promise<void> {
    const key = faceKey(face);
    if (this.faces.get(key)) return;
    const painted: { jpeg?: Buffer } = {};
    await this.withArt(source, face.artId, (art) => {
      if (this.faces.get(key)) return; // painted by a concurrent pull meanwhile
      const canvas = this.canvas('face', SMALL_CARD.width, SMALL_CARD.height);
      paintCardBase(canvas.getContext('2d'), face, art, SMALL_CARD.width, SMALL_CARD.height);
      const jpeg = canvas.encodeSync('jpeg', FACE_JPEG_QUALITY);
      painted.jpeg = jpeg.length > MAX_FACE_ENCODED_BYTES ? canvas.encodeSync('jpeg', JPEG_QUALITY) : jpeg;
    });
    const { jpeg } = painted;
    if (!jpeg || this.faces.get(key)) return;
    const image = this.spare.pop()?.image ?? new Image();
    await decodeInto(image, jpeg);
    const bytes = FACE_BYTES + jpeg.length;
    if (this.faces.get(key)) {
      this.keepSpare(image, bytes); // a concurrent pull painted it meanwhile
      return;
    }
    this.facesPainted++;
    this.faces.set(key, image, bytes);
  }

  /** Keeps an unused face image (and the `bytes` it still holds) for the next face, up to SPARE_IMAGES. */
  private keepSpare(image: Image, bytes: number): void {
    if (this.spare.length < SPARE_IMAGES) this.spare.push({ image, bytes });
  }

  /**
   * Runs `use` with the item's art decoded (or null: no art, or it could not be loaded or decoded),
   * one decode at a time into the shared Image, before the next decode starts.
   */
  private async withArt(
    source: ArtSource | undefined,
    artId: string | null,
    use: (art: Image | null) => void,
  ): Promise<void> {
    const bytes = artId && source ? await this.loadArtBytes(source, artId) : null;
    if (!bytes) {
      use(null);
      return;
    }
    const run = this.decodeQueue.then(
      () =>
        new Promise<void>((resolve) => {
          const image = this.artImage;
          image.onload = () => {
            use(image);
            resolve();
          };
          image.onerror = () => {
            this.artFailures++;
            use(null);
            resolve();
          };
          image.src = bytes;
        }),
    );
    this.decodeQueue = run.catch(() => undefined);
    await run;
  }

  private async loadArtBytes(source: ArtSource, artId: string): Promise<Buffer | null> {
    try {
      const bytes = await source.loadArt(artId);
      if (bytes) return bytes;
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
