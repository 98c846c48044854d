/**
 * `npm run build:verifier` — the standalone verifier: the static page (web/verifier → dist/verifier/
 * index.html + verifier.js, for any static host or a local file) and the `gacha-verify` CLI
 * (dist/verifier/gacha-verify.cjs, which `npx gacha-verify` runs). Both bundle app/verifier, the
 * same code the tests check.
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
export const VERIFIER_DIR = path.join(ROOT, 'dist', 'verifier');

export async function buildVerifier(outDir: string = VERIFIER_DIR): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [path.join(ROOT, 'web', 'verifier', 'main.ts')],
    outfile: path.join(outDir, 'verifier.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: ['es2022'],
    minify: true,
    legalComments: 'linked',
    logLevel: 'error',
  });
  copyFileSync(path.join(ROOT, 'web', 'verifier', 'index.html'), path.join(outDir, 'index.html'));
  await build({
    entryPoints: [path.join(ROOT, 'tools', 'gacha-verify', 'main.ts')],
    outfile: path.join(outDir, 'gacha-verify.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    legalComments: 'linked',
    logLevel: 'error',
  });
  return ['index.html', 'verifier.js', 'gacha-verify.cjs'].map((f) => path.join(outDir, f));
}

if (require.main === module) {
  void buildVerifier()
    .then((files) => {
      for (const file of files) {
        process.stdout.write(
          `build-verifier: ${path.relative(process.cwd(), file)} ${(statSync(file).size / 1024).toFixed(1)} KiB\n`,
        );
      }
    })
    .catch((error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    });
}
