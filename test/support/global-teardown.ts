export default async function globalTeardown(): Promise<void> {
  await globalThis.__GACHA_MONGO_SERVER__?.stop();
}
