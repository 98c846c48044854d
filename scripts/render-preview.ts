/**
 * `npm run render:preview` — writes example pull images into docs/images/ (PNG, so they show in
 * the README exactly as rendered): a 10-pull with art and one without, a single pull, ja and en.
 * The "art" is painted here and goes through the real intake (check, crop to 5:7, WebP ≤ 200 KB).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadImage, createCanvas } from '@napi-rs/canvas';
import { normalizeArt } from '../app/art/normalize-art';
import { defaultCatalog } from '../app/domain/default-catalog';
import type { Catalog, Locale } from '../app/domain/catalog';
import type { PulledItem } from '../app/domain/pull-engine';
import type { PulledCard } from '../app/render/card-model';
import { pulledCards } from '../app/render/pull-cards';
import { PullImageRenderer } from '../app/render/pull-image-renderer';
import { paintingPng } from '../test/render/sample-images';

const OUT = path.resolve(__dirname, '..', 'docs', 'images');

/** A fixed, plausible 10-pull from the default catalog: mostly commons, an SR, an SSR pick-up, a UR. */
function samplePull(catalog: Catalog): PulledItem[] {
  const pick = (tierId: string, n: number): string => {
    const items = catalog.items.filter((i) => i.tierId === tierId);
    return items[n % items.length]?.id ?? '';
  };
  const plan: [string, number, boolean, boolean][] = [
    ['N', 0, false, false],
    ['R', 1, false, false],
    ['N', 2, true, false],
    ['SR', 0, false, false],
    ['N', 3, false, false],
    ['R', 2, true, false],
    ['UR', 0, false, true],
    ['N', 0, true, false],
    ['R', 3, false, false],
    ['SSR', 1, false, true],
  ];
  return plan.map(([tierId, n, duplicate, featured], index) => {
    const tier = catalog.tiers.find((t) => t.id === tierId);
    return {
      itemId: pick(tierId, n),
      tierId,
      pityCount: index + 1,
      featured,
      topTier: tierId === 'UR',
      duplicate,
      shardsGained: duplicate ? (tier?.duplicateShards ?? 0) : 0,
      guaranteeSlot: false,
    };
  });
}

async function toPng(jpeg: Buffer): Promise<Buffer> {
  const image = await loadImage(jpeg);
  const canvas = createCanvas(image.width, image.height);
  canvas.getContext('2d').drawImage(image, 0, 0);
  return canvas.encodeSync('png');
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const catalog = defaultCatalog();
  const items = samplePull(catalog);
  // Art for every item of the sample pull: paintings in different colours, through the real intake.
  const art = new Map<string, Buffer>();
  const artOfItem = new Map<string, string>();
  for (const [index, item] of items.entries()) {
    const normalized = await normalizeArt(paintingPng(600 + index * 40, 800, (index * 37) % 360));
    art.set(normalized.id, normalized.data);
    artOfItem.set(item.itemId, normalized.id);
  }
  const renderer = new PullImageRenderer({ art: { loadArt: (id) => Promise.resolve(art.get(id) ?? null) } });
  const withArt = (cards: PulledCard[]): PulledCard[] =>
    cards.map((card) => ({ ...card, artId: artOfItem.get(card.itemId) ?? null }));
  const outputs: [string, Locale, PulledCard[]][] = [
    ['pull-10-art-en.png', 'en', withArt(pulledCards(catalog, items, 'en'))],
    ['pull-10-art-ja.png', 'ja', withArt(pulledCards(catalog, items, 'ja'))],
    ['pull-10-generated-en.png', 'en', pulledCards(catalog, items, 'en')],
    ['pull-10-generated-ja.png', 'ja', pulledCards(catalog, items, 'ja')],
    ['pull-1-ja.png', 'ja', pulledCards(catalog, [items[6] as PulledItem], 'ja')],
    ['pull-1-art-en.png', 'en', withArt(pulledCards(catalog, [items[9] as PulledItem], 'en'))],
  ];
  for (const [name, locale, cards] of outputs) {
    const image = await renderer.render({ locale, cards });
    writeFileSync(path.join(OUT, name), await toPng(image.data));
    process.stdout.write(
      `render:preview: docs/images/${name} ${image.width}x${image.height} (uploaded as JPEG: ${(image.data.length / 1024).toFixed(1)} KB)\n`,
    );
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
