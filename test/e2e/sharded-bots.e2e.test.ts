/**
 * Sharding end to end: the simulator runs 4 gateway shards and routes each guild's events to shard
 * `(guild_id >> 22) % 4`; two bundled bot processes own shards 0-1 and 2-3 against one database.
 * Every interaction is answered once by the process that owns its guild's shard and charged once;
 * after a kill -9 of one process mid-load and its restart (its shards identify again), every
 * success is charged exactly once and the whole-database invariants hold.
 */
import { randomBytes } from 'node:crypto';
import { type Db, MongoClient } from 'mongodb';
import { migrate } from '../../app/storage/schema';
import { DiscordSimulator, type SimGuild } from '../discord-simulator/discord-simulator';
import {
  type Answer,
  type Player,
  acceptedCallbacks,
  answers,
  checkInvariants,
  finalAnswers,
  seedPlayers,
  sendPull,
} from '../drills/drill-kit';
import { eventually } from '../support/eventually';
import { testMongoUri } from '../support/test-database';
import { type BotProcess, startBot } from './bot-process';

const SHARDS = 4;
let sim: DiscordSimulator;
let mongo: MongoClient;
let db: Db;
let guilds: SimGuild[];
let players: Player[];
const bots: BotProcess[] = [];
const database = `t_shards_${randomBytes(4).toString('hex')}`;

async function startShardedBot(shardIds: string): Promise<BotProcess> {
  const bot = await startBot({
    apiBase: sim.restBase,
    mongoUri: testMongoUri(),
    database,
    extra: { SHARD_COUNT: String(SHARDS), SHARD_IDS: shardIds },
  });
  bots.push(bot);
  await bot.waitForLog(/gateway ready/, 30_000);
  return bot;
}

async function readyz(bot: BotProcess): Promise<{ status: number; body: { shards?: { id: number }[] } }> {
  const line = await bot.waitForLog(/health endpoint/);
  const { port } = JSON.parse(line) as { port: number };
  const res = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: res.status, body: (await res.json()) as { shards?: { id: number }[] } };
}

/** Guild ids of the interactions a bot process logged in its access log. */
function answeredGuilds(bot: BotProcess): string[] {
  return bot.lines
    .filter((l) => l.includes('"msg":"interaction"'))
    .map((l) => (JSON.parse(l) as { guild: string }).guild);
}

function pulls(list: readonly Player[]): string[] {
  return list.map((p, i) => sendPull(sim, p, i % 8 === 0 ? 10 : 1));
}

const onShards = (shards: readonly number[]) => (p: Player) => shards.includes(sim.shardOf(p.guildId));

beforeAll(async () => {
  sim = new DiscordSimulator({ shardCount: SHARDS, maxConcurrency: SHARDS });
  await sim.start();
  guilds = Array.from({ length: 8 }, (_, i) => sim.addGuild(`Shard guild ${i}`, 1, i % SHARDS));
  mongo = new MongoClient(testMongoUri());
  await mongo.connect();
  db = mongo.db(database);
  await migrate(db);
  players = await seedPlayers(db, guilds, 16);
});

afterAll(async () => {
  for (const bot of bots) await bot.stop('SIGKILL');
  await sim.stop();
  await db.dropDatabase().catch(() => undefined);
  await mongo.close();
});

jest.setTimeout(90_000);

it('two processes own shards 0-1 and 2-3: answered once, by the right process, charged once; kill -9 one mid-load and restart it', async () => {
  expect(new Set(guilds.map((g) => sim.shardOf(g.id)))).toEqual(new Set([0, 1, 2, 3]));
  const a = await startShardedBot('0-1');
  let b = await startShardedBot('2-3');
  expect(sim.connectedShards()).toEqual([0, 1, 2, 3]);
  expect(sim.identifies.map((i) => [i.shard, i.shardCount]).sort()).toEqual([
    [0, 4],
    [1, 4],
    [2, 4],
    [3, 4],
  ]);
  expect(sim.identifyViolations).toEqual([]);
  const [readyA, readyB] = [await readyz(a), await readyz(b)];
  expect(readyA.status).toBe(200);
  expect(readyA.body.shards?.map((s) => s.id)).toEqual([0, 1]);
  expect(readyB.body.shards?.map((s) => s.id)).toEqual([2, 3]);

  // 1. Load over all shards: every interaction answered once, by the process that owns it.
  const first = await answers(sim, pulls(players));
  expect(first.filter((x) => !x.ok)).toEqual([]);
  for (const { id } of first) {
    expect(acceptedCallbacks(sim, id)).toBe(1);
    expect(finalAnswers(sim, id)).toBe(1);
  }
  // The access log line follows the reply by a moment.
  const logged = await eventually(
    () => Promise.resolve(answeredGuilds(a).length + answeredGuilds(b).length),
    (n) => n >= first.length,
  );
  expect(logged).toBe(first.length);
  expect(answeredGuilds(a).every((g) => [0, 1].includes(sim.shardOf(g)))).toBe(true);
  expect(answeredGuilds(b).every((g) => [2, 3].includes(sim.shardOf(g)))).toBe(true);

  // 2. Load again; once process B has answered some of it, kill -9 B while the rest is in flight.
  const onB = players.filter(onShards([2, 3]));
  const onA = players.filter(onShards([0, 1]));
  const bIds = pulls([...onB, ...onB]);
  const aIds = pulls([...onA, ...onA]);
  let answeredByB = 0;
  await new Promise<void>((resolve) => {
    for (const id of bIds) {
      void sim
        .waitForAnswer(id, 20_000)
        .catch(() => undefined)
        .then(() => {
          answeredByB += 1;
          if (answeredByB === 4) resolve();
        });
    }
  });
  b.child.kill('SIGKILL');
  await b.stop('SIGKILL');
  // Process A's shards are untouched: all of its interactions are answered.
  const duringA = await answers(sim, aIds);
  expect(duringA.filter((x) => !x.ok)).toEqual([]);
  // Shards 2-3 have no session now: what B did not answer before dying stays unanswered.
  const duringB = await answers(sim, bIds, 1_000);
  expect(duringB.filter((x) => x.ok).length).toBeGreaterThanOrEqual(4);
  const whileDown = await answers(sim, pulls(onB), 500);
  expect(whileDown.filter((x) => x.reply !== undefined)).toEqual([]);

  // 3. Restart B: its shards identify again and it answers everything; A never noticed.
  b = await startShardedBot('2-3');
  expect(sim.identifies.filter((i) => i.shard >= 2).length).toBe(4);
  expect(sim.identifies.filter((i) => i.shard < 2).length).toBe(2);
  const after = await answers(sim, pulls(players));
  expect(after.filter((x) => !x.ok)).toEqual([]);

  const all: Answer[] = [...first, ...duringA, ...duringB, ...whileDown, ...after];
  for (const { id } of all) expect(acceptedCallbacks(sim, id)).toBeLessThanOrEqual(1);
  const report = await checkInvariants(db, all);
  expect(report.problems).toEqual([]);
  expect(report.events).toBeGreaterThanOrEqual(all.filter((x) => x.ok).length);
});
