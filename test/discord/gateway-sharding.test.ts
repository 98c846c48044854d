/**
 * discord.js's own sharding against the simulator, in-process: one client owning several shards
 * identifies each with `shard: [id, count]`, spaces IDENTIFYs by `max_concurrency`, receives each
 * guild's events on the shard the guild belongs to, and resumes one shard without touching the
 * others; the readiness probe follows every owned shard.
 */
import { type Client, Events, GatewayDispatchEvents } from 'discord.js';
import type { ShardPlan } from '../../app/config';
import { createBotClient } from '../../app/discord/bot-client';
import { allShardsReady, shardHealth } from '../../app/discord/shard-status';
import { instrumentClient, sampleGateway } from '../../app/metrics/bot-metrics';
import { MetricsRecorder } from '../../app/metrics/metrics-recorder';
import { DiscordSimulator } from '../discord-simulator/discord-simulator';
import { FAKE_TOKEN } from '../e2e/bot-process';

const running: { sim: DiscordSimulator; client: Client }[] = [];

afterEach(async () => {
  for (const { sim, client } of running.splice(0)) {
    await client.destroy();
    await sim.stop();
  }
});

async function connect(
  options: { shardCount: number; maxConcurrency: number },
  plan: ShardPlan,
): Promise<{ sim: DiscordSimulator; client: Client }> {
  const sim = new DiscordSimulator(options);
  await sim.start();
  for (let i = 0; i < options.shardCount * 2; i += 1) sim.addGuild(`Guild ${i}`, 1, i % options.shardCount);
  const client = createBotClient(sim.restBase, plan);
  running.push({ sim, client });
  const ready = new Promise<void>((resolve) =>
    client.once(Events.ClientReady, () => {
      resolve();
    }),
  );
  await client.login(FAKE_TOKEN);
  await ready;
  return { sim, client };
}

it('identifies every owned shard, one per max_concurrency bucket per 5 s, and routes guilds by shard', async () => {
  const { sim, client } = await connect({ shardCount: 2, maxConcurrency: 1 }, { count: 2, ids: 'all' });
  expect(sim.identifies.map((i) => [i.shard, i.shardCount])).toEqual([
    [0, 2],
    [1, 2],
  ]);
  // max_concurrency 1: one bucket, so the second IDENTIFY waits for the 5 s window.
  const [first, second] = sim.identifies;
  expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(4_900);
  expect(sim.identifyViolations).toEqual([]);
  expect(client.guilds.cache.size).toBe(4);
  expect(allShardsReady(client)).toBe(true);
  expect(shardHealth(client).map((s) => [s.id, s.status])).toEqual([
    [0, 'Ready'],
    [1, 'Ready'],
  ]);

  const seen = new Map<string, number>();
  const arrived = new Promise<void>((resolve) => {
    client.ws.on(GatewayDispatchEvents.InteractionCreate, (data: { id: string }, shardId) => {
      seen.set(data.id, shardId);
      if (seen.size === sim.guilds.length) resolve();
    });
  });
  const expected = new Map(
    sim.guilds.map((g) => [
      sim.sendInteraction({ guildId: g.id, member: { userId: '123456789012345678' }, commandName: 'gacha' }),
      sim.shardOf(g.id),
    ]),
  );
  await arrived;
  expect(seen).toEqual(expected);
}, 30_000);

it('identifies shards of different buckets at once when max_concurrency allows it', async () => {
  const { sim } = await connect({ shardCount: 4, maxConcurrency: 2 }, { count: 4, ids: [2, 3] });
  expect(sim.identifies.map((i) => i.shard)).toEqual([2, 3]);
  const [first, second] = sim.identifies;
  expect((second?.at ?? 0) - (first?.at ?? 0)).toBeLessThan(4_000);
  expect(sim.identifyViolations).toEqual([]);
  expect(sim.connectedShards()).toEqual([2, 3]);
}, 30_000);

it('resumes one shard while the other stays ready; readiness waits for the resumed shard; reconnects per shard, one metric series', async () => {
  const { sim, client } = await connect({ shardCount: 2, maxConcurrency: 2 }, { count: 2, ids: 'all' });
  const recorder = new MetricsRecorder();
  const stats = instrumentClient(client, recorder);
  const reconnecting = new Promise<number>((resolve) => client.once(Events.ShardReconnecting, resolve));
  const resumed = new Promise<number>((resolve) => client.once(Events.ShardResume, resolve));
  sim.forceReconnect('close4000', 1);
  expect(await reconnecting).toBe(1);
  expect(allShardsReady(client)).toBe(false);
  expect(shardHealth(client).find((s) => s.id === 0)?.status).toBe('Ready');
  expect(await resumed).toBe(1);
  expect(allShardsReady(client)).toBe(true);
  expect(sim.gatewayLog).toEqual(['identify', 'identify', 'resume']);
  // Reconnecting and resumed are both counted, as for one shard; the log names the shard.
  expect([...stats.takeReconnects()]).toEqual([[1, 2]]);
  expect(stats.takeReconnects().size).toBe(0);
  // Gateway figures stay one series per metric, whatever the number of shards.
  client.ws.shards.forEach((shard) => {
    shard.ping = 10 + shard.id;
  });
  sampleGateway(client, recorder);
  const gateway = recorder.drain().filter((m) => m.key === 'gatewayLatency' || m.key === 'gatewayReconnects');
  expect(gateway.map((m) => [m.key, m.dimensionValue])).toEqual([
    ['gatewayReconnects', undefined],
    ['gatewayLatency', undefined],
  ]);
  expect(gateway[0]?.stats.sum).toBe(2);
  expect(gateway[1]?.stats).toMatchObject({ sampleCount: 2, minimum: 10, maximum: 11 });
}, 30_000);
