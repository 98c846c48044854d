/**
 * Bot process entry: validate configuration, open the database, migrate, settle anything a crash
 * left unfinished, log in to Discord, and shut down cleanly on SIGTERM/SIGINT.
 */
import { Client, GatewayIntentBits, Options } from 'discord.js';
import { MongoClient } from 'mongodb';
import { ConfigError, loadConfig } from './config';
import { GachaService } from './services/gacha-service';
import { migrate } from './storage/schema';

const RECOVERY_INTERVAL_MS = 5 * 60_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const mongo = new MongoClient(config.MONGODB_URI, { maxPoolSize: 20, serverSelectionTimeoutMS: 5_000 });
  await mongo.connect();
  const db = mongo.db(config.MONGODB_DATABASE);
  const applied = await migrate(db);
  const gacha = new GachaService(db);
  const recovered = await gacha.recover();
  process.stdout.write(`${JSON.stringify({ msg: 'database ready', migrations: applied, recovered })}\n`);
  // Later passes finish operations that failed mid-way while the process kept running.
  const recovery = setInterval(() => {
    gacha.recover().catch((error: unknown) => {
      process.stderr.write(`${JSON.stringify({ msg: 'recovery pass failed', error: String(error) })}\n`);
    });
  }, RECOVERY_INTERVAL_MS);
  recovery.unref();

  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      UserManager: 1_000,
      GuildMemberManager: 100,
    }),
    ...(config.DISCORD_API_BASE ? { rest: { api: config.DISCORD_API_BASE } } : {}),
  });
  client.once('clientReady', () => {
    process.stdout.write(`${JSON.stringify({ msg: 'gateway ready', guilds: client.guilds.cache.size })}\n`);
  });

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${JSON.stringify({ msg: 'shutting down', signal })}\n`);
    clearInterval(recovery);
    void client
      .destroy()
      .then(() => mongo.close())
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', () => {
    shutdown('SIGTERM');
  });
  process.on('SIGINT', () => {
    shutdown('SIGINT');
  });
  await client.login(config.DISCORD_TOKEN);
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError ? error.message : `fatal: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
