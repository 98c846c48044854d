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
import { DiscordSimulator, EDIT_ORIGINAL, FOLLOW_UP } from '../test/discord-simulator/discord-simulator';
import { type Player, seedPlayers } from '../test/drills/drill-kit';
import { startBot } from '../test/e2e/bot-process';
import { startMongoServer } from '../test/support/mongo-server';
import { cpuMs, cpuMsOfCommand, percentile, rssMiB } from './lib/process-stats';

type Kind = 'pull1' | 'pull10' | 'daily' | 'profile' | 'collection';
const MIX: readonly Kind[] = [
  ...Array<Kind>(9).fill('pull1'),
  ...Array<Kind>(5).fill('pull10'),
  ...Array<Kind>(2).fill('daily'),
  ...Array<Kind>(2).fill('profile'),
  ...Array<Kind>(2).fill('collection'),
];

function send(sim: DiscordSimulator, player: Player, kind: Kind): string {
  const base = { guildId: player.guildId, member: { userId: player.userId } };
  switch (kind) {
    case 'pull1':
      return sim.sendInteraction({ ...base, commandName: 'gacha', subcommand: 'pull' });
    case 'pull10':
      return sim.sendInteraction({
        ...base,
        commandName: 'gacha',
        subcommand: 'pull',
        options: [{ name: 'count', type: 4, value: 10 }],
      });
    default:
      return sim.sendInteraction({ ...base, commandName: kind });
  }
}

interface PhaseResult {
  readonly name: string;
  readonly sent: number;
  readonly seconds: number;
  readonly first: number[];
  readonly final: number[];
  readonly botCpuMs: number;
  readonly dbCpuMs: number;
  readonly peakRss: number;
  readonly medianRss: number;
  readonly pulls: number;
}

async function phase(
  name: string,
  sim: DiscordSimulator,
  players: readonly Player[],
  total: number,
  perSecond: number | 'burst',
  pids: { bot: number; dbCpuMs: () => number },
): Promise<PhaseResult> {
  const sentAt = new Map<string, number>();
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(rssMiB(pids.bot)), 100);
  const botCpu0 = cpuMs(pids.bot);
  const dbCpu0 = pids.dbCpuMs();
  const started = Date.now();
  let pulls = 0;
  let offset = Math.floor(Math.random() * players.length);
  for (let i = 0; i < total; i += 1) {
    const player = players[(offset + i) % players.length];
    const kind = MIX[i % MIX.length] ?? 'pull1';
    if (!player) continue;
    if (kind === 'pull1') pulls += 1;
    if (kind === 'pull10') pulls += 10;
    sentAt.set(send(sim, player, kind), Date.now());
    if (perSecond !== 'burst') {
      const wait = started + ((i + 1) * 1000) / perSecond - Date.now();
      if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
  offset += total;
  const ids = [...sentAt.keys()];
  await Promise.all(ids.map((id) => sim.waitForAnswer(id, 120_000).catch(() => undefined)));
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  const first: number[] = [];
  const final: number[] = [];
  for (const id of ids) {
    const at = sentAt.get(id) ?? 0;
    const replies = sim.repliesTo(id);
    const callback = replies.find((r) => r.type < EDIT_ORIGINAL);
    const answer =
      callback?.type === 5 ? replies.find((r) => r.type === EDIT_ORIGINAL || r.type === FOLLOW_UP) : callback;
    first.push(callback ? callback.at - at : Number.POSITIVE_INFINITY);
    final.push(answer ? answer.at - at : Number.POSITIVE_INFINITY);
  }
  first.sort((a, b) => a - b);
  final.sort((a, b) => a - b);
  const sortedRss = [...rss].sort((a, b) => a - b);
  return {
    name,
    sent: total,
    seconds,
    first,
    final,
    botCpuMs: cpuMs(pids.bot) - botCpu0,
    dbCpuMs: pids.dbCpuMs() - dbCpu0,
    peakRss: Math.max(...rss),
    medianRss: percentile(sortedRss, 50),
    pulls,
  };
}

/** CPU ms per second each process spends with no interactions (heartbeats, timers, the database's own work). */
interface IdleCpu {
  readonly botPerSecond: number;
  readonly dbPerSecond: number;
}

function report(r: PhaseResult, idle: IdleCpu): string {
  const marginal = (r.botCpuMs - idle.botPerSecond * r.seconds + r.dbCpuMs - idle.dbPerSecond * r.seconds) / r.pulls;
  const within = r.first.filter((l) => l <= 3_000).length / r.first.length;
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '∞');
  return [
    `${r.name}: ${r.sent} interactions (${r.pulls} items pulled) in ${r.seconds.toFixed(1)} s → ${(r.sent / r.seconds).toFixed(0)}/s`,
    `  first callback ms p50 ${f(percentile(r.first, 50))} p95 ${f(percentile(r.first, 95))} p99 ${f(percentile(r.first, 99))}; within 3 s ${(within * 100).toFixed(1)} %`,
    `  final answer   ms p50 ${f(percentile(r.final, 50))} p95 ${f(percentile(r.final, 95))} p99 ${f(percentile(r.final, 99))}`,
    `  CPU per interaction: bot ${(r.botCpuMs / r.sent).toFixed(2)} ms, database ${(r.dbCpuMs / r.sent).toFixed(2)} ms; per item pulled (bot+db) ${((r.botCpuMs + r.dbCpuMs) / r.pulls).toFixed(2)} ms`,
    `  CPU per item pulled beyond idle (bot+db): ${marginal.toFixed(2)} ms`,
    `  bot RSS: median ${r.medianRss.toFixed(0)} MiB, peak ${r.peakRss.toFixed(0)} MiB`,
  ].join('\n');
}

async function idleCpu(pids: { bot: number; dbCpuMs: () => number }, ms: number): Promise<IdleCpu> {
  const bot0 = cpuMs(pids.bot);
  const db0 = pids.dbCpuMs();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { botPerSecond: ((cpuMs(pids.bot) - bot0) * 1000) / ms, dbPerSecond: ((pids.dbCpuMs() - db0) * 1000) / ms };
}

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
    await phase('warm-up', sim, players, 200, 50, pids);
    const idle = await idleCpu(pids, 10_000);
    process.stdout.write(
      `idle CPU per second: bot ${idle.botPerSecond.toFixed(1)} ms, database ${idle.dbPerSecond.toFixed(1)} ms\n`,
    );
    for (const rate of rates) {
      process.stdout.write(`${report(await phase(`${rate}/s`, sim, players, rate * seconds, rate, pids), idle)}\n`);
    }
    if (burst > 0) {
      process.stdout.write(`${report(await phase(`burst of ${burst}`, sim, players, burst, 'burst', pids), idle)}\n`);
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
