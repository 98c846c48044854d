/** esbuild options for the bot bundle, shared by `npm run bundle` and the end-to-end tests. */
import type { BuildOptions } from 'esbuild';
import path from 'node:path';

export function botBuildOptions(outfile: string): BuildOptions {
  return {
    entryPoints: [path.resolve(__dirname, '..', 'app', 'main.ts')],
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
