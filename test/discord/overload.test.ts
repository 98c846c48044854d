/**
 * Overload: with every command slot taken and the waiting line full, a new interaction is answered
 * at once with a private "busy" error instead of queueing (memory stays bounded, nothing charged).
 */
import { Events, type Client } from 'discord.js';
import pino from 'pino';
import { createBotClient } from '../../app/discord/bot-client';
import { COMMANDS } from '../../app/discord/command-registry';
import { InteractionHandler } from '../../app/discord/interaction-handler';
import { GachaService } from '../../app/services/gacha-service';
import { collections } from '../../app/storage/collections';
import { migrate } from '../../app/storage/schema';
import { DiscordSimulator, simSnowflake } from '../discord-simulator/discord-simulator';
import { FAKE_TOKEN } from '../e2e/bot-process';
import { openTestDatabase, type TestDatabase } from '../support/test-database';

let sim: DiscordSimulator;
let client: Client;
let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db);
  sim = new DiscordSimulator();
  await sim.start();
  sim.addGuild('Overload');
  client = createBotClient(sim.restBase);
  const handler = new InteractionHandler(new GachaService(database.db), COMMANDS, pino({ level: 'silent' }), {
    maxConcurrent: 1,
    maxQueued: 2,
  });
  client.on(Events.InteractionCreate, (interaction) => {
    handler.handle(interaction);
  });
  const ready = new Promise<void>((resolve) => {
    client.once(Events.ClientReady, () => {
      resolve();
    });
  });
  await client.login(FAKE_TOKEN);
  await ready;
});

afterAll(async () => {
  await client.destroy();
  await sim.stop();
  await database.close();
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
