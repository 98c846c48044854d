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

it('answers "busy" instead of running an interaction that waited in line longer than maxWaitMs', async () => {
  // A clock that moves 1 ms at every reading: whatever waited for a slot waited longer than 0 ms.
  let clock = 0;
  const impatient = await startInProcessBot('Impatient', {
    maxConcurrent: 1,
    maxQueued: 100,
    maxWaitMs: 0,
    now: () => ++clock,
  });
  try {
    const guildId = impatient.sim.guilds[0]?.id ?? '';
    const ids = Array.from({ length: 6 }, () =>
      impatient.sim.sendInteraction({ guildId, member: { userId: simSnowflake() }, commandName: 'daily' }),
    );
    const answers = await Promise.all(ids.map((id) => impatient.sim.waitForAnswer(id, 30_000)));
    const busy = answers.filter((a) => /Too many requests at once/.test(String(a.data.content)));
    const paid = answers.filter((a) => /Daily reward/.test(String(a.data.content)));
    // The first takes the one slot; the others arrive while it runs, wait, and are turned away.
    expect(paid.length).toBe(1);
    expect(busy.length).toBe(ids.length - 1);
    for (const b of busy) expect(Number(b.data.flags ?? 0) & 64).toBe(64);
    expect(await collections(impatient.database.db).ledger.countDocuments({ kind: 'daily' })).toBe(1);
  } finally {
    await impatient.close();
  }
});
