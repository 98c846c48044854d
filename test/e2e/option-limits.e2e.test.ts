/**
 * End to end, generated from the command definitions the bot registers: every command and
 * subcommand is sent with the longest and oddest values Discord allows in each of its string,
 * integer and number options (max_length unicode with RTL and zero-width characters, mentions,
 * markdown, `@everyone`; min/max values). A new option cannot be missed: the cases come from the
 * slash-command JSON the bot registers (`COMMANDS[].data`). Every reply must pass the simulator's limit checks, echo no run of the input
 * longer than a bounded name, and ping nobody the input named.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { COMMANDS } from '../../app/discord/command-registry';
import {
  DiscordSimulator,
  PERMISSION_MANAGE_GUILD,
  simSnowflake,
  type InteractionReply,
} from '../discord-simulator/discord-simulator';
import { testMongoUri } from '../support/test-database';
import { startBot, type BotProcess } from './bot-process';
import { replyText } from './reply-text';

const ADMIN = String(PERMISSION_MANAGE_GUILD);
const SUBCOMMAND = 1;
const GROUP = 2;
const STRING = 3;
const INTEGER = 4;
const BOOLEAN = 5;
const USER = 6;
const CHANNEL = 7;
const ROLE = 8;
const MENTIONABLE = 9;
const NUMBER = 10;
const ATTACHMENT = 11;
/** Discord's limit for a string option without max_length. */
const DISCORD_STRING_MAX = 6_000;
/** The longest run of the input a reply may repeat (names are cut well below this). */
const MAX_ECHO = 200;

interface OptionJson {
  readonly type: number;
  readonly name: string;
  readonly required?: boolean;
  readonly max_length?: number;
  readonly min_value?: number;
  readonly max_value?: number;
  readonly choices?: readonly { readonly value: string | number }[];
  readonly options?: readonly OptionJson[];
}

interface CommandJson {
  readonly name: string;
  readonly options?: readonly OptionJson[];
}

interface Case {
  readonly label: string;
  readonly commandName: string;
  readonly subcommand?: string;
  readonly options: readonly OptionJson[];
}

/** Every command, subcommand and grouped subcommand with the options it takes. */
export function commandCases(commands: readonly CommandJson[]): Case[] {
  return commands.flatMap((command) => {
    const options = command.options ?? [];
    const subs = options.filter((o) => o.type === SUBCOMMAND);
    const groups = options.filter((o) => o.type === GROUP);
    if (subs.length === 0 && groups.length === 0)
      return [{ label: `/${command.name}`, commandName: command.name, options }];
    return [
      ...subs.map((sub) => ({
        label: `/${command.name} ${sub.name}`,
        commandName: command.name,
        subcommand: sub.name,
        options: sub.options ?? [],
      })),
      // The simulator sends one level of subcommand; a group would need another (none is registered).
      ...groups.map((group) => ({ label: `/${command.name} ${group.name}`, commandName: command.name, options: [] })),
    ];
  });
}

const MENTION_ID = '123456789012345678';
/** Odd pieces Discord lets a user type: RTL override, zero-width joiner and space, mentions, markdown. */
const ODD = `\u202e@everyone\u200d @here <@${MENTION_ID}> <@&${MENTION_ID}> **ｂｏｌｄ** \`x\` ||s|| # h\n> q 👩‍👩‍👧‍👦 עברית مرحبا\u200b天照大神 `;

/** A string of exactly `length` UTF-16 units (Discord counts characters; surrogates are avoided at the cut). */
export function oddString(length: number, seed: number): string {
  let text = `${seed}`;
  while (text.length < length) text += ODD;
  let cut = text.slice(0, length);
  if (/[\ud800-\udbff]$/.test(cut)) cut = `${cut.slice(0, -1)}x`;
  return cut;
}

type Value = string | number | boolean;

function oddValues(options: readonly OptionJson[], variant: 'max' | 'min', guildId: string, channelId: string) {
  const values: { name: string; type: number; value: Value }[] = [];
  options.forEach((option, index) => {
    const choice = option.choices?.[variant === 'max' ? option.choices.length - 1 : 0];
    let value: Value | undefined;
    if (choice) value = choice.value;
    else if (option.type === STRING)
      value = oddString(variant === 'max' ? (option.max_length ?? DISCORD_STRING_MAX) : 1, index);
    else if (option.type === INTEGER)
      value =
        variant === 'max'
          ? (option.max_value ?? Number.MAX_SAFE_INTEGER)
          : (option.min_value ?? -Number.MAX_SAFE_INTEGER);
    else if (option.type === NUMBER)
      value = variant === 'max' ? (option.max_value ?? 1e300) : (option.min_value ?? -1e300);
    else if (option.type === BOOLEAN) value = variant === 'max';
    else if (option.type === USER || option.type === MENTIONABLE) value = MENTION_ID;
    else if (option.type === CHANNEL) value = channelId;
    else if (option.type === ROLE) value = guildId;
    else if (option.type === ATTACHMENT) value = 'odd-file';
    if (value !== undefined && (option.required || option.type !== ATTACHMENT))
      values.push({ name: option.name, type: option.type, value });
  });
  return values;
}

/** The longest run of characters (≥ 8) `reply` shares with `input`, by a sliding window. */
function longestEcho(reply: string, input: string): number {
  if (input.length < 8) return 0;
  let best = 0;
  for (let start = 0; start + 8 <= input.length; start += 97) {
    let size = 8;
    if (!reply.includes(input.slice(start, start + size))) continue;
    while (start + size < input.length && reply.includes(input.slice(start, start + size + 1))) size++;
    best = Math.max(best, size);
  }
  return best;
}

/** Who a reply could ping: Discord pings from content only when allowed_mentions lets it. */
function pingProblems(reply: InteractionReply): string[] {
  const allowed = reply.data.allowed_mentions as { parse?: string[]; users?: string[]; roles?: string[] } | undefined;
  const text = replyText(reply);
  const problems: string[] = [];
  const parse = allowed ? (allowed.parse ?? []) : ['everyone', 'users', 'roles'];
  if (/@(everyone|here)/.test(text) && parse.includes('everyone')) problems.push('may ping @everyone/@here');
  if (text.includes(`<@${MENTION_ID}>`) && (parse.includes('users') || allowed?.users?.includes(MENTION_ID)))
    problems.push('may ping the user the input named');
  if (text.includes(`<@&${MENTION_ID}>`) && (parse.includes('roles') || allowed?.roles?.includes(MENTION_ID)))
    problems.push('may ping the role the input named');
  return problems;
}

let sim: DiscordSimulator;
let bot: BotProcess;
let mongo: MongoClient;
const database = `t_e2e_${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  sim = new DiscordSimulator();
  await sim.start();
  sim.addGuild('Limits');
  mongo = new MongoClient(testMongoUri());
  await mongo.connect();
  bot = await startBot({ apiBase: sim.restBase, mongoUri: testMongoUri(), database });
  await sim.waitForIdentify();
  await bot.waitForLog(/gateway ready/);
}, 120_000);

afterAll(async () => {
  await bot.stop();
  await sim.stop();
  await mongo.db(database).dropDatabase();
  await mongo.close();
});

it('sends the longest and oddest values to every option of every command: all replies fit, bounded, pinging nobody', async () => {
  const registered = COMMANDS.map((command) => command.data as CommandJson);
  const cases = commandCases(registered);
  expect(cases.length).toBeGreaterThan(20);
  const guild = sim.guilds[0];
  if (!guild) throw new Error('no guild');
  const channelId = guild.channelIds[0] ?? simSnowflake();
  const problems: string[] = [];
  for (const variant of ['max', 'min'] as const) {
    for (const c of cases) {
      const options = oddValues(c.options, variant, guild.id, channelId);
      const id = sim.sendInteraction({
        guildId: guild.id,
        channelId,
        member: { userId: simSnowflake(), permissions: ADMIN, username: `\u202e@everyone${'𝕏'.repeat(16)}` },
        locale: variant === 'max' ? 'ja' : 'en-US',
        commandName: c.commandName,
        ...(c.subcommand ? { subcommand: c.subcommand } : {}),
        options,
        attachments: [{ id: 'odd-file', filename: `${'\u202e'.repeat(3)}x.json`, content: oddString(2_000, 7) }],
      });
      let answer: InteractionReply;
      try {
        answer = await sim.waitForAnswer(id, 15_000);
      } catch (error) {
        problems.push(`${c.label} (${variant}): ${String(error)}`);
        continue;
      }
      const text = replyText(answer);
      // A fresh member per case, so no cooldown (set to its maximum by one case) hides another.
      if (/Something went wrong|エラーが発生しました/.test(text))
        problems.push(`${c.label} (${variant}): internal error`);
      for (const option of options) {
        if (typeof option.value !== 'string' || option.type !== STRING) continue;
        const echoed = longestEcho(text, option.value);
        if (echoed > MAX_ECHO) problems.push(`${c.label} (${variant}) echoes ${echoed} characters of ${option.name}`);
      }
      for (const problem of pingProblems(answer)) problems.push(`${c.label} (${variant}): ${problem}`);
    }
  }
  expect(sim.rejected.map((r) => JSON.stringify(r).slice(0, 300))).toEqual([]);
  expect(problems).toEqual([]);
}, 600_000);
