/** esbuild options for the bot bundle, shared by `npm run bundle` and the end-to-end tests. */
import type { BuildOptions } from 'esbuild';
import { copyFileSync, cpSync, existsSync, mkdirSync } from 'node:fs';
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
      // The card renderer is a native module: it is required at run time from node_modules shipped
      // beside the bundle (see `installRendererRuntime`).
      ...RENDERER_PACKAGES,
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

/**
 * Packages the card renderer needs at run time, copied into `<bundle dir>/node_modules`: the JS
 * loader and the prebuilt binary for the host (Amazon Linux 2023 on x86_64, glibc). They come from
 * the npm registry's tarballs at `npm ci`; nothing is downloaded at install or run time.
 */
export const RENDERER_PACKAGES = ['@napi-rs/canvas'] as const;
export const RENDERER_PLATFORM_PACKAGE = '@napi-rs/canvas-linux-x64-gnu';
/** The card font (Noto Sans JP Bold, SIL OFL 1.1) and its licence, copied into `<bundle dir>/fonts`. */
export const CARD_FONT_SOURCE = path.join('@embedpdf', 'fonts-jp');
const CARD_FONT_FILES = [path.join('fonts', 'NotoSansJP-Bold.otf'), 'LICENSE'] as const;

/** Copies the renderer's node_modules and the card font next to a bundle in `bundleDir`. */
export function installRendererRuntime(
  bundleDir: string,
  nodeModules = path.resolve(__dirname, '..', 'node_modules'),
): void {
  for (const name of [...RENDERER_PACKAGES, RENDERER_PLATFORM_PACKAGE]) {
    const from = path.join(nodeModules, name);
    if (!existsSync(from)) {
      throw new Error(
        `${name} is missing from node_modules: the release runs on linux-x64 (glibc); bundle on such a machine after npm ci`,
      );
    }
    cpSync(from, path.join(bundleDir, 'node_modules', name), { recursive: true, dereference: true });
  }
  const fonts = path.join(bundleDir, 'fonts');
  mkdirSync(fonts, { recursive: true });
  copyFileSync(path.join(nodeModules, CARD_FONT_SOURCE, CARD_FONT_FILES[0]), path.join(fonts, 'NotoSansJP-Bold.otf'));
  copyFileSync(path.join(nodeModules, CARD_FONT_SOURCE, CARD_FONT_FILES[1]), path.join(fonts, 'OFL-NotoSansJP.txt'));
}
