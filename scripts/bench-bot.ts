/**
 * `npm run bench:bot` — the bundled bot as its own process against the Discord simulator and a
 * real MongoDB-wire server: idle RSS after READY, then a burst of interactions (BENCH_BURST,
 * default 5,000) from BENCH_PLAYERS players (default 500), a mix of pulls, dailies and profiles.
 * Prints reply latency (dispatch → callback received) p50/p95/p99, share within 3 s, and RSS.
 */
import { randomBytes } from 'node:crypto';
import { DiscordSimulator, simSnowflake } from '../test/discord-simulator/discord-simulator';
import { startBot } from '../test/e2e/bot-process';
import { startMongoServer } from '../test/support/mongo-server';
import { percentile, rssMiB } from './lib/process-stats';

async function main(): Promise<void> {
  const burst = Number(process.env.BENCH_BURST ?? 5_000);
  const players = Number(process.env.BENCH_PLAYERS ?? 500);
  const server = await startMongoServer();
  const sim = new DiscordSimulator();
  await sim.start();
  const guilds = Array.from({ length: 5 }, (_, i) => sim.addGuild(`Bench ${i}`));
  const bot = await startBot({
    apiBase: sim.restBase,
    mongoUri: server.uri,
    database: `bench_bot_${randomBytes(3).toString('hex')}`,
  });
  try {
    await bot.waitForLog(/gateway ready/);
    await new Promise((r) => setTimeout(r, 2_000));
    const pid = bot.child.pid ?? 0;
    const idle = rssMiB(pid);
    const users = Array.from({ length: players }, () => simSnowflake());
    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMiB(pid));
    }, 100);
    const sent: { id: string; at: number }[] = [];
    const started = performance.now();
    for (let i = 0; i < burst; i++) {
      const userId = users[i % users.length] ?? '';
      const guild = guilds[i % guilds.length];
      if (!guild) continue;
      const roll = i % 10;
      const id =
        roll < 6
          ? sim.sendInteraction({
              guildId: guild.id,
              member: { userId },
              commandName: 'gacha',
              subcommand: 'pull',
              interactionId: simSnowflake(),
            })
          : sim.sendInteraction({ guildId: guild.id, member: { userId }, commandName: roll < 8 ? 'daily' : 'profile' });
      sent.push({ id, at: Date.now() });
    }
    const latencies = await Promise.all(
      sent.map(async ({ id, at }) => {
        try {
          return (await sim.waitForReply(id, 600_000)).at - at;
        } catch {
          return Number.POSITIVE_INFINITY;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const after = rssMiB(pid);
    latencies.sort((a, b) => a - b);
    const within3s = latencies.filter((l) => l <= 3_000).length / latencies.length;
    const lines = [
      `server: ${server.kind}; burst ${burst} interactions from ${players} players in ${guilds.length} guilds; node ${process.version}`,
      `bot RSS idle after READY: ${idle.toFixed(1)} MiB; peak in burst: ${peak.toFixed(1)} MiB; after: ${after.toFixed(1)} MiB`,
      `throughput: ${(burst / seconds).toFixed(0)} interactions/s over ${seconds.toFixed(1)} s`,
      `reply latency ms: p50 ${percentile(latencies, 50, 0).toFixed(0)}, p95 ${percentile(latencies, 95, 0).toFixed(0)}, p99 ${percentile(latencies, 99, 0).toFixed(0)}; within 3 s: ${(within3s * 100).toFixed(1)}%`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await bot.stop();
    await sim.stop();
    await server.stop();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
