/** `npm run bundle` — esbuild bundles the bot into dist/bot/index.js for the instance's Node.js. */
import { build } from 'esbuild';
import { botBuildOptions } from './bot-build-options';
import { statSync } from 'node:fs';
import path from 'node:path';

export const BOT_BUNDLE_DIR = path.resolve(__dirname, '..', 'dist', 'bot');

async function main(): Promise<void> {
  const outfile = path.join(BOT_BUNDLE_DIR, 'index.js');
  const result = await build({
    ...botBuildOptions(outfile),
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

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
