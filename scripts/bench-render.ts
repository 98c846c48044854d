/**
 * `npm run bench:render [-- --renders N]` — CPU per pull image (p50/p99, user+system of all
 * threads, so encoding on libuv's pool is included), bytes uploaded, and the bot's RSS growth:
 * the cost of loading the native library and the font (measured in a fresh Node.js process) plus
 * the growth from then to after N renders of each kind, with stored art for every item of the
 * default catalog. The art is made in a child process first, so its source images never sit in
 * this one. Prints figures; asserts nothing (the budget is in README "Card art and pull images").
 */
import { execFileSync, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ART_LIMITS } from '../app/art/art-limits';
import { normalizeArt } from '../app/art/normalize-art';
import { defaultCatalog } from '../app/domain/default-catalog';
import type { PulledItem } from '../app/domain/pull-engine';
import { pulledCards } from '../app/render/pull-cards';
import { DEFAULT_SPRITE_CACHE_BYTES, PullImageRenderer } from '../app/render/pull-image-renderer';
import { CARD_FONT_FAMILY, ensureCardFont } from '../app/render/card-font';
import { SMALL_CARD } from '../app/render/card-painter';
import { paintingPng } from '../test/render/sample-images';
import { SeededRng } from '../test/support/seeded-rng';

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))] ?? 0;
}

const mib = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);

/** Child mode: one normalised art file per default-catalog item, named by item id. */
async function makeArt(dir: string): Promise<void> {
  for (const [index, item] of defaultCatalog().items.entries()) {
    const art = await normalizeArt(paintingPng(480, 672, (index * 29) % 360));
    writeFileSync(path.join(dir, `${item.id}.webp`), art.data);
  }
}

/** RSS a fresh Node.js process gains by loading the canvas library, the font and drawing text once. */
function libraryLoadBytes(): number {
  const font = ensureCardFont();
  const probe = `const r0=process.memoryUsage().rss;const c=require('@napi-rs/canvas');
c.GlobalFonts.registerFromPath(${JSON.stringify(font)},'${CARD_FONT_FAMILY}');
const v=c.createCanvas(160,224);const g=v.getContext('2d');g.font='bold 16px ${CARD_FONT_FAMILY}';g.fillText('天照大神 Amaterasu',4,100);
v.encodeSync('jpeg',82);process.stdout.write(String(process.memoryUsage().rss-r0));`;
  return Number(execFileSync(process.execPath, ['-e', probe], { cwd: path.resolve(__dirname, '..') }).toString());
}

async function main(): Promise<void> {
  const renders = argument('renders', 300);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-render-'));
  await new Promise<void>((resolve, reject) => {
    const child = fork(__filename, ['--make-art', dir], { stdio: 'inherit' });
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`art child exited ${code}`));
    });
  });
  const loadBytes = libraryLoadBytes();
  const catalog = defaultCatalog();
  const art = new Map<string, Buffer>();
  const artOfItem = new Map<string, string>();
  for (const file of readdirSync(dir)) {
    const data = readFileSync(path.join(dir, file));
    const artId = createHash('sha256').update(data).digest('hex');
    art.set(artId, data);
    artOfItem.set(file.replace(/\.webp$/, ''), artId);
  }
  rmSync(dir, { recursive: true, force: true });
  const rssBefore = process.memoryUsage().rss;
  const renderer = new PullImageRenderer({ art: { loadArt: (id) => Promise.resolve(art.get(id) ?? null) } });
  const rng = new SeededRng(42);
  const pick = (n: number): number => rng.nextInt(n);
  const randomPull = (count: number, withArt: boolean) => {
    const items: PulledItem[] = Array.from({ length: count }, () => {
      const item = catalog.items[pick(catalog.items.length)] ?? catalog.items[0];
      const duplicate = pick(2) === 0;
      return {
        itemId: item?.id ?? '',
        tierId: item?.tierId ?? '',
        pityCount: 1,
        featured: pick(10) === 0,
        topTier: false,
        duplicate,
        shardsGained: duplicate ? 3 : 0,
        guaranteeSlot: false,
      };
    });
    return pulledCards(catalog, items, pick(2) === 0 ? 'ja' : 'en').map((card) => ({
      ...card,
      artId: withArt ? (artOfItem.get(card.itemId) ?? null) : null,
    }));
  };

  const measure = async (label: string, count: number, withArt: boolean, n: number) => {
    const cpu: number[] = [];
    const wall: number[] = [];
    let bytes = 0;
    let maxBytes = 0;
    for (let i = 0; i < n; i++) {
      const cards = randomPull(count, withArt);
      const started = process.cpuUsage();
      const t0 = performance.now();
      const image = await renderer.render({ locale: 'en', cards });
      wall.push(performance.now() - t0);
      const used = process.cpuUsage(started);
      cpu.push((used.user + used.system) / 1000);
      bytes += image.data.length;
      maxBytes = Math.max(maxBytes, image.data.length);
    }
    process.stdout.write(
      `${label.padEnd(28)} CPU p50 ${percentile(cpu, 0.5).toFixed(1)} ms  p99 ${percentile(cpu, 0.99).toFixed(1)} ms  ` +
        `wall p50 ${percentile(wall, 0.5).toFixed(1)} ms  upload mean ${(bytes / n / 1024).toFixed(1)} KB  max ${(maxBytes / 1024).toFixed(1)} KB\n`,
    );
  };

  // Cold: every face painted for the first time (what a fresh process pays once per item).
  await measure('10-pull, cold faces, art', 10, true, 3);
  // Steady state: every face of the measured kind painted once (a catalog's items have art or not).
  const warm = async (withArt: boolean): Promise<void> => {
    for (const item of catalog.items) {
      const [card] = pulledCards(
        catalog,
        [
          {
            itemId: item.id,
            tierId: item.tierId,
            pityCount: 1,
            featured: false,
            topTier: false,
            duplicate: false,
            shardsGained: 0,
            guaranteeSlot: false,
          },
        ],
        'en',
      );
      if (card) await renderer.prepare({ ...card, artId: withArt ? (artOfItem.get(item.id) ?? null) : null });
    }
  };
  await warm(true);
  await measure('10-pull, art', 10, true, renders);
  await warm(false);
  await measure('10-pull, generated', 10, false, renders);
  await warm(true);
  await measure('single, art', 1, true, renders);
  await measure('single, generated', 1, false, renders);
  const stats = renderer.stats();
  const rssAfter = process.memoryUsage().rss;
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    process.stdout.write(
      `after gc: growth ${mib(process.memoryUsage().rss - rssBefore)} MiB, heap ${mib(process.memoryUsage().heapUsed)} external ${mib(process.memoryUsage().external)} arrayBuffers ${mib(process.memoryUsage().arrayBuffers)}\n`,
    );
  }
  const artPixels = ART_LIMITS.width * ART_LIMITS.height * 4;
  const growth = rssAfter - rssBefore;
  process.stdout.write(
    `items ${catalog.items.length}, stored art ${mib([...art.values()].reduce((sum, b) => sum + b.length, 0))} MiB\n` +
      `caches and their bounds:\n` +
      `  card faces (JPEG)                   ${mib(stats.spriteBytes)} MiB in ${stats.sprites} faces, bound ${mib(DEFAULT_SPRITE_CACHE_BYTES)} MiB\n` +
      `  reused canvases (face, sheet, card) ${mib(stats.canvasBytes)} MiB, fixed (one per size)\n` +
      `  decoded art, decoded face           ${mib(artPixels)} + ${mib(SMALL_CARD.width * SMALL_CARD.height * 4)} MiB, fixed (one reused Image each)\n` +
      `  Skia glyph and image caches         Skia's own limits (not settable in @napi-rs/canvas 1.1.1)\n` +
      `RSS growth over ${renders * 4} renders: ${mib(growth)} MiB; ` +
      `library + font load ${mib(loadBytes)} MiB (fresh process); total ${mib(loadBytes + growth)} MiB\n`,
  );
}

const makeArtAt = process.argv.indexOf('--make-art');
void (makeArtAt >= 0 ? makeArt(process.argv[makeArtAt + 1] ?? '') : main()).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
