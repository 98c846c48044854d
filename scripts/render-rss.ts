/**
 * `npx tsx scripts/render-rss.ts [--renders N] [--items N]` — the pull images' memory, not time:
 * RSS before the canvas library is loaded, after loading it and the card font (what the bot pays
 * on its first pull), and every N/4 renders of a mix of 10-pulls and single pulls over `--items`
 * items (default 600) of which five in six use 50 distinct stored art images (several items share
 * each) and the rest are generated cards: more faces than the face cache holds (~240 at its
 * default bound), so it evicts and repaints throughout. The art is made in a child process first,
 * so its source images never sit in this one; art is served as ArtStore serves it, through a cache
 * of the stored bytes with the bot's bound (DEFAULT_ART_CACHE_BYTES), a miss being a new copy.
 *
 * It runs itself again in a child Node.js process with `--expose-gc`, the bot's V8 flags
 * (botNodeFlags) and the glibc malloc settings of the bot's systemd unit (BOT_MALLOC_ENV), as the
 * bot runs on the host; `--glibc-defaults` leaves the malloc settings out, to compare. Prints figures; asserts nothing (the budget, +40 MB with art
 * loaded, is in README "Card art and pull images").
 */
import { fork, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ByteBudgetCache } from '../app/render/byte-budget-cache';
import { DEFAULT_ART_CACHE_BYTES } from '../app/storage/art-store';
import { ENVIRONMENTS } from '../lib/config/environments';
import { BOT_MALLOC_ENV, botNodeFlags } from '../lib/constructs/release/host-files';

const ART_IMAGES = 50;

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

const mib = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);
const rss = (): number => process.memoryUsage().rss;

/** Anonymous (heap, native buffers) and file-backed (the mapped library and fonts) RSS, Linux only. */
function rssKinds(): { anon: number; file: number } | null {
  try {
    const rollup = readFileSync('/proc/self/smaps_rollup', 'utf8');
    const field = (name: string): number =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0) * 1024;
    return { anon: field('Anonymous'), file: field('Rss') - field('Anonymous') };
  } catch {
    return null;
  }
}

const kinds = (from: { anon: number; file: number } | null): string => {
  const now = rssKinds();
  return now && from ? ` [anonymous +${mib(now.anon - from.anon)}, file-backed +${mib(now.file - from.file)}]` : '';
};

/** Child mode: ART_IMAGES normalised art files (the stored form, 320×448 WebP). */
async function makeArt(dir: string): Promise<void> {
  const { normalizeArt } = await import('../app/art/normalize-art.js');
  const { paintingPng } = await import('../test/render/sample-images.js');
  for (let index = 0; index < ART_IMAGES; index++) {
    // Varied sizes and hues, as admins upload them; all stored as 320×448.
    const art = await normalizeArt(paintingPng(400 + (index % 5) * 160, 560 + (index % 5) * 224, (index * 37) % 360));
    writeFileSync(path.join(dir, `${String(index).padStart(2, '0')}.webp`), art.data);
  }
}

/** A small deterministic generator (the figures must not depend on Math.random). */
function rng(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

async function main(): Promise<void> {
  const renders = argument('renders', 1200);
  const items = argument('items', 600);
  // Five items in six have art (ten or more items share each image), the rest are generated.
  const artItems = Math.ceil((items * 5) / 6);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'render-rss-'));
  await new Promise<void>((resolve, reject) => {
    const child = fork(__filename, ['--make-art', dir], { stdio: 'inherit' });
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`art child exited ${code}`));
    });
  });
  const art = new Map<string, Buffer>();
  const artIds: string[] = [];
  for (const file of readdirSync(dir).sort()) {
    const data = readFileSync(path.join(dir, file));
    const artId = createHash('sha256').update(data).digest('hex');
    art.set(artId, data);
    artIds.push(artId);
  }
  rmSync(dir, { recursive: true, force: true });
  const artBytes = [...art.values()].reduce((sum, b) => sum + b.length, 0);

  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rssBefore = rss();
  const kindsBefore = rssKinds();
  process.stdout.write(
    `${Object.keys(BOT_MALLOC_ENV)
      .map((name) => `${name}=${process.env[name] ?? '(unset)'}`)
      .join(
        ' ',
      )} ${process.execArgv.filter((flag) => flag.startsWith('--max-')).join(' ')}, ${os.cpus().length} CPUs, Node.js ${process.version}, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')}\n` +
      `before the library:        RSS ${mib(rssBefore)} MiB (stored art in this process: ${ART_IMAGES} images, ${mib(artBytes)} MiB)\n`,
  );

  const { PullImageRenderer } = await import('../app/render/pull-image-renderer.js');
  const { pulled } = await import('../test/render/sample-images.js');
  // As ArtStore serves it: a cache of the stored bytes bounded like the bot's, a miss a new copy
  // (a database read) that is then cached.
  const artCache = new ByteBudgetCache<string, Buffer>(DEFAULT_ART_CACHE_BYTES);
  const loadArt = (id: string): Promise<Buffer | null> => {
    const cached = artCache.get(id);
    if (cached) return Promise.resolve(cached);
    const stored = art.get(id);
    if (!stored) return Promise.resolve(null);
    const read = Buffer.from(stored);
    artCache.set(id, read, read.length);
    return Promise.resolve(read);
  };
  const renderer = new PullImageRenderer({ art: { loadArt } });
  // Draws text once, so the font's glyphs are loaded as on the first pull.
  await renderer.render({ locale: 'ja', cards: [pulled(items + 1, '天照大神 Amaterasu')] });
  gc?.();
  const rssLoaded = rss();
  process.stdout.write(
    `after library + font:      RSS ${mib(rssLoaded)} MiB (+${mib(rssLoaded - rssBefore)})${kinds(kindsBefore)}\n`,
  );

  const pick = rng(16);
  const card = (locale: 'en' | 'ja') => {
    const index = pick(items);
    const artId = index < artItems ? (artIds[index % ART_IMAGES] ?? null) : null;
    return pulled(index, locale === 'ja' ? `アイテム ${index}` : `Item ${index}`, {
      artId,
      isNew: pick(3) === 0,
      featured: pick(10) === 0,
    });
  };
  let peak = rssLoaded;
  for (let i = 1; i <= renders; i++) {
    const locale = pick(2) === 0 ? 'ja' : 'en';
    const count = pick(3) === 0 ? 1 : 10;
    await renderer.render({ locale, cards: Array.from({ length: count }, () => card(locale)) });
    peak = Math.max(peak, rss());
    if (i % Math.max(1, Math.floor(renders / 4)) === 0 || i === renders) {
      const stats = renderer.stats();
      process.stdout.write(
        `after ${String(i).padStart(5)} renders:     RSS ${mib(rss())} MiB (+${mib(rss() - rssBefore)} since before the library), ` +
          `faces ${stats.sprites} (${mib(stats.spriteBytes)} MiB of JPEG), painted ${stats.facesPainted}${kinds(kindsBefore)}\n`,
      );
    }
  }
  const rssEnd = rss();
  let afterGc = '';
  if (gc) {
    gc();
    afterGc = `, after a full GC ${mib(rss() - rssBefore)} MiB`;
  }
  const m = process.memoryUsage();
  process.stdout.write(
    `growth: library + font ${mib(rssLoaded - rssBefore)} MiB, renders +${mib(rssEnd - rssLoaded)} MiB, ` +
      `total ${mib(rssEnd - rssBefore)} MiB (peak ${mib(peak - rssBefore)})${afterGc}\n` +
      `heap used ${mib(m.heapUsed)} MiB, external ${mib(m.external)} MiB, arrayBuffers ${mib(m.arrayBuffers)} MiB\n`,
  );
}

/** Runs main() in a child with the bot's allocator settings (glibc reads them once, at start). */
function measureInChild(): void {
  const glibcDefaults = process.argv.includes('--glibc-defaults');
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries({ ...process.env, RENDER_RSS_MEASURE: '1' }).filter(([name]) => !(name in BOT_MALLOC_ENV)),
  );
  const nodeFlags = botNodeFlags(ENVIRONMENTS.prod.tuning);
  const result = spawnSync(
    process.execPath,
    [...nodeFlags, '--expose-gc', '--import', 'tsx', __filename, ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      env: glibcDefaults ? env : { ...env, ...BOT_MALLOC_ENV },
    },
  );
  process.exit(result.status ?? 1);
}

const makeArtAt = process.argv.indexOf('--make-art');
if (makeArtAt < 0 && !process.env.RENDER_RSS_MEASURE) measureInChild();
else
  void (makeArtAt >= 0 ? makeArt(process.argv[makeArtAt + 1] ?? '') : main()).catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
