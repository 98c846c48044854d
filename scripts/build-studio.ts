/**
 * Builds the Banner Studio (web/studio) into dist/studio/: one esbuild bundle of the page and the
 * app/domain code it uses, plus index.html and the stylesheet. Any static host can serve the
 * directory. `npm run build:studio`.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(__dirname, '..');
export const STUDIO_SOURCE = resolve(ROOT, 'web', 'studio');
export const STUDIO_OUT = resolve(ROOT, 'dist', 'studio');

export async function buildStudio(outdir: string = STUDIO_OUT): Promise<void> {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [resolve(STUDIO_SOURCE, 'main.ts')],
    outfile: resolve(outdir, 'studio.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome120', 'firefox120', 'safari17'],
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    tsconfig: resolve(STUDIO_SOURCE, 'tsconfig.json'),
    logLevel: 'warning',
  });
  copyFileSync(resolve(STUDIO_SOURCE, 'index.html'), resolve(outdir, 'index.html'));
  copyFileSync(resolve(STUDIO_SOURCE, 'studio.css'), resolve(outdir, 'studio.css'));
}

if (require.main === module) {
  buildStudio().then(
    () => {
      console.log(`built ${STUDIO_OUT}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
