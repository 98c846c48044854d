/**
 * `npm run bench:shards` — memory of the bundled bot per process as the gateway is sharded, against
 * the Discord simulator and a real MongoDB-wire server. Three layouts, each with the same guilds
 * and the same burst of interactions: one process with one shard, one process with two shards,
 * and two processes with one shard each. Prints RSS per process after READY (idle), at the peak
 * of the burst and after it.
 *
 * Parameters (environment): BENCH_GUILDS (default 200), BENCH_BURST (default 2,000 interactions),
 * BENCH_PLAYERS (default 500). Take figures on a quiet machine only.
 */
import { randomBytes } from 'node:crypto';
import { DiscordSimulator, simSnowflake } from '../test/discord-simulator/discord-simulator';
import { type BotProcess, startBot } from '../test/e2e/bot-process';
import { startMongoServer } from '../test/support/mongo-server';
import { rssMiB } from './lib/process-stats';

interface Layout {
  readonly name: string;
  readonly shardCount: number;
  /** SHARD_IDS of each process. */
  readonly processes: readonly string[];
}

const LAYOUTS: readonly Layout[] = [
  { name: '1 process x 1 shard', shardCount: 1, processes: ['0'] },
  { name: '1 process x 2 shards', shardCount: 2, processes: ['0-1'] },
  { name: '2 processes x 1 shard', shardCount: 2, processes: ['0', '1'] },
];

interface ProcessFigures {
  readonly shards: string;
  readonly idle: number;
  readonly peak: number;
  readonly after: number;
}

async function measure(
  layout: Layout,
  mongoUri: string,
  load: { guilds: number; burst: number; players: number },
): Promise<ProcessFigures[]> {
  // max_concurrency = shard count: the shards identify at once (no 5 s wait between them).
  const sim = new DiscordSimulator({ shardCount: layout.shardCount, maxConcurrency: layout.shardCount });
  await sim.start();
  const guilds = Array.from({ length: load.guilds }, (_, i) => sim.addGuild(`Bench ${i}`, 1, i % layout.shardCount));
  const database = `bench_shards_${randomBytes(3).toString('hex')}`;
  const bots: BotProcess[] = [];
  try {
    for (const ids of layout.processes) {
      const bot = await startBot({
        apiBase: sim.restBase,
        mongoUri,
        database,
        extra: { SHARD_COUNT: String(layout.shardCount), SHARD_IDS: ids },
      });
      bots.push(bot);
      await bot.waitForLog(/gateway ready/, 60_000);
    }
    await new Promise((r) => setTimeout(r, 2_000));
    const pids = bots.map((b) => b.child.pid ?? 0);
    const idle = pids.map(rssMiB);
    const peak = [...idle];
    const sampler = setInterval(() => {
      pids.forEach((pid, i) => {
        peak[i] = Math.max(peak[i] ?? 0, rssMiB(pid));
      });
    }, 100);
    const users = Array.from({ length: load.players }, () => simSnowflake());
    const ids: string[] = [];
    for (let i = 0; i < load.burst; i += 1) {
      const guild = guilds[i % guilds.length];
      const userId = users[i % users.length];
      if (!guild || !userId) continue;
      const roll = i % 10;
      ids.push(
        roll < 6
          ? sim.sendInteraction({ guildId: guild.id, member: { userId }, commandName: 'gacha', subcommand: 'pull' })
          : sim.sendInteraction({ guildId: guild.id, member: { userId }, commandName: roll < 8 ? 'daily' : 'profile' }),
      );
    }
    await Promise.all(ids.map((id) => sim.waitForReply(id, 600_000).catch(() => undefined)));
    clearInterval(sampler);
    return layout.processes.map((shards, i) => ({
      shards,
      idle: idle[i] ?? 0,
      peak: peak[i] ?? 0,
      after: rssMiB(pids[i] ?? 0),
    }));
  } finally {
    for (const bot of bots) await bot.stop();
    await sim.stop();
  }
}

async function main(): Promise<void> {
  const load = {
    guilds: Number(process.env.BENCH_GUILDS ?? 200),
    burst: Number(process.env.BENCH_BURST ?? 2_000),
    players: Number(process.env.BENCH_PLAYERS ?? 500),
  };
  const server = await startMongoServer();
  try {
    const lines = [
      `server: ${server.kind}; ${load.guilds} guilds, burst of ${load.burst} interactions from ${load.players} players; node ${process.version}`,
      '| layout | process (shards) | RSS idle MiB | RSS peak MiB | RSS after MiB |',
      '| --- | --- | ---: | ---: | ---: |',
    ];
    for (const layout of LAYOUTS) {
      for (const f of await measure(layout, server.uri, load)) {
        lines.push(
          `| ${layout.name} | ${f.shards} | ${f.idle.toFixed(1)} | ${f.peak.toFixed(1)} | ${f.after.toFixed(1)} |`,
        );
      }
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await server.stop();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
