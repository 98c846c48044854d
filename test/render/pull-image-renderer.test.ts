import { createCanvas, loadImage } from '@napi-rs/canvas';
import type { Image } from '@napi-rs/canvas';
import { CARD_FONT_FAMILY, CardFontMissingError, cardFont, ensureCardFont } from '../../app/render/card-font';
import { LARGE_CARD, SMALL_CARD, drawableText, fitLines } from '../../app/render/card-painter';
import {
  MAX_FACE_BYTES,
  MIN_SPRITE_CACHE_BYTES,
  PullImageRenderer,
  bestCard,
  sheetSize,
  sheetSlot,
} from '../../app/render/pull-image-renderer';
import { pulledCards } from '../../app/render/pull-cards';
import { defaultCatalog } from '../../app/domain/default-catalog';
import type { PulledItem } from '../../app/domain/pull-engine';
import { paintingPng, pulled } from './sample-images';

function pixel(image: Image, x: number, y: number): [number, number, number] {
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const d = ctx.getImageData(x, y, 1, 1).data;
  return [d[0] ?? 0, d[1] ?? 0, d[2] ?? 0];
}

function near(actual: [number, number, number], color: number, tolerance = 40): boolean {
  const expected = [(color >> 16) & 0xff, (color >> 8) & 0xff, color & 0xff];
  return actual.every((v, i) => Math.abs(v - (expected[i] ?? 0)) <= tolerance);
}

const NAMES = [
  '天叢雲剣',
  'Wooden Sword',
  '紙の扇子',
  'Rice Ball',
  '竹笛',
  'Straw Hat',
  '木の剣',
  'Paper Fan',
  '麦わら帽子',
  'Moon Blade',
];

describe('PullImageRenderer', () => {
  const renderer = new PullImageRenderer();

  it('draws a 10-pull as one JPEG sheet of ten cards in draw order, each framed in its tier colour', async () => {
    const cards = NAMES.map((name, i) => pulled(i, name));
    const image = await renderer.render({ locale: 'ja', cards });
    expect(image.contentType).toBe('image/jpeg');
    expect(image.fileName).toBe('pulls.jpg');
    expect([image.width, image.height]).toEqual([sheetSize(10).width, sheetSize(10).height]);
    expect(image.data.length).toBeLessThanOrEqual(300 * 1024);
    const decoded = await loadImage(image.data);
    expect([decoded.width, decoded.height]).toEqual([image.width, image.height]);
    // The frame's left edge, half way down each card, carries the tier's colour (draw order kept).
    cards.forEach((card, i) => {
      const { x, y } = sheetSlot(i);
      const edge = pixel(decoded, x + 3, y + SMALL_CARD.height / 2);
      // Frames from 4 stars up shine (the colour blended towards white): bright, red strongest.
      if (card.tier.stars >= 4) {
        expect(edge[0] + edge[1] + edge[2]).toBeGreaterThan(400);
        expect(edge[0]).toBeGreaterThanOrEqual(Math.max(edge[1], edge[2]));
      } else expect(near(edge, card.tier.color, 70)).toBe(true);
    });
  });

  it('draws a single pull as its card large', async () => {
    const image = await renderer.render({ locale: 'en', cards: [pulled(2, 'Moon Blade', { featured: true })] });
    expect(image.fileName).toBe('pull.jpg');
    expect([image.width, image.height]).toEqual([LARGE_CARD.width, LARGE_CARD.height]);
    const decoded = await loadImage(image.data);
    expect(near(pixel(decoded, 3, LARGE_CARD.height / 2), 0x9c27b0, 70)).toBe(true);
  });

  it('reuses painted faces: a second pull of the same items paints nothing new', async () => {
    const local = new PullImageRenderer();
    const cards = NAMES.map((name, i) => pulled(i, name));
    await local.render({ locale: 'en', cards });
    const painted = local.stats().facesPainted;
    expect(painted).toBe(10);
    await local.render({ locale: 'en', cards: [...cards].reverse() });
    expect(local.stats().facesPainted).toBe(painted);
    // Faces are kept as JPEG only (each well under its 140 KiB of pixels), decoded when drawn.
    expect(local.stats().spriteBytes).toBeGreaterThan(10 * 1024);
    expect(local.stats().spriteBytes).toBeLessThanOrEqual(10 * MAX_FACE_BYTES);
    expect(local.stats().sprites).toBe(10);
    // The reused canvases: one for painting faces, one sheet.
    const sheet = sheetSize(10);
    expect(local.stats().canvasBytes).toBe((SMALL_CARD.width * SMALL_CARD.height + sheet.width * sheet.height) * 4);
  });

  it('keeps its face cache within the byte budget', async () => {
    const budget = MIN_SPRITE_CACHE_BYTES;
    const local = new PullImageRenderer({ spriteCacheBytes: budget });
    // 120 distinct faces: more JPEG bytes than the smallest budget holds.
    let last = await local.render({ locale: 'en', cards: NAMES.map((name, i) => pulled(i, name)) });
    for (let batch = 1; batch < 12; batch++)
      last = await local.render({
        locale: 'en',
        cards: NAMES.map((name, i) => ({ ...pulled(i, name), itemId: `other-${batch}-${i}` })),
      });
    const { spriteBytes, sprites, facesPainted } = local.stats();
    expect(facesPainted).toBe(120);
    expect(spriteBytes).toBeLessThanOrEqual(budget);
    // The budget holds one sheet for sure, and not all 120 faces: some were evicted.
    expect(sprites).toBeGreaterThanOrEqual(10);
    expect(sprites).toBeLessThan(120);
    // The last pull's faces are still drawn in their own tier colours.
    const { x, y } = sheetSlot(1);
    expect(near(pixel(await loadImage(last.data), x + 3, y + SMALL_CARD.height / 2), 0x2196f3, 70)).toBe(true);
    expect(() => new PullImageRenderer({ spriteCacheBytes: budget - 1 })).toThrow(RangeError);
  });

  it('renders concurrent pulls independently although they share one canvas', async () => {
    const allN = Array.from({ length: 10 }, (_, i) => ({ ...pulled(0, `n${i}`), itemId: `n${i}` }));
    const allR = Array.from({ length: 10 }, (_, i) => ({ ...pulled(1, `r${i}`), itemId: `r${i}` }));
    const [a, b] = await Promise.all([
      renderer.render({ locale: 'en', cards: allN }),
      renderer.render({ locale: 'en', cards: allR }),
    ]);
    const { x, y } = sheetSlot(7);
    expect(near(pixel(await loadImage(a.data), x + 3, y + 112), 0x9e9e9e, 70)).toBe(true);
    expect(near(pixel(await loadImage(b.data), x + 3, y + 112), 0x2196f3, 70)).toBe(true);
  });

  it('draws stored art inside the frame, and a generated card when the art cannot be loaded', async () => {
    const art = paintingPng(320, 448, 120);
    const local = new PullImageRenderer({
      art: { loadArt: (id) => Promise.resolve(id === 'a'.repeat(64) ? art : null) },
    });
    const withArt = await local.render({ locale: 'en', cards: [{ ...pulled(1, 'Art'), artId: 'a'.repeat(64) }] });
    const missing = await local.render({ locale: 'en', cards: [{ ...pulled(1, 'Art'), artId: 'b'.repeat(64) }] });
    expect(local.stats().artFailures).toBe(1);
    // Centre of the card: the painting's sun/hills, not the generated gradient.
    const centreArt = pixel(await loadImage(withArt.data), 160, 300);
    const centreGenerated = pixel(await loadImage(missing.data), 160, 300);
    expect(centreArt).not.toEqual(centreGenerated);
    // A per-request source (one guild's art) overrides the renderer's default.
    const perGuild = await new PullImageRenderer().render({
      locale: 'en',
      cards: [{ ...pulled(1, 'Art'), artId: 'a'.repeat(64) }],
      art: { loadArt: () => Promise.resolve(art) },
    });
    expect(pixel(await loadImage(perGuild.data), 160, 300)).toEqual(centreArt);
    // Bytes that do not decode also fall back to a generated card.
    const broken = new PullImageRenderer({ art: { loadArt: () => Promise.resolve(Buffer.from('not an image')) } });
    const fallback = await broken.render({ locale: 'en', cards: [{ ...pulled(1, 'Art'), artId: 'c'.repeat(64) }] });
    expect(broken.stats().artFailures).toBe(1);
    expect(pixel(await loadImage(fallback.data), 160, 300)).toEqual(pixel(await loadImage(missing.data), 160, 300));
  });

  it('refuses an empty or oversized pull', async () => {
    await expect(renderer.render({ locale: 'en', cards: [] })).rejects.toThrow(RangeError);
    await expect(
      renderer.render({ locale: 'en', cards: Array.from({ length: 11 }, (_, i) => pulled(i, 'x')) }),
    ).rejects.toThrow(RangeError);
  });

  it('maps a catalog pull to cards: localized names, stars by rank, NEW for first copies', () => {
    const catalog = defaultCatalog();
    const items: PulledItem[] = [
      {
        itemId: 'wooden-sword',
        tierId: 'N',
        pityCount: 1,
        featured: false,
        topTier: false,
        duplicate: false,
        shardsGained: 0,
        guaranteeSlot: false,
      },
      {
        itemId: 'wooden-sword',
        tierId: 'N',
        pityCount: 2,
        featured: false,
        topTier: false,
        duplicate: true,
        shardsGained: 1,
        guaranteeSlot: false,
      },
    ];
    const [first, second] = pulledCards(catalog, items, 'ja');
    expect(first).toMatchObject({
      name: '木の剣',
      isNew: true,
      shardsGained: 0,
      artId: null,
      tier: { id: 'N', stars: 1, top: false },
    });
    expect(second).toMatchObject({ isNew: false, shardsGained: 1 });
    expect(bestCard([first!, { ...second!, tier: { ...second!.tier, stars: 5 } }]).tier.stars).toBe(5);
  });
});

describe('card text', () => {
  it('renders Japanese glyphs with the bundled font (distinct kanji give distinct pixels, not tofu)', () => {
    ensureCardFont();
    const draw = (text: string): string => {
      const canvas = createCanvas(64, 64);
      const ctx = canvas.getContext('2d');
      ctx.font = cardFont(48);
      ctx.fillStyle = '#fff';
      ctx.fillText(text, 4, 52);
      return Buffer.from(ctx.getImageData(0, 0, 64, 64).data).toString('base64');
    };
    expect(draw('剣')).not.toEqual(draw('鍵'));
    expect(draw('あ')).not.toEqual(draw('ア'));
    expect(cardFont(12)).toContain(CARD_FONT_FAMILY);
  });

  it('fits long names into two lines with an ellipsis and strips control and bidi-override characters', () => {
    const ctx = createCanvas(10, 10).getContext('2d');
    ctx.font = cardFont(14);
    const lines = fitLines(ctx, 'とても長い名前'.repeat(20), 140, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1]?.endsWith('…')).toBe(true);
    for (const line of lines) expect(ctx.measureText(line).width).toBeLessThanOrEqual(140);
    expect(drawableText('a\u202Eb\u0007c\u200Bd')).toBe('abc\u200Bd');
    expect(Array.from(drawableText('字'.repeat(300)))).toHaveLength(100);
  });

  it('says which paths it searched when the font is missing', () => {
    const error = new CardFontMissingError(['/nowhere/fonts/x.otf']);
    expect(error.message).toContain('/nowhere/fonts/x.otf');
  });
});
