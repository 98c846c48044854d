/**
 * The built bundle against the simulator: a player whose Discord language is neither Japanese nor
 * English (fr) gets the server's language — English on a new server, Japanese once an admin sets
 * it — and replies mention commands with the ids registered before the bot started.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { COMMANDS } from '../../app/discord/command-registry';
import {
  DiscordSimulator,
  type InteractionReply,
  PERMISSION_MANAGE_GUILD,
  simSnowflake,
} from '../discord-simulator/discord-simulator';
import { testMongoUri } from '../support/test-database';
import { FAKE_TOKEN, startBot, type BotProcess } from './bot-process';

const database = `gacha_e2e_language_${randomBytes(4).toString('hex')}`;
let sim: DiscordSimulator;
let bot: BotProcess;
let mongo: MongoClient;

beforeAll(async () => {
  sim = new DiscordSimulator();
  await sim.start();
  sim.addGuild('English by default');
  sim.addGuild('Set to Japanese');
  // Registered before the bot starts, like `npm run commands:deploy`: the bot reads the ids at ready.
  const registered = await fetch(`${sim.restBase}/v10/applications/${sim.applicationId}/commands`, {
    method: 'PUT',
    headers: { authorization: `Bot ${FAKE_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(COMMANDS.map((c) => c.data)),
  });
  expect(registered.status).toBe(200);
  mongo = new MongoClient(testMongoUri());
  await mongo.connect();
  bot = await startBot({ apiBase: sim.restBase, mongoUri: testMongoUri(), database });
  await sim.waitForIdentify();
  await bot.waitForLog(/command ids learned for mentions/);
});

afterAll(async () => {
  await bot.stop();
  await sim.stop();
  await mongo.db(database).dropDatabase();
  await mongo.close();
});

function content(reply: InteractionReply): string {
  const embeds = (reply.data.embeds ?? []) as { title?: string; description?: string }[];
  const text = typeof reply.data.content === 'string' ? reply.data.content : '';
  return [text, ...embeds.flatMap((e) => [e.title ?? '', e.description ?? ''])].join('\n');
}

async function send(
  guildIndex: number,
  userId: string,
  commandName: string,
  options: {
    subcommand?: string;
    locale: string;
    admin?: boolean;
    options?: { name: string; type: number; value: string | number | boolean }[];
  },
): Promise<InteractionReply> {
  const guild = sim.guilds[guildIndex];
  if (!guild) throw new Error('no guild');
  const id = sim.sendInteraction({
    guildId: guild.id,
    member: { userId, ...(options.admin ? { permissions: String(PERMISSION_MANAGE_GUILD) } : {}) },
    commandName,
    ...(options.subcommand ? { subcommand: options.subcommand } : {}),
    ...(options.options ? { options: options.options } : {}),
    locale: options.locale,
  });
  return sim.waitForAnswer(id);
}

it('answers a fr player in English on a server that has not chosen a language', async () => {
  expect(content(await send(0, simSnowflake(), 'daily', { locale: 'fr' }))).toMatch(
    /^Daily reward: \+300 coins \(1-day streak\)\. Balance 1,300 coins\.$/,
  );
  const history = await send(0, simSnowflake(), 'history', { locale: 'fr' });
  expect(content(history)).toContain(`No pulls yet: try </gacha pull:${sim.commandId('gacha') ?? 'missing'}>.`);
});

it('answers a fr player in Japanese once the server is set to Japanese', async () => {
  const set = await send(1, simSnowflake(), 'gacha-admin', {
    subcommand: 'set-language',
    locale: 'fr',
    admin: true,
    options: [{ name: 'language', type: 3, value: 'ja' }],
  });
  // The admin's locale (fr) falls back too: to the language in force when the command ran (English).
  expect(content(set)).toMatch(/^Done: the server language is Japanese\./);
  expect(content(await send(1, simSnowflake(), 'daily', { locale: 'fr' }))).toBe(
    'デイリー報酬: +300コイン（1日連続）。残高1,300コイン。',
  );
  expect(content(await send(1, simSnowflake(), 'daily', { locale: 'en-US' }))).toMatch(/^Daily reward/);
});
