/**
 * End to end, in English and in Japanese, on the bundled bot — two processes on one database, as
 * during a release — against the Discord simulator: the banner form of create-banner and
 * edit-banner (filled, checked with localized problems that change nothing, previewed and
 * confirmed), then the banner's start and end announced once each in the channel the admin chose,
 * in the server's language; a channel the bot may not post in is logged and skipped.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { COMMANDS } from '../../app/discord/command-registry';
import {
  type ChannelMessage,
  DiscordSimulator,
  type InteractionReply,
  PERMISSION_MANAGE_GUILD,
  simSnowflake,
} from '../discord-simulator/discord-simulator';
import { testMongoUri } from '../support/test-database';
import { type BotProcess, FAKE_TOKEN, startBot } from './bot-process';
import { replyText } from './reply-text';

const ADMIN = String(PERMISSION_MANAGE_GUILD);
const STRING = 3;
const CHANNEL = 7;
let sim: DiscordSimulator;
const bots: BotProcess[] = [];
let mongo: MongoClient;
const database = `t_e2e_schedule_${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  sim = new DiscordSimulator();
  await sim.start();
  sim.addGuild('Schedule EN', 3);
  sim.addGuild('Schedule JA', 3);
  sim.addGuild('Schedule forbidden', 2);
  const registered = await fetch(`${sim.restBase}/v10/applications/${sim.applicationId}/commands`, {
    method: 'PUT',
    headers: { authorization: `Bot ${FAKE_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(COMMANDS.map((c) => c.data)),
  });
  expect(registered.status).toBe(200);
  mongo = new MongoClient(testMongoUri());
  await mongo.connect();
  const extra = { NODE_ENV: 'test', GACHA_TEST_ANNOUNCE_INTERVAL_MS: '250' };
  for (let i = 0; i < 2; i++) {
    const bot = await startBot({ apiBase: sim.restBase, mongoUri: testMongoUri(), database, extra });
    bots.push(bot);
    await bot.waitForLog(/command ids learned for mentions/);
  }
}, 120_000);

afterAll(async () => {
  for (const bot of bots) await bot.stop();
  await sim.stop();
  await mongo.db(database).dropDatabase();
  await mongo.close();
});

type Option = { name: string; type: number; value: string | number | boolean };

function buttons(reply: InteractionReply): string[] {
  const rows = (reply.data.components ?? []) as { components?: { custom_id?: string }[] }[];
  return rows.flatMap((r) => (r.components ?? []).map((c) => c.custom_id ?? ''));
}

const field = (customId: string, value: string) => ({
  type: 18,
  id: 1,
  component: { type: 4, custom_id: customId, value },
});

interface Case {
  readonly locale: 'en-US' | 'ja';
  readonly guild: number;
  readonly want: {
    readonly title: RegExp;
    readonly editTitle: RegExp;
    readonly refused: RegExp;
    readonly badDate: RegExp;
    readonly unknownItem: RegExp;
    readonly badPity: RegExp;
    readonly preview: RegExp;
    readonly applied: RegExp;
    readonly renamed: RegExp;
    readonly started: RegExp;
    readonly featured: string;
    readonly ended: RegExp;
  };
}

const CASES: Case[] = [
  {
    locale: 'en-US',
    guild: 0,
    want: {
      title: /^Create banner moon-fest$/,
      editTitle: /^Edit banner moon-fest$/,
      refused: /^Nothing was changed:/,
      badDate: /Ends: “next friday” is not a date\. Write YYYY-MM-DD HH:mm in the server’s time zone \(Asia\/Tokyo\)/,
      unknownItem: /Featured: no such item: `no-such-item`/,
      badPity: /Hard pity \/ spark: “ninety” is not two whole numbers/,
      preview: /Preview: create-banner moon-fest[\s\S]*Banners added: `moon-fest`/,
      applied: /Applied: create-banner moon-fest/,
      renamed: /Preview: edit-banner moon-fest[\s\S]*Banners changed: `moon-fest \(name\)`/,
      started:
        /^📣 \*\*Moon Festival\*\* has started!\nFeatured: Amaterasu\nEnds <t:(\d+):f> \(<t:\d+:R>\)\nPull with <\/gacha pull:\d+>\.$/,
      featured: 'Amaterasu',
      ended: /^🏁 \*\*Moon Festival\*\* has ended\./,
    },
  },
  {
    locale: 'ja',
    guild: 1,
    want: {
      title: /^ガチャ moon-fest を作成$/,
      editTitle: /^ガチャ moon-fest を編集$/,
      refused: /^何も変更していません:/,
      badDate: /終了: 「next friday」は日時として読めません。サーバーのタイムゾーン（Asia\/Tokyo）/,
      unknownItem: /ピックアップ: 存在しないアイテム: `no-such-item`/,
      badPity: /天井 \/ 交換: 「ninety」は90\/300のような2つの整数ではありません/,
      preview: /プレビュー: create-banner moon-fest[\s\S]*ガチャを追加: `moon-fest`/,
      applied: /反映しました: create-banner moon-fest/,
      renamed: /プレビュー: edit-banner moon-fest[\s\S]*ガチャを変更: `moon-fest \(name\)`/,
      started:
        /^📣 \*\*月祭\*\* が始まりました！\nピックアップ: 天照大神\n終了: <t:(\d+):f>（<t:\d+:R>）\n<\/gacha pull:\d+> で引けます。$/,
      featured: '天照大神',
      ended: /^🏁 \*\*月祭\*\* は終了しました。/,
    },
  },
];

function guildOf(index: number) {
  const guild = sim.guilds[index];
  if (!guild) throw new Error(`no guild ${index}`);
  return guild;
}

function command(guildIndex: number, locale: string, subcommand: string, options: Option[] = []): string {
  return sim.sendInteraction({
    guildId: guildOf(guildIndex).id,
    member: { userId: ADMIN_USER, permissions: ADMIN },
    commandName: 'gacha-admin',
    subcommand,
    options,
    locale,
  });
}

function submit(guildIndex: number, locale: string, customId: string, components: object[]): string {
  return sim.sendInteraction({
    guildId: guildOf(guildIndex).id,
    member: { userId: ADMIN_USER, permissions: ADMIN },
    commandName: 'gacha-admin',
    modalSubmit: { customId, components },
    locale,
  });
}

function press(guildIndex: number, locale: string, customId: string): Promise<InteractionReply> {
  return sim.waitForAnswer(
    sim.sendInteraction({
      guildId: guildOf(guildIndex).id,
      member: { userId: ADMIN_USER, permissions: ADMIN },
      commandName: 'gacha-admin',
      customId,
      locale,
    }),
  );
}

const ADMIN_USER = simSnowflake();

async function revisions(guildIndex: number): Promise<number> {
  return mongo
    .db(database)
    .collection('server_settings')
    .countDocuments({ guildId: guildOf(guildIndex).id });
}

describe.each(CASES)('banner form and schedule ($locale)', ({ locale, guild, want }) => {
  const nameOf = locale === 'ja' ? '月祭' : 'Moon Festival';
  const stamp = (at: number) => `<t:${Math.floor(at / 1000)}>`;

  it('sets the server language and the announcement channel', async () => {
    await sim.waitForAnswer(
      command(guild, locale, 'set-language', [
        { name: 'language', type: STRING, value: locale === 'ja' ? 'ja' : 'en' },
      ]),
    );
    const channel = guildOf(guild).channelIds[1] ?? '';
    const setup = await sim.waitForAnswer(
      command(guild, locale, 'preview-setup', [{ name: 'announce-channel', type: CHANNEL, value: channel }]),
    );
    expect(replyText(setup)).toContain(`<#${channel}>`);
  });

  it('opens the banner form when create-banner names only the id; problems are listed and change nothing', async () => {
    const shown = await sim.waitForReply(
      command(guild, locale, 'create-banner', [{ name: 'id', type: STRING, value: 'moon-fest' }]),
    );
    expect(shown.type).toBe(9);
    expect(shown.data.title).toMatch(want.title);
    expect(shown.data.custom_id).toBe('gacha-admin:banner-form:create:r:moon-fest');
    const labels = shown.data.components as { type: number; component: { custom_id: string } }[];
    expect(labels.map((l) => [l.type, l.component.custom_id])).toEqual([
      [18, 'name'],
      [18, 'starts'],
      [18, 'ends'],
      [18, 'featured'],
      [18, 'pity'],
    ]);
    const before = await revisions(guild);
    const refused = await sim.waitForAnswer(
      submit(guild, locale, 'gacha-admin:banner-form:create:r:moon-fest', [
        field('name', nameOf),
        field('starts', ''),
        field('ends', 'next friday'),
        field('featured', 'amaterasu, no-such-item'),
        field('pity', 'ninety'),
      ]),
    );
    const text = replyText(refused);
    expect(text).toMatch(want.refused);
    expect(text).toMatch(want.badDate);
    expect(text).toMatch(want.unknownItem);
    expect(text).toMatch(want.badPity);
    expect(buttons(refused)).toEqual([]);
    expect(await revisions(guild)).toBe(before);
  });

  it('previews and confirms the form; the start and the end are each announced once, in the server’s language', async () => {
    const startsAt = Date.now() + 8_000;
    const endsAt = startsAt + 8_000;
    const preview = await sim.waitForAnswer(
      submit(guild, locale, 'gacha-admin:banner-form:create:r:moon-fest', [
        field('name', nameOf),
        field('starts', stamp(startsAt)),
        field('ends', stamp(endsAt)),
        field('featured', 'amaterasu'),
        field('pity', '90 / 200'),
      ]),
    );
    expect(replyText(preview)).toMatch(want.preview);
    const [confirm = ''] = buttons(preview);
    expect(replyText(await press(guild, locale, confirm))).toMatch(want.applied);
    const latest = await mongo
      .db(database)
      .collection<{
        settings: { catalog: { banners: { id: string; sparkThreshold: number; pity: { hardPity: number } }[] } };
      }>('server_settings')
      .find({ guildId: guildOf(guild).id })
      .sort({ revision: -1 })
      .limit(1)
      .next();
    const banner = latest?.settings.catalog.banners.find((b) => b.id === 'moon-fest');
    expect(banner).toMatchObject({ sparkThreshold: 200, pity: { hardPity: 90 } });

    // The edit form, filled with the banner; a rename is previewed (and cancelled here).
    const edit = await sim.waitForReply(
      command(guild, locale, 'edit-banner', [{ name: 'id', type: STRING, value: 'moon-fest' }]),
    );
    expect(edit.type).toBe(9);
    expect(edit.data.title).toMatch(want.editTitle);
    const values = Object.fromEntries(
      (edit.data.components as { component: { custom_id: string; value?: string } }[]).map((l) => [
        l.component.custom_id,
        l.component.value ?? '',
      ]),
    );
    expect(values).toMatchObject({ name: nameOf, featured: 'amaterasu', pity: '90 / 200' });
    expect(values.ends).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    const renamed = await sim.waitForAnswer(
      submit(guild, locale, 'gacha-admin:banner-form:edit:r:moon-fest', [
        field('name', `${nameOf}!`),
        field('starts', values.starts ?? ''),
        field('ends', values.ends ?? ''),
        field('featured', values.featured ?? ''),
        field('pity', values.pity ?? ''),
      ]),
    );
    // Dates left as the form showed them (to the minute) stay as stored (to the second).
    expect(replyText(renamed)).toMatch(want.renamed);
    const [, cancel = ''] = buttons(renamed);
    await press(guild, locale, cancel);

    const channelId = guildOf(guild).channelIds[1] ?? '';
    const inChannel = (messages: readonly ChannelMessage[]) => messages.filter((m) => m.channelId === channelId);
    await sim.waitForChannelMessages((m) => inChannel(m).length >= 2, 40_000);
    // Both processes keep passing every 250 ms: nothing more is posted.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const posted = inChannel(sim.channelMessages);
    expect(posted).toHaveLength(2);
    const [start, end] = posted.map((m) => m.data);
    expect(start?.content).toMatch(want.started);
    expect(String(start?.content)).toContain(`<t:${Math.floor(endsAt / 1000)}:f>`);
    expect(String(start?.content)).toContain(`</gacha pull:${sim.commandId('gacha') ?? 'missing'}>`);
    expect(start?.allowed_mentions).toEqual({ parse: [] });
    expect(end?.content).toMatch(want.ended);
    expect(end?.allowed_mentions).toEqual({ parse: [] });
    const marks = await mongo
      .db(database)
      .collection('banner_announcements')
      .find({ guildId: guildOf(guild).id })
      .toArray();
    expect(marks.map((m) => String(m._id)).sort()).toEqual([
      `${guildOf(guild).id}:moon-fest:end`,
      `${guildOf(guild).id}:moon-fest:start`,
    ]);
  }, 60_000);
});

it('logs a channel the bot may not post in, and does not retry it', async () => {
  const index = 2;
  const channel = guildOf(index).channelIds[1] ?? '';
  sim.forbiddenChannels.add(channel);
  await sim.waitForAnswer(
    command(index, 'en-US', 'preview-setup', [{ name: 'announce-channel', type: CHANNEL, value: channel }]),
  );
  const startsAt = Date.now() + 3_000;
  const preview = await sim.waitForAnswer(
    command(index, 'en-US', 'create-banner', [
      { name: 'id', type: STRING, value: 'quiet-fest' },
      { name: 'name', type: STRING, value: 'Quiet Festival' },
      { name: 'featured', type: STRING, value: 'amaterasu' },
      { name: 'starts', type: STRING, value: `<t:${Math.floor(startsAt / 1000)}>` },
      { name: 'ends', type: STRING, value: `<t:${Math.floor(startsAt / 1000) + 3_600}>` },
    ]),
  );
  const [confirm = ''] = buttons(preview);
  await press(index, 'en-US', confirm);
  const warned = await Promise.any(bots.map((b) => b.waitForLog(/banner announcement could not be posted/, 30_000)));
  expect(warned).toContain('quiet-fest');
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const attempts = sim.calls.filter((c) => c.method === 'POST' && c.path.endsWith(`/channels/${channel}/messages`));
  expect(attempts).toHaveLength(1);
  expect(attempts[0]?.status).toBe(403);
  expect(sim.channelMessages.filter((m) => m.channelId === channel)).toEqual([]);
}, 60_000);

it('sent nothing Discord would refuse', () => {
  expect(sim.rejected).toEqual([]);
});
