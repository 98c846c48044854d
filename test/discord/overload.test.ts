/**
 * Overload: with every command slot taken and the waiting line full, a new interaction is answered
 * at once with a private "busy" error instead of queueing (memory stays bounded, nothing charged).
 */
import { collections } from '../../app/storage/collections';
import { type DiscordSimulator, simSnowflake } from '../discord-simulator/discord-simulator';
import type { TestDatabase } from '../support/test-database';
import { type InProcessBot, startInProcessBot } from './in-process-bot';

let bot: InProcessBot;
let sim: DiscordSimulator;
let database: TestDatabase;

beforeAll(async () => {
  bot = await startInProcessBot('Overload', {
    maxConcurrent: 1,
    maxQueued: 2,
  });
  sim = bot.sim;
  database = bot.database;
});

afterAll(async () => {
  await bot.close();
});

it('answers "busy" at once beyond the waiting line and runs the rest', async () => {
  const guildId = sim.guilds[0]?.id ?? '';
  const ids = Array.from({ length: 12 }, () =>
    sim.sendInteraction({ guildId, member: { userId: simSnowflake() }, commandName: 'daily' }),
  );
  const answers = await Promise.all(ids.map((id) => sim.waitForAnswer(id, 30_000)));
  const busy = answers.filter((a) => /Too many requests at once/.test(String(a.data.content)));
  const paid = answers.filter((a) => /Daily reward/.test(String(a.data.content)));
  expect(busy.length).toBeGreaterThan(0);
  expect(paid.length).toBeGreaterThanOrEqual(2);
  expect(busy.length + paid.length).toBe(ids.length);
  for (const b of busy) expect(Number(b.data.flags ?? 0) & 64).toBe(64);
  expect(await collections(database.db).ledger.countDocuments({ kind: 'daily' })).toBe(paid.length);
});
