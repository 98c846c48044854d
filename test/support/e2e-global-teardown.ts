import { rmSync } from 'node:fs';
import databaseTeardown from './global-teardown';

export default async function e2eGlobalTeardown(): Promise<void> {
  await databaseTeardown();
  const dir = globalThis.__GACHA_TEST_BUNDLE_DIR__;
  globalThis.__GACHA_TEST_BUNDLE_DIR__ = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
