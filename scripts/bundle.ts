/** `npm run bundle` — esbuild bundles the bot into dist/bot/index.js for the instance's Node.js. */
import { build } from 'esbuild';
import { statSync } from 'node:fs';
import path from 'node:path';

export const BOT_BUNDLE_DIR = path.resolve(__dirname, '..', 'dist', 'bot');

async function main(): Promise<void> {
  const outfile = path.join(BOT_BUNDLE_DIR, 'index.js');
  const result = await build({
    entryPoints: [path.resolve(__dirname, '..', 'app', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    sourcemap: true,
    minify: true,
    keepNames: true,
    legalComments: 'linked',
    metafile: true,
    // Optional native helpers of discord.js / ws and optional MongoDB driver add-ons stay external.
    external: [
      'zlib-sync',
      'bufferutil',
      'utf-8-validate',
      'kerberos',
      '@mongodb-js/zstd',
      '@aws-sdk/credential-providers',
      'snappy',
      'socks',
      'aws4',
      'mongodb-client-encryption',
      'gcp-metadata',
    ],
    logLevel: 'warning',
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
