/**
 * `npm run bench:e2e` — the load benchmark, end to end. The bundled bot runs as its own process,
 * the test database (FerretDB, or MONGODB_URI) as another; this process plays Discord (the
 * simulator) and 2,000 players in 20 guilds sending a realistic mix (of 22: 9 single pulls, 5
 * 10-pulls, 2 daily, 2 profile, 2 collection, 1 gift proposed and confirmed, 1 trade: proposal, the
 * other side's "Change my side" and form, both accepts; each step of a gift or trade is sent after
 * the previous one's answer) at
 * fixed offered rates (mix entries per second), then a burst (scripts/lib/load-phases.ts).
 *
 * Prints per phase, over every interaction sent (each step of a gift or trade counts): achieved
 * throughput, reply latency p50/p95/p99 (interaction dispatched → first callback received, which is
 * what Discord's 3 s deadline applies to) and to the final answer, share within 3 s, bot and
 * database CPU-ms per interaction (from /proc), bot peak/steady RSS; then per step of the mix: count,
 * answered ok / busy / refused otherwise / not at all, first-callback and final-answer p50/p99; and
 * how many trades ended with the swap done.
 * Then the bot is stopped and a bare discord.js client with the bot's client options but no
 * database (scripts/bench/bare-bot.ts) answers the same mix at BENCH_BARE_RATE (default the first
 * rate ≥ 100/s): the ratio of the bot's CPU per interaction to the bare client's is printed. The
 * load average and a fixed CPU-bound reference job before and after make runs comparable.
 *
 *   BENCH_RATES=20,100,300 BENCH_SECONDS=20 BENCH_BURST=5000 BENCH_PLAYERS=2000 npm run bench:e2e
 */
import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { migrate } from '../app/storage/schema';
import { ENVIRONMENTS } from '../lib/config/environments';
import { botNodeFlags } from '../lib/constructs/release/host-files';
import { DiscordSimulator } from '../test/discord-simulator/discord-simulator';
import { seedPlayers } from '../test/drills/drill-kit';
import { startBot } from '../test/e2e/bot-process';
import { startMongoServer } from '../test/support/mongo-server';
import { startBareBot } from './lib/bare-bot-process';
import { loadAverage, machineLine, referenceJobMs } from './lib/calibration';
import { indexLookups, planWithParameters } from './lib/ferretdb-pg-lookups';
import { HealthSampler } from './lib/health-sampler';
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
  const loadBefore = loadAverage();
  const referenceBefore = referenceJobMs();
  // FerretDB on PostgreSQL: its lookups get the indexes a mongod would use (ferretdb-pg-lookups.ts)
  // unless BENCH_PG_LOOKUPS=off.
  const postgresqlUrl = process.env.FERRETDB_POSTGRESQL_URL;
  const pgLookups = postgresqlUrl !== undefined && process.env.BENCH_PG_LOOKUPS !== 'off' ? postgresqlUrl : undefined;
  if (pgLookups) planWithParameters(pgLookups);
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
    const healthLine = await bot.waitForLog(/health endpoint on 127\.0\.0\.1/);
    const health = new HealthSampler((JSON.parse(healthLine) as { port: number }).port);
    health.start();
    // The bot answers during it, but idle CPU and the first phase are measured after it.
    await bot.waitForLog(/recovery pass finished/, 900_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const pid = bot.child.pid ?? 0;
    // With FERRETDB_POSTGRESQL_URL the database's work is FerretDB's plus PostgreSQL's backends'.
    const onPostgres = server.kind === 'ferretdb' && process.env.FERRETDB_POSTGRESQL_URL !== undefined;
    const pids = {
      bot: pid,
      dbCpuMs: () => cpuMs(server.pid) + (onPostgres ? cpuMsOfCommand('postgres') : 0),
    };
    process.stdout.write(
      `${machineLine()}; database ${server.kind}${onPostgres ? ' on PostgreSQL' : ''}; bot flags ${nodeOptions || 'none'}\n` +
        `load average before: ${loadBefore}; reference job (SHA-256 of 256 MiB): ${referenceBefore.toFixed(0)} ms\n` +
        `bot RSS idle after READY: ${rssMiB(pid).toFixed(0)} MiB\n`,
    );
    const cursor = new PlayerCursor(players);
    await phase('warm-up', sim, cursor, 200, 50, pids);
    // After the warm-up every collection the mix writes exists.
    if (pgLookups && server.kind === 'ferretdb') {
      const made = indexLookups(pgLookups, database);
      process.stdout.write(`FerretDB lookups indexed as mongod's: ${made} GIN indexes (BENCH_PG_LOOKUPS=off: none)\n`);
    }
    const idle = await idleCpu(pids, 10_000);
    process.stdout.write(
      `idle CPU per second: bot ${idle.botPerSecond.toFixed(1)} ms, database ${idle.dbPerSecond.toFixed(1)} ms\n`,
    );
    const botCpuAtRate = new Map<number, number>();
    for (const rate of rates) {
      const from = Date.now();
      const result = await phase(`${rate}/s`, sim, cursor, rate * seconds, rate, pids);
      botCpuAtRate.set(rate, result.botCpuMs / result.sent);
      process.stdout.write(`${report(result, idle)}\n  ${health.summary(from)}\n`);
    }
    if (burst > 0) {
      const from = Date.now();
      const result = await phase(`burst of ${burst}`, sim, cursor, burst, 'burst', pids);
      process.stdout.write(`${report(result, idle)}\n  ${health.summary(from)}\n`);
    }
    health.stop();
    // The reference: the same discord.js client with no database, answering the same mix.
    await bot.stop();
    const bareRate = Number(process.env.BENCH_BARE_RATE ?? rates.find((rate) => rate >= 100) ?? rates[0] ?? 100);
    const bare = await startBareBot(sim.restBase, nodeOptions);
    try {
      const barePids = { bot: bare.child.pid ?? 0, dbCpuMs: () => 0 };
      await phase('bare warm-up', sim, cursor, 200, 50, barePids);
      const bareResult = await phase(`bare ${bareRate}/s`, sim, cursor, bareRate * seconds, bareRate, barePids);
      const bareMs = bareResult.botCpuMs / bareResult.sent;
      const ours = botCpuAtRate.get(bareRate);
      process.stdout.write(
        `bare discord.js client (no database) at ${bareRate}/s: ${bareMs.toFixed(2)} ms CPU per interaction, ` +
          `RSS median ${bareResult.medianRss.toFixed(0)} MiB` +
          (ours === undefined
            ? '\n'
            : `; the bot at the same rate: ${ours.toFixed(2)} ms = ${(ours / bareMs).toFixed(2)} × the bare client\n`),
      );
    } finally {
      await bare.stop();
    }
    process.stdout.write(
      `load average after: ${loadAverage()}; reference job (SHA-256 of 256 MiB): ${referenceJobMs().toFixed(0)} ms\n`,
    );
  } finally {
    await bot.stop();
    if (process.env.BENCH_BOT_LOG) writeFileSync(process.env.BENCH_BOT_LOG, `${bot.lines.join('\n')}\n`);
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
