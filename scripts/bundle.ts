/** `npm run bundle` — esbuild bundles the bot into dist/bot/index.js for the instance's Node.js. */
import { build } from 'esbuild';
import { BUNDLE_ENTRIES, botBuildOptions, installRendererRuntime } from './bot-build-options';
import { statSync } from 'node:fs';
import path from 'node:path';

export const BOT_BUNDLE_DIR = path.resolve(__dirname, '..', 'dist', 'bot');

async function main(): Promise<void> {
  for (const [name, entry] of Object.entries(BUNDLE_ENTRIES)) {
    const outfile = path.join(BOT_BUNDLE_DIR, name);
    const result = await build({
      ...botBuildOptions(outfile, entry),
      minify: true,
      legalComments: 'linked',
      metafile: true,
    });
    const bytes = statSync(outfile).size;
    const inputs = Object.keys(result.metafile.inputs).length;
    process.stdout.write(
      `bundle: ${path.relative(process.cwd(), outfile)} ${(bytes / 1024).toFixed(1)} KiB from ${inputs} modules\n`,
    );
  }
  installRendererRuntime(BOT_BUNDLE_DIR);
  process.stdout.write(
    `bundle: card renderer (node_modules/@napi-rs) and font (fonts/) copied into ${path.relative(process.cwd(), BOT_BUNDLE_DIR)}\n`,
  );
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
