/** Stops the test database; the second call (integration and e2e both tear down) finds it stopped. */
export default async function globalTeardown(): Promise<void> {
  const server = globalThis.__GACHA_MONGO_SERVER__;
  globalThis.__GACHA_MONGO_SERVER__ = undefined;
  await server?.stop();
}
