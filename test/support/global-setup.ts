import { startMongoServer, type RunningMongoServer } from './mongo-server';

declare global {
  var __GACHA_MONGO_SERVER__: RunningMongoServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  const server = await startMongoServer((line) => process.stderr.write(`[test-db] ${line}\n`));
  globalThis.__GACHA_MONGO_SERVER__ = server;
  // Workers are started after global setup and inherit this environment.
  process.env.GACHA_TEST_MONGODB_URI = server.uri;
  process.env.GACHA_TEST_MONGODB_KIND = server.kind;
  process.stderr.write(`[test-db] using ${server.kind} at ${server.uri.replace(/\/\/[^@/]*@/, '//***@')}\n`);
}
