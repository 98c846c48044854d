import { startMongoServer, type RunningMongoServer } from './mongo-server';

declare global {
  var __GACHA_MONGO_SERVER__: RunningMongoServer | undefined;
}

/**
 * Starts the test database for the run. The integration and e2e projects both call it (e2e through
 * e2e-global-setup.ts); when both run, the second call finds the server running.
 */
export default async function globalSetup(): Promise<void> {
  if (globalThis.__GACHA_MONGO_SERVER__) return;
  const server = await startMongoServer((line) => process.stderr.write(`[test-db] ${line}\n`));
  globalThis.__GACHA_MONGO_SERVER__ = server;
  // Workers are started after global setup and inherit this environment.
  process.env.GACHA_TEST_MONGODB_URI = server.uri;
  process.env.GACHA_TEST_MONGODB_KIND = server.kind;
  process.stderr.write(`[test-db] using ${server.kind} at ${server.uri.replace(/\/\/[^@/]*@/, '//***@')}\n`);
}
