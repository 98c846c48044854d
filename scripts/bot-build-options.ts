/** esbuild options for the bot bundle, shared by `npm run bundle` and the end-to-end tests. */
import type { BuildOptions } from 'esbuild';
import path from 'node:path';

/** Entry points shipped in the release: the bot and the backup/restore command beside it. */
export const BUNDLE_ENTRIES = { 'index.js': 'main.ts', 'backup.js': 'backup-main.ts' } as const;

export function botBuildOptions(outfile: string, entry: string = BUNDLE_ENTRIES['index.js']): BuildOptions {
  return {
    entryPoints: [path.resolve(__dirname, '..', 'app', entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    sourcemap: true,
    keepNames: true,
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
  };
}
