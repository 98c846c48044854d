/**
 * Through the in-process bot and the simulator, in both languages: the server language an admin
 * sets (English on a new server) for players of other locales, the time zone and currency name
 * settings, clickable command mentions with the registered ids, /gacha rates paging (opener only)
 * and /history with banner, cost, items and monthly totals.
 */
import { defaultCatalog } from '../../app/domain/default-catalog';
import { collections } from '../../app/storage/collections';
import {
  type DiscordSimulator,
  type InteractionReply,
  PERMISSION_MANAGE_GUILD,
  simSnowflake,
} from '../discord-simulator/discord-simulator';
import { type InProcessBot, startInProcessBot } from './in-process-bot';

const EPHEMERAL = 64;
const STRING = 3;
const ADMIN = String(PERMISSION_MANAGE_GUILD);

let bot: InProcessBot;
let sim: DiscordSimulator;

beforeAll(async () => {
  bot = await startInProcessBot('Language', {}, { registerCommands: true });
  sim = bot.sim;
});

afterAll(async () => {
  await bot.close();
});

function text(reply: InteractionReply): string {
  const embeds = (reply.data.embeds ?? []) as {
    title?: string;
    description?: string;
    footer?: { text?: string };
    fields?: { name: string; value: string }[];
  }[];
  return [
    typeof reply.data.content === 'string' ? reply.data.content : '',
    ...embeds.flatMap((e) => [
      e.title ?? '',
      e.description ?? '',
      e.footer?.text ?? '',
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    ]),
  ].join('\n');
}

function isEphemeral(reply: InteractionReply): boolean {
  return (Number(reply.data.flags ?? 0) & EPHEMERAL) === EPHEMERAL;
}

function buttonIds(reply: InteractionReply): string[] {
  const rows = (reply.data.components ?? []) as { components?: { custom_id?: string }[] }[];
  return rows.flatMap((r) => (r.components ?? []).map((c) => c.custom_id ?? ''));
}

async function send(
  guildId: string,
  userId: string,
  commandName: string,
  options: {
    subcommand?: string;
    locale?: string;
    admin?: boolean;
    options?: { name: string; type: number; value: string | number | boolean }[];
  } = {},
): Promise<InteractionReply> {
  const id = sim.sendInteraction({
    guildId,
    member: { userId, ...(options.admin ? { permissions: ADMIN } : {}) },
    commandName,
    ...(options.subcommand ? { subcommand: options.subcommand } : {}),
    ...(options.options ? { options: options.options } : {}),
    locale: options.locale ?? 'en-US',
  });
  return sim.waitForAnswer(id);
}

/** A new guild whose cooldowns are off (an admin edit), so a test can pull back to back. */
async function guildWithoutCooldowns(name: string): Promise<string> {
  const guildId = sim.addGuild(name).id;
  const reply = await send(guildId, simSnowflake(), 'gacha-admin', {
    subcommand: 'cooldown',
    admin: true,
    options: [
      { name: 'pull', type: 4, value: 0 },
      { name: 'other', type: 4, value: 0 },
    ],
  });
  expect(text(reply)).toBe('Done: cooldowns are 0s between pulls and 0s between other commands.');
  return guildId;
}

async function press(guildId: string, userId: string, customId: string, locale = 'en-US'): Promise<InteractionReply> {
  return sim.waitForAnswer(sim.sendInteraction({ guildId, member: { userId }, commandName: '', customId, locale }));
}

it('answers a player of another language in the server’s language: English on a new server, then what the admin sets', async () => {
  const guildId = sim.addGuild('Language A').id;
  const admin = simSnowflake();
  expect(text(await send(guildId, simSnowflake(), 'daily', { locale: 'fr' }))).toMatch(/^Daily reward: \+300 coins/);

  const set = await send(guildId, admin, 'gacha-admin', {
    subcommand: 'set-language',
    admin: true,
    options: [{ name: 'language', type: STRING, value: 'ja' }],
  });
  expect(isEphemeral(set)).toBe(true);
  expect(text(set)).toBe(
    'Done: the server language is Japanese. Players whose Discord language is neither Japanese nor English now see it.',
  );
  const settings = await collections(bot.database.db).settings.findOne({ guildId }, { sort: { revision: -1 } });
  expect(settings?.settings.locale).toBe('ja');
  expect(settings?.action).toBe('set-language: language ja');

  expect(text(await send(guildId, simSnowflake(), 'daily', { locale: 'fr' }))).toMatch(
    /^デイリー報酬: \+300コイン（1日連続）/,
  );
  // English and Japanese players keep their own language.
  expect(text(await send(guildId, simSnowflake(), 'daily', { locale: 'en-GB' }))).toMatch(/^Daily reward/);
  const back = await send(guildId, admin, 'gacha-admin', {
    subcommand: 'set-language',
    admin: true,
    locale: 'ja',
    options: [{ name: 'language', type: STRING, value: 'en' }],
  });
  expect(text(back)).toMatch(/^完了: サーバーの言語を英語にしました。/);
});

it('sets the daily time zone (validated) and the currency name, confirming in the admin’s language', async () => {
  const guildId = sim.addGuild('Language B').id;
  const admin = simSnowflake();
  const settings = collections(bot.database.db).settings;
  const bad = await send(guildId, admin, 'gacha-admin', {
    subcommand: 'set-timezone',
    admin: true,
    locale: 'ja',
    options: [{ name: 'timezone', type: STRING, value: 'Mars/Olympus_Mons' }],
  });
  expect(isEphemeral(bad)).toBe(true);
  expect(text(bad)).toContain('「Mars/Olympus_Mons」はタイムゾーンではありません');
  expect(text(bad)).not.toMatch(/Unknown timezone/);
  expect(await settings.countDocuments({ guildId })).toBe(0);

  const good = await send(guildId, admin, 'gacha-admin', {
    subcommand: 'set-timezone',
    admin: true,
    locale: 'ja',
    options: [{ name: 'timezone', type: STRING, value: 'Europe/Paris' }],
  });
  expect(text(good)).toMatch(/^完了: デイリー報酬はEurope\/Parisの0時にリセットされます/);
  expect((await settings.findOne({ guildId }, { sort: { revision: -1 } }))?.settings.daily.timezone).toBe(
    'Europe/Paris',
  );

  const named = await send(guildId, admin, 'gacha-admin', {
    subcommand: 'set-currency-name',
    admin: true,
    options: [
      { name: 'japanese', type: STRING, value: '石' },
      { name: 'english', type: STRING, value: 'gems' },
    ],
  });
  expect(text(named)).toBe('Done: the currency is called "gems" in English and "石" in Japanese.');
  expect(text(await send(guildId, simSnowflake(), 'daily'))).toMatch(/^Daily reward: \+300 gems/);
  expect(text(await send(guildId, simSnowflake(), 'daily', { locale: 'ja' }))).toMatch(/^デイリー報酬: \+300石/);
  // Leaving both out goes back to the default names; each change is a revision.
  await send(guildId, admin, 'gacha-admin', { subcommand: 'set-currency-name', admin: true });
  expect(text(await send(guildId, simSnowflake(), 'daily'))).toMatch(/^Daily reward: \+300 coins/);
  expect(await settings.countDocuments({ guildId })).toBe(3);
});

it('mentions other commands with the ids the simulator registered', async () => {
  const guildId = await guildWithoutCooldowns('Language C');
  const pullId = sim.commandId('gacha');
  const dailyId = sim.commandId('daily');
  expect(pullId).toMatch(/^\d{17,20}$/);
  expect(dailyId).toMatch(/^\d{17,20}$/);
  expect(pullId).not.toBe(dailyId);
  const history = await send(guildId, simSnowflake(), 'history', { locale: 'ja' });
  expect(text(history)).toContain(`まだガチャを引いていません。</gacha pull:${pullId}>で引けます。`);
  // A poor player is pointed to /daily (after spending the starting 1,000 on a 10-pull).
  const user = simSnowflake();
  const first = await send(guildId, user, 'gacha', {
    subcommand: 'pull',
    options: [{ name: 'count', type: 4, value: 10 }],
  });
  // The shard note under a pull points to the shop, and an empty wishlist to /wish add, as mentions.
  // (The pull result is a Components V2 message: its text is in text displays, not `content`.)
  expect(JSON.stringify(first.data.components)).toMatch(new RegExp(`exchange \\(</gacha exchange:${pullId}>\\)`));
  const wishId = sim.commandId('wish');
  expect(wishId).toMatch(/^\d{17,20}$/);
  const wishes = await send(guildId, user, 'wish', { subcommand: 'list', locale: 'ja' });
  expect(text(wishes)).toContain(`まだ登録がありません。</wish add:${wishId}> で追加できます。`);
  // The pings hint is in the description, where its mention is clickable; no footer names a command.
  const wishEmbed = (wishes.data.embeds as { description?: string; footer?: unknown }[] | undefined)?.[0];
  expect(wishEmbed?.description).toMatch(new RegExp(`（</wish pings:${wishId}> でオ[ンフ]）`));
  expect(wishEmbed?.footer).toBeUndefined();
  const broke = await send(guildId, user, 'gacha', {
    subcommand: 'pull',
    options: [{ name: 'count', type: 4, value: 10 }],
  });
  expect(text(broke)).toBe(`Not enough coins: this costs 1,000, you have 0. Try </daily:${dailyId}>.`);
});

it.each([
  ['en-US', /Items 1–20 of 60/, /Items 21–40 of 60/, /Default rates: never changed on this server/],
  [
    'ja',
    /排出アイテム: 1〜20件目\/全60件/,
    /排出アイテム: 21〜40件目\/全60件/,
    /既定の排出率（このサーバーでは未変更）/,
  ],
])('/gacha rates lists every item in pages only the opener turns (%s)', async (locale, first, second, changed) => {
  const guildId = sim.addGuild(`Rates ${locale}`).id;
  const opener = simSnowflake();
  const reply = await send(guildId, opener, 'gacha', {
    subcommand: 'rates',
    locale,
    options: [{ name: 'item', type: STRING, value: defaultCatalog().items[0]?.id ?? '' }],
  });
  const body = text(reply);
  expect(body).toMatch(first);
  expect(body).toMatch(changed);
  expect(body).toMatch(locale === 'ja' ? /実質排出率/ : /effective rate/);
  expect(body).toMatch(
    locale === 'ja'
      ? /までの期待値: 約[\d,.]+回（約[\d,]+コイン）/
      : /Expected to a .+: about [\d,.]+ pulls ≈ [\d,]+ coins/,
  );
  const [previous = '', next = ''] = buttonIds(reply);
  expect(previous).toMatch(/^gacha:rp:/);
  expect(next.length).toBeLessThanOrEqual(100);

  const stranger = await press(guildId, simSnowflake(), next, locale);
  expect(isEphemeral(stranger)).toBe(true);
  expect(text(stranger)).toMatch(
    locale === 'ja' ? /コマンドを使ったメンバーだけ/ : /belong to the member who used the command/,
  );

  const page2 = await press(guildId, opener, next, locale);
  expect(isEphemeral(page2)).toBe(false);
  expect(text(page2)).toMatch(second);
  // Every item appears on some page.
  const all = [body, text(page2), text(await press(guildId, opener, buttonIds(page2)[1] ?? '', locale))].join('\n');
  for (const item of defaultCatalog().items) expect(all).toContain(item.name[locale === 'ja' ? 'ja' : 'en']);
});

it.each([
  ['en-US', /\*\*Standard Banner\*\* · 10-pull · 1,000 coins/, /: 1,100 coins \(11 pulls\)/],
  ['ja', /\*\*常設ガチャ\*\* · 10連 · 1,000コイン/, /: 1,100コイン（11回）/],
])('/history shows each pull’s banner, cost and items, and monthly totals (%s)', async (locale, tenLine, monthLine) => {
  const guildId = await guildWithoutCooldowns(`History ${locale}`);
  const user = simSnowflake();
  await send(guildId, user, 'daily', { locale }); // 1,000 + 300: enough for a single and a 10-pull
  await send(guildId, user, 'gacha', { subcommand: 'pull', locale });
  await send(guildId, user, 'gacha', { subcommand: 'pull', locale, options: [{ name: 'count', type: 4, value: 10 }] });
  const history = await send(guildId, user, 'history', { locale });
  const body = text(history);
  expect(isEphemeral(history)).toBe(true);
  expect(body).toMatch(tenLine);
  expect(body).toMatch(monthLine);
  const ten = await collections(bot.database.db).ledger.findOne({
    guildId,
    userId: user,
    kind: 'pull',
    'pull.count': 10,
  });
  const names = defaultCatalog().items.filter((i) => ten?.pull?.items.some((p) => p.itemId === i.id));
  expect(names.length).toBeGreaterThan(0);
  for (const item of names) expect(body).toContain(item.name[locale === 'ja' ? 'ja' : 'en'].slice(0, 29));
});

it('/gacha rates says when the rates last changed: a rate edit counts, a price edit does not', async () => {
  const guildId = await guildWithoutCooldowns('Rates changed');
  const admin = simSnowflake();
  const rates = await send(guildId, admin, 'gacha-admin', {
    subcommand: 'set-rates',
    admin: true,
    locale: 'ja',
    options: [
      { name: 'rates', type: STRING, value: 'N=50,R=35,SR=11,SSR=3.5,UR=0.5' },
      // The standard banner is running: the change is announced in its public changelog.
      { name: 'live', type: STRING, value: 'announce' },
    ],
  });
  // A catalog edit is previewed first and applied by its author's Confirm.
  expect(text(rates)).toContain('プレビュー: set-rates');
  const rows = rates.data.components as { components: { custom_id: string }[] }[];
  const confirm = rows[0]?.components[0]?.custom_id ?? '';
  expect(confirm).toMatch(/^gacha-admin:apply:/);
  const applied = await sim.waitForAnswer(
    sim.sendInteraction({
      guildId,
      member: { userId: admin, permissions: ADMIN },
      commandName: '',
      customId: confirm,
      locale: 'ja',
    }),
  );
  expect(text(applied)).toContain('set-rates');
  const settings = collections(bot.database.db).settings;
  const changed = await settings.findOne({ guildId, action: { $regex: /^set-rates/ } });
  const at = Math.floor((changed?.at.getTime() ?? 0) / 1000);
  await send(guildId, admin, 'gacha-admin', {
    subcommand: 'set-cost',
    admin: true,
    options: [
      { name: 'single', type: 4, value: 150 },
      { name: 'ten', type: 4, value: 1500 },
    ],
  });
  expect(await settings.countDocuments({ guildId })).toBe(3);
  const en = text(await send(guildId, simSnowflake(), 'gacha', { subcommand: 'rates' }));
  expect(en).toContain(`Rates last changed <t:${at}:f>`);
  expect(en).toMatch(/≈ [\d,]+ coins/);
  const ja = text(await send(guildId, simSnowflake(), 'gacha', { subcommand: 'rates', locale: 'ja' }));
  expect(ja).toContain(`排出率の最終変更: <t:${at}:f>`);
  const bad = await send(guildId, admin, 'gacha-admin', {
    subcommand: 'set-rates',
    admin: true,
    locale: 'ja',
    options: [{ name: 'rates', type: STRING, value: 'N=50,X=50' }],
  });
  expect(text(bad)).toBe('受け付けられませんでした。何も変更していません。\nレア度「X」はありません。');
});
