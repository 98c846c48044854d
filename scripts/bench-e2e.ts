/**
 * `npm run bench:e2e` — the load benchmark, end to end. The bundled bot runs as its own process,
 * the test database (FerretDB, or MONGODB_URI) as another; this process plays Discord (the
 * simulator) and 2,000 players in 20 guilds sending a realistic mix (45 % single pulls, 25 %
 * 10-pulls, 10 % daily, 10 % profile, 10 % collection) at fixed offered rates, then a burst.
 *
 * Prints per phase: achieved throughput, reply latency p50/p95/p99 (interaction dispatched → first
 * callback received, which is what Discord's 3 s deadline applies to) and to the final answer,
 * share within 3 s, bot and database CPU-ms per interaction (from /proc), bot peak/steady RSS.
 *
 *   BENCH_RATES=20,100,300 BENCH_SECONDS=20 BENCH_BURST=5000 BENCH_PLAYERS=2000 npm run bench:e2e
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { MongoClient } from 'mongodb';
import { migrate } from '../app/storage/schema';
import { ENVIRONMENTS } from '../lib/config/environments';
import { botNodeFlags } from '../lib/constructs/release/host-files';
import { DiscordSimulator } from '../test/discord-simulator/discord-simulator';
import { seedPlayers } from '../test/drills/drill-kit';
import { startBot } from '../test/e2e/bot-process';
import { startMongoServer } from '../test/support/mongo-server';
import { idleCpu, phase, PlayerCursor, report } from './lib/load-phases';
import { cpuMs, cpuMsOfCommand, rssMiB } from './lib/process-stats';

async function main(): Promise<void> {
  process.env.BOT_SOURCE_MAPS = 'false';
  const rates = (process.env.BENCH_RATES ?? '20,100,300')
    .split(',')
    .map(Number)
    .filter((rate) => rate > 0);
  const seconds = Number(process.env.BENCH_SECONDS ?? 20);
  const burst = Number(process.env.BENCH_BURST ?? 5_000);
  const server = await startMongoServer();
  const database = `bench_e2e_${randomBytes(3).toString('hex')}`;
  const client = new MongoClient(server.uri);
  await client.connect();
  const db = client.db(database);
  await migrate(db);
  const sim = new DiscordSimulator();
  await sim.start();
  const guilds = Array.from({ length: 20 }, (_, i) => sim.addGuild(`Bench ${i}`));
  const players = await seedPlayers(db, guilds, Number(process.env.BENCH_PLAYERS ?? 2_000), 1_000_000, {
    keepCooldowns: true,
  });
  // The bot runs with the V8 flags of the systemd unit; BENCH_NODE_OPTIONS replaces them.
  const nodeOptions = process.env.BENCH_NODE_OPTIONS ?? botNodeFlags(ENVIRONMENTS.prod.tuning).join(' ');
  const bot = await startBot({
    apiBase: sim.restBase,
    mongoUri: server.uri,
    database,
    extra: { NODE_OPTIONS: nodeOptions },
  });
  try {
    // Start-up recovery re-checks recent ledger events (all 2,000 seed grants): slow on FerretDB.
    await bot.waitForLog(/gateway ready/, 900_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const pid = bot.child.pid ?? 0;
    // With FERRETDB_POSTGRESQL_URL the database's work is FerretDB's plus PostgreSQL's backends'.
    const onPostgres = server.kind === 'ferretdb' && process.env.FERRETDB_POSTGRESQL_URL !== undefined;
    const pids = {
      bot: pid,
      dbCpuMs: () => cpuMs(server.pid) + (onPostgres ? cpuMsOfCommand('postgres') : 0),
    };
    process.stdout.write(
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}; database ${server.kind}${onPostgres ? ' on PostgreSQL' : ''}; bot flags ${nodeOptions || 'none'}\n` +
        `bot RSS idle after READY: ${rssMiB(pid).toFixed(0)} MiB\n`,
    );
    const cursor = new PlayerCursor(players);
    await phase('warm-up', sim, cursor, 200, 50, pids);
    const idle = await idleCpu(pids, 10_000);
    process.stdout.write(
      `idle CPU per second: bot ${idle.botPerSecond.toFixed(1)} ms, database ${idle.dbPerSecond.toFixed(1)} ms\n`,
    );
    for (const rate of rates) {
      process.stdout.write(`${report(await phase(`${rate}/s`, sim, cursor, rate * seconds, rate, pids), idle)}\n`);
    }
    if (burst > 0) {
      process.stdout.write(`${report(await phase(`burst of ${burst}`, sim, cursor, burst, 'burst', pids), idle)}\n`);
    }
  } finally {
    await bot.stop();
    await sim.stop();
    await db.dropDatabase().catch(() => undefined);
    await client.close();
    await server.stop();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
