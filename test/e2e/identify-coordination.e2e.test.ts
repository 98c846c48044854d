/**
 * IDENTIFY across processes respects `max_concurrency` (issue #20): the simulator answers
 * max_concurrency 2 for 4 shards, so buckets are {0, 2} and {1, 3}; two bundled bot processes
 * start at the same moment owning shards 0-1 and 2-3, so each bucket has one shard in each
 * process. discord.js spaces only a process's own shards; the database leases
 * (app/storage/identify-leases.ts) must keep the two processes from identifying in one bucket
 * within 5 s. The simulator records every IDENTIFY's time and each one Discord would refuse.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { DISCORD_IDENTIFY_WINDOW_MS, IDENTIFY_LEASES_COLLECTION } from '../../app/storage/identify-leases';
import { DiscordSimulator } from '../discord-simulator/discord-simulator';
import { testMongoUri } from '../support/test-database';
import { type BotProcess, startBot } from './bot-process';

const SHARDS = 4;
const MAX_CONCURRENCY = 2;
let sim: DiscordSimulator;
const bots: BotProcess[] = [];
const database = `t_identify_${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  sim = new DiscordSimulator({ shardCount: SHARDS, maxConcurrency: MAX_CONCURRENCY });
  await sim.start();
  for (let shard = 0; shard < SHARDS; shard++) sim.addGuild(`Identify guild ${shard}`, 1, shard);
});

afterAll(async () => {
  for (const bot of bots) await bot.stop('SIGKILL');
  await sim.stop();
  const mongo = new MongoClient(testMongoUri());
  await mongo.connect();
  await mongo
    .db(database)
    .dropDatabase()
    .catch(() => undefined);
  await mongo.close();
});

jest.setTimeout(90_000);

it('two processes started together never IDENTIFY in the same bucket within 5 s', async () => {
  const start = (shardIds: string) =>
    startBot({
      apiBase: sim.restBase,
      mongoUri: testMongoUri(),
      database,
      extra: { SHARD_COUNT: String(SHARDS), SHARD_IDS: shardIds },
    }).then((bot) => {
      bots.push(bot);
      return bot;
    });
  const [a, b] = await Promise.all([start('0-1'), start('2-3')]);
  await Promise.all([a.waitForLog(/gateway ready/, 60_000), b.waitForLog(/gateway ready/, 60_000)]);

  // Every shard identified (a shard whose connection a loaded machine drops identifies again,
  // under a lease like the first time: every IDENTIFY counts below).
  expect([...new Set(sim.identifies.map((i) => i.shard))].sort()).toEqual([0, 1, 2, 3]);
  expect(sim.identifyViolations).toEqual([]);
  for (let bucket = 0; bucket < MAX_CONCURRENCY; bucket++) {
    const times = sim.identifies
      .filter((i) => i.shard % MAX_CONCURRENCY === bucket)
      .map((i) => i.at)
      .sort((x, y) => x - y);
    expect(times.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < times.length; i++) {
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(DISCORD_IDENTIFY_WINDOW_MS);
    }
  }
  // Each process logged the lease it identified under, one per owned shard.
  for (const [bot, shards] of [
    [a, [0, 1]],
    [b, [2, 3]],
  ] as const) {
    const leases = bot.lines
      .filter((l) => l.includes('"msg":"identify lease"'))
      .map((l) => JSON.parse(l) as { shard: number; bucket: number });
    expect([...new Set(leases.map((l) => l.shard))].sort()).toEqual([...shards]);
    for (const l of leases) expect(l.bucket).toBe(l.shard % MAX_CONCURRENCY);
  }
  const mongo = new MongoClient(testMongoUri());
  await mongo.connect();
  try {
    const docs = await mongo.db(database).collection(IDENTIFY_LEASES_COLLECTION).find().toArray();
    expect([...new Set(docs.map((d) => Number(d.shardId)))].sort()).toEqual([0, 1, 2, 3]);
  } finally {
    await mongo.close();
  }
});
