/**
 * Global setup of the e2e project: the test database (shared with the integration project when
 * both run: started once) and the bot bundle, built once for the whole run instead of once per
 * test file; the workers, started afterwards, inherit its path.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SHARED_BUNDLE_ENV, buildBundleInto } from '../e2e/bot-process';
import databaseSetup from './global-setup';

declare global {
  var __GACHA_TEST_BUNDLE_DIR__: string | undefined;
}

export default async function e2eGlobalSetup(): Promise<void> {
  await databaseSetup();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gacha-bundle-'));
  globalThis.__GACHA_TEST_BUNDLE_DIR__ = dir;
  const started = Date.now();
  process.env[SHARED_BUNDLE_ENV] = await buildBundleInto(dir);
  process.stderr.write(`[e2e] bot bundle built once for this run in ${Date.now() - started} ms: ${dir}\n`);
}
