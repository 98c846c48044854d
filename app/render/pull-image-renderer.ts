/**
 * Renders a pull as ONE image: a single pull as its card large (320×448), a 10-pull as a sheet of
 * ten small cards (160×224) in draw order, 5 per row, with names and this pull's NEW / shard /
 * pick-up badges.
 *
 * Cost and memory model (README "Card art and pull images"):
 * - The part of a small card that depends neither on the language nor on the pull (picture, tier
 *   glyph, frame) is painted once per item on one reused canvas and kept as its JPEG (quality 95,
 *   ~10–40 KB) in a cache bounded in bytes. A 10-pull decodes its ten faces, one at a time, into
 *   one reused Image as it draws them (~0.2 ms each). Faces used to be kept decoded (140 KiB of
 *   pixels each, ~9 MiB for the default bound) with dropped Images waiting for V8's GC: the
 *   pixels were most of the renderer's own share of RSS (docs/benchmarks.md, "Pull images").
 * - Draw calls are recorded until the canvas is encoded, so every canvas that is drawn on is
 *   encoded afterwards (a face canvas never drawn from directly); a recorded drawImage keeps the
 *   pixels it drew, so the face Image can be decoded into again before the sheet is encoded.
 * - A 10-pull draws ten faces onto one reused sheet canvas, then ten names and the badges, and
 *   encodes JPEG; sheets are drawn one at a time (the face Image and the canvas are shared). A
 *   single pull paints its large card directly onto one reused canvas.
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
const FACE_PIXEL_BYTES = SMALL_CARD.width * SMALL_CARD.height * 4;
/** Faces are kept as JPEG this good (0.4 ms to encode; PNG takes 3 ms), below the sheet's own JPEG. */
const FACE_JPEG_QUALITY = 95;
/** A face's JPEG stays below half its pixels (at the quality above it is ~10–40 KB). */
export const MAX_FACE_BYTES = FACE_PIXEL_BYTES / 2;
/** The smallest face budget: one sheet of ten faces at their largest. */
export const MIN_SPRITE_CACHE_BYTES = 10 * MAX_FACE_BYTES;
/**
 * Face JPEGs kept by default: 2 MiB, about 240 faces at the ~8.6 KB they averaged in
 * `npm run render:rss` (the default catalog has 60 items).
 */
export const DEFAULT_SPRITE_CACHE_BYTES = 2 * 1024 * 1024;

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
  /** Bytes of face JPEGs kept: at least ten faces at their largest (one sheet), 700 KiB. */
  readonly spriteCacheBytes?: number;
  readonly jpegQuality?: number;
}

export interface RendererStats {
  /** Bytes of the cached face JPEGs (≤ the budget). */
  readonly spriteBytes: number;
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
  private readonly faces: ByteBudgetCache<string, Buffer>;
  private readonly canvases = new Map<string, Canvas>();
  private readonly quality: number;
  private readonly artImage = new Image();
  private readonly faceImage = new Image();
  private decodeQueue: Promise<unknown> = Promise.resolve();
  private sheetQueue: Promise<unknown> = Promise.resolve();
  private facesPainted = 0;
  private artFailures = 0;

  constructor(private readonly options: PullImageRendererOptions = {}) {
    ensureCardFont();
    const budget = options.spriteCacheBytes ?? DEFAULT_SPRITE_CACHE_BYTES;
    if (budget < MIN_SPRITE_CACHE_BYTES)
      throw new RangeError(`spriteCacheBytes must hold one sheet (${MIN_SPRITE_CACHE_BYTES} bytes)`);
    this.faces = new ByteBudgetCache(budget);
    this.quality = options.jpegQuality ?? JPEG_QUALITY;
  }

  stats(): RendererStats {
    return {
      spriteBytes: this.faces.bytes,
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
    // Paint missing faces, then take all ten JPEGs from the cache in one synchronous step (a
    // concurrent pull may have evicted one meanwhile: then paint again). Once taken, they are ours.
    let faces: (Buffer | undefined)[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      await Promise.all(cards.map((card) => this.ensureFace(card, source)));
      faces = cards.map((card) => this.faces.get(faceKey(card)));
      if (faces.every(Boolean)) break;
    }
    const { width, height } = sheetSize(cards.length);
    // One sheet at a time: it awaits face decodes between draws, on a shared canvas and Image.
    const drawn = this.sheetQueue.then(async () => {
      const canvas = this.canvas('sheet', width, height);
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = BACKGROUND;
      ctx.fillRect(0, 0, width, height);
      for (const [index, card] of cards.entries()) {
        const { x, y } = sheetSlot(index);
        const face = faces[index];
        if (face && (await this.decodeFace(face))) ctx.drawImage(this.faceImage, x, y);
        else {
          ctx.save();
          ctx.translate(x, y);
          paintCardBase(ctx, card, null, SMALL_CARD.width, SMALL_CARD.height);
          ctx.restore();
        }
        paintCardName(ctx, card.name, x, y, SMALL_CARD.width, SMALL_CARD.height);
        paintBadges(ctx, card, locale, x, y, SMALL_CARD.width);
      }
      // The pixels are copied now; the encode itself runs after the next sheet has started.
      return { encoded: canvas.encode('jpeg', this.quality) };
    });
    this.sheetQueue = drawn.catch(() => undefined);
    const data = await (await drawn).encoded;
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
      painted.jpeg = jpeg.length > MAX_FACE_BYTES ? canvas.encodeSync('jpeg', JPEG_QUALITY) : jpeg;
    });
    const { jpeg } = painted;
    if (!jpeg || this.faces.get(key)) return;
    this.facesPainted++;
    this.faces.set(key, jpeg, jpeg.length);
  }

  /** Decodes a face JPEG into the shared face Image; false if it did not decode (never seen). */
  private async decodeFace(jpeg: Buffer): Promise<boolean> {
    try {
      await decodeInto(this.faceImage, jpeg);
      return true;
    } catch {
      return false;
    }
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
