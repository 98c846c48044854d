/**
 * The interaction handler in-process with the real discord.js client against the simulator, set to
 * defer at once: a deferred answer arrives as an edit, and a deferred error stays private (an
 * ephemeral follow-up replaces the public "thinking…" message).
 */
import { Events, type Client } from 'discord.js';
import pino from 'pino';
import { createBotClient } from '../../app/discord/bot-client';
import { COMMANDS } from '../../app/discord/command-registry';
import { InteractionHandler } from '../../app/discord/interaction-handler';
import { GachaService } from '../../app/services/gacha-service';
import { migrate } from '../../app/storage/schema';
import { DiscordSimulator, EDIT_ORIGINAL, FOLLOW_UP, simSnowflake } from '../discord-simulator/discord-simulator';
import { FAKE_TOKEN } from '../e2e/bot-process';
import { openTestDatabase, type TestDatabase } from '../support/test-database';

const EPHEMERAL = 64;
let sim: DiscordSimulator;
let client: Client;
let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db);
  sim = new DiscordSimulator();
  await sim.start();
  sim.addGuild('Deferred');
  client = createBotClient(sim.restBase);
  const handler = new InteractionHandler(new GachaService(database.db), COMMANDS, pino({ level: 'silent' }), {
    deferAfterMs: 0,
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

it('edits the deferred reply with the answer', async () => {
  const guildId = sim.guilds[0]?.id ?? '';
  const id = sim.sendInteraction({ guildId, member: { userId: simSnowflake() }, commandName: 'daily' });
  const answer = await sim.waitForAnswer(id);
  expect(sim.repliesTo(id)[0]?.type).toBe(5);
  expect(answer.type).toBe(EDIT_ORIGINAL);
  expect(String(answer.data.content)).toMatch(/Daily reward: \+300/);
});

it('keeps a deferred error private with an ephemeral follow-up', async () => {
  const guildId = sim.guilds[0]?.id ?? '';
  const user = simSnowflake();
  const first = sim.sendInteraction({ guildId, member: { userId: user }, commandName: 'daily' });
  await sim.waitForAnswer(first);
  await new Promise((r) => setTimeout(r, 1_100)); // past the 1 s command cooldown
  const again = sim.sendInteraction({ guildId, member: { userId: user }, commandName: 'daily', locale: 'ja' });
  const answer = await sim.waitForAnswer(again);
  expect(answer.type).toBe(FOLLOW_UP);
  expect(Number(answer.data.flags) & EPHEMERAL).toBe(EPHEMERAL);
  expect(String(answer.data.content)).toMatch(/受け取り済み/);
  await new Promise((r) => setTimeout(r, 100));
  expect(sim.calls.some((c) => c.method === 'DELETE' && c.path.includes('/messages/'))).toBe(true);
});
