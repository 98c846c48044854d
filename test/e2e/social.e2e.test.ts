/**
 * End to end on the built bundle: gifts, trades, wishlists and the shard shop in English and
 * Japanese, through the simulator (user options carry `resolved.users`), against the test database.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { auditLedger } from '../../app/storage/ledger-audit';
import {
  DiscordSimulator,
  PERMISSION_MANAGE_GUILD,
  simSnowflake,
  type InteractionReply,
} from '../discord-simulator/discord-simulator';
import { testMongoUri } from '../support/test-database';
import { startBot, type BotProcess } from './bot-process';
import { replyText } from './reply-text';

const EPHEMERAL = 64;
/** The interaction callback that opens a form. */
const MODAL = 9;
const STRING = 3;
const INTEGER = 4;
const BOOLEAN = 5;
const USER = 6;
let sim: DiscordSimulator;
let bot: BotProcess;
let mongo: MongoClient;
const database = `t_e2e_social_${randomBytes(4).toString('hex')}`;
let guildId = '';
const admin = simSnowflake();

type Option = { name: string; type: number; value: string | number | boolean };

async function send(
  userId: string,
  commandName: string,
  opts: {
    subcommand?: string;
    options?: Option[];
    locale?: string;
    resolvedUsers?: { id: string; bot?: boolean; member?: boolean }[];
    permissions?: string;
  } = {},
): Promise<InteractionReply> {
  const id = sim.sendInteraction({
    guildId,
    member: {
      userId,
      username: `name${userId.slice(-3)}`,
      ...(opts.permissions ? { permissions: opts.permissions } : {}),
    },
    commandName,
    ...(opts.subcommand ? { subcommand: opts.subcommand } : {}),
    ...(opts.options ? { options: opts.options } : {}),
    ...(opts.resolvedUsers ? { resolvedUsers: opts.resolvedUsers } : {}),
    locale: opts.locale ?? 'en-US',
  });
  return sim.waitForAnswer(id);
}

async function click(userId: string, customId: string, locale = 'en-US'): Promise<InteractionReply> {
  const id = sim.sendInteraction({ guildId, member: { userId }, commandName: '', customId, locale });
  return sim.waitForAnswer(id);
}

function content(reply: InteractionReply): string {
  const embeds = (reply.data.embeds ?? []) as { title?: string; description?: string }[];
  return [
    typeof reply.data.content === 'string' ? reply.data.content : '',
    ...embeds.flatMap((e) => [e.title ?? '', e.description ?? '']),
  ].join('\n');
}

function buttonIds(reply: InteractionReply): string[] {
  const rows = (reply.data.components ?? []) as { components?: { custom_id?: string }[] }[];
  return rows.flatMap((r) => (r.components ?? []).flatMap((c) => (c.custom_id ? [c.custom_id] : [])));
}

function isEphemeral(reply: InteractionReply): boolean {
  return (Number(reply.data.flags ?? 0) & EPHEMERAL) === EPHEMERAL;
}

async function balance(userId: string): Promise<number> {
  const head = await mongo
    .db(database)
    .collection<{ state: { currency: number } }>('player_ledger')
    .find({ guildId, userId })
    .sort({ seq: -1 })
    .limit(1)
    .next();
  return head?.state.currency ?? 1_000;
}

const asAdmin = (subcommand: string, options: Option[]) =>
  send(admin, 'gacha-admin', { subcommand, options, permissions: String(PERMISSION_MANAGE_GUILD) });

beforeAll(async () => {
  sim = new DiscordSimulator();
  await sim.start();
  guildId = sim.addGuild('Social').id;
  mongo = new MongoClient(testMongoUri());
  await mongo.connect();
  bot = await startBot({ apiBase: sim.restBase, mongoUri: testMongoUri(), database });
  await sim.waitForIdentify();
  await bot.waitForLog(/gateway ready/);
  await asAdmin('cooldown', [
    { name: 'pull', type: INTEGER, value: 0 },
    { name: 'other', type: INTEGER, value: 0 },
  ]);
});

afterAll(async () => {
  await bot.stop();
  await sim.stop();
  await mongo.db(database).dropDatabase();
  await mongo.close();
});

afterEach(async () => {
  expect((await auditLedger(mongo.db(database), guildId, { inFlightGraceMs: 0 })).problems).toEqual([]);
});

describe.each([
  ['en-US', /Give|→/, /Gift delivered/, /Bots cannot/, /yourself/, /Trade done/, /Trade called off/],
  ['ja', /→/, /贈りました/, /ボットには/, /自分自身/, /トレード成立/, /トレードは中止/],
])('in %s', (locale, proposed, delivered, botRefusal, selfRefusal, tradeDone, tradeOff) => {
  it('/give moves currency once on Confirm; refuses a bot, yourself and more than you have', async () => {
    const [a, b] = [simSnowflake(), simSnowflake()];
    const gift = await send(a, 'give', {
      locale,
      options: [
        { name: 'member', type: USER, value: b },
        { name: 'amount', type: INTEGER, value: 120 },
      ],
    });
    expect(content(gift)).toMatch(proposed);
    expect(await balance(b)).toBe(1_000);
    const confirm = buttonIds(gift).find((id) => id.startsWith('give:confirm:'));
    if (!confirm) throw new Error('no confirm button');
    expect(content(await click(a, confirm, locale))).toMatch(delivered);
    await click(a, confirm, locale);
    expect(await balance(a)).toBe(880);
    expect(await balance(b)).toBe(1_120);

    const outsider = simSnowflake();
    const notMember = await send(a, 'give', {
      locale,
      options: [
        { name: 'member', type: USER, value: outsider },
        { name: 'amount', type: INTEGER, value: 1 },
      ],
      resolvedUsers: [{ id: outsider, member: false }],
    });
    expect(isEphemeral(notMember)).toBe(true);
    const botId = simSnowflake();
    const refusedBot = await send(a, 'give', {
      locale,
      options: [
        { name: 'member', type: USER, value: botId },
        { name: 'amount', type: INTEGER, value: 1 },
      ],
      resolvedUsers: [{ id: botId, bot: true }],
    });
    expect(isEphemeral(refusedBot)).toBe(true);
    expect(content(refusedBot)).toMatch(botRefusal);
    const self = await send(a, 'give', {
      locale,
      options: [
        { name: 'member', type: USER, value: a },
        { name: 'amount', type: INTEGER, value: 1 },
      ],
    });
    expect(content(self)).toMatch(selfRefusal);
    const tooMuch = await send(a, 'give', {
      locale,
      options: [
        { name: 'member', type: USER, value: b },
        { name: 'amount', type: INTEGER, value: 5_000 },
      ],
    });
    expect(isEphemeral(tooMuch)).toBe(true);
    expect(await balance(a)).toBe(880);
  });

  it('/trade swaps once when both accept; a cancel moves nothing; outsiders cannot accept', async () => {
    const [a, b, c] = [simSnowflake(), simSnowflake(), simSnowflake()];
    const offer = await send(a, 'trade', {
      locale,
      options: [
        { name: 'member', type: USER, value: b },
        { name: 'give-amount', type: INTEGER, value: 200 },
        { name: 'want-amount', type: INTEGER, value: 50 },
      ],
    });
    const accept = buttonIds(offer).find((id) => id.startsWith('trade:accept:'));
    if (!accept) throw new Error('no accept button');
    expect(isEphemeral(await click(c, accept, locale))).toBe(true);
    await click(a, accept, locale);
    expect(await balance(a)).toBe(1_000);
    expect(content(await click(b, accept, locale))).toMatch(tradeDone);
    expect(await balance(a)).toBe(850);
    expect(await balance(b)).toBe(1_150);

    const second = await send(a, 'trade', {
      locale,
      options: [
        { name: 'member', type: USER, value: b },
        { name: 'give-amount', type: INTEGER, value: 10 },
      ],
    });
    const cancel = buttonIds(second).find((id) => id.startsWith('trade:cancel:'));
    if (!cancel) throw new Error('no cancel button');
    expect(content(await click(b, cancel, locale))).toMatch(tradeOff);
    expect(await balance(a)).toBe(850);
  });

  it('/trade propose → the other member counters through the form → both accept the new version → swapped once', async () => {
    const [a, b, c] = [simSnowflake(), simSnowflake(), simSnowflake()];
    const offer = await send(a, 'trade', {
      locale,
      options: [
        { name: 'member', type: USER, value: b },
        { name: 'give-amount', type: INTEGER, value: 100 },
      ],
    });
    const ids = buttonIds(offer);
    const [accept1, counter1] = [
      ids.find((id) => id.startsWith('trade:accept:')),
      ids.find((id) => id.startsWith('trade:counter:')),
    ];
    if (!accept1 || !counter1) throw new Error('no accept or counter button');
    await click(a, accept1, locale);
    // Someone else pressing "change my side" gets a private refusal, not the form.
    const outsider = await click(c, counter1, locale);
    expect(isEphemeral(outsider)).toBe(true);
    expect(outsider.type).not.toBe(MODAL);
    const form = await click(b, counter1, locale);
    expect(form.type).toBe(MODAL);
    const formId = String(form.data.custom_id);
    const field = (customId: string, value: string) => ({
      type: 18,
      id: 1,
      component: { type: 4, custom_id: customId, value },
    });
    const submit = (userId: string, currency: string) =>
      sim.waitForAnswer(
        sim.sendInteraction({
          guildId,
          member: { userId },
          commandName: 'trade',
          modalSubmit: { customId: formId, components: [field('items', ''), field('currency', currency)] },
          locale,
        }),
      );
    const unreadable = await submit(b, 'lots');
    expect(isEphemeral(unreadable)).toBe(true);
    const countered = await submit(b, '40');
    expect(isEphemeral(countered)).toBe(false);
    expect(content(countered)).toMatch(locale === 'ja' ? /変更しました/ : /changed the offer/);
    expect(content(countered)).toContain('40');
    const accept2 = buttonIds(countered).find((id) => id.startsWith('trade:accept:'));
    if (!accept2 || accept2 === accept1) throw new Error('no accept button for the new version');
    // The old version cannot be accepted any more (nothing moves).
    expect(isEphemeral(await click(b, accept1, locale))).toBe(true);
    expect(isEphemeral(await click(c, accept2, locale))).toBe(true);
    expect(await balance(a)).toBe(1_000);
    await click(b, accept2, locale);
    expect(await balance(b)).toBe(1_000);
    expect(content(await click(a, accept2, locale))).toMatch(tradeDone);
    expect(await balance(a)).toBe(940);
    expect(await balance(b)).toBe(1_060);
    await click(a, accept2, locale);
    expect(await balance(a)).toBe(940);
  });

  it('/wish add|list, and a pull names the wishers of what dropped (allowed mentions exactly them)', async () => {
    const [puller, wisher, quiet] = [simSnowflake(), simSnowflake(), simSnowflake()];
    await asAdmin('economy', [{ name: 'wishlist-limit', type: INTEGER, value: 25 }]);
    const suggestions = await (async () => {
      const id = sim.sendInteraction({
        guildId,
        member: { userId: wisher },
        commandName: 'wish',
        subcommand: 'add',
        options: [{ name: 'item', type: STRING, value: '' }],
        autocompleteOption: 'item',
        locale,
      });
      return sim.waitForReply(id);
    })();
    const choices = ((suggestions.data.choices ?? []) as { name: string; value: string }[]).slice(0, 25);
    expect(choices.length).toBeGreaterThan(0);
    if (locale === 'ja') expect(choices.some((c) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(c.name))).toBe(true);
    for (const choice of choices) {
      await send(wisher, 'wish', {
        subcommand: 'add',
        locale,
        options: [{ name: 'item', type: STRING, value: choice.value }],
      });
      await send(quiet, 'wish', {
        subcommand: 'add',
        locale,
        options: [{ name: 'item', type: STRING, value: choice.value }],
      });
    }
    await send(quiet, 'wish', { subcommand: 'pings', locale, options: [{ name: 'on', type: BOOLEAN, value: false }] });
    const list = await send(wisher, 'wish', { subcommand: 'list', locale });
    expect(isEphemeral(list)).toBe(true);
    expect(content(list)).toContain(choices[0]?.name ?? '?');

    const pull = await send(puller, 'gacha', {
      subcommand: 'pull',
      locale,
      options: [{ name: 'count', type: INTEGER, value: 10 }],
    });
    const events = await mongo
      .db(database)
      .collection<{ pull?: { items: { itemId: string }[] } }>('player_ledger')
      .find({ guildId, userId: puller, kind: 'pull' })
      .toArray();
    const dropped = new Set(events.flatMap((e) => (e.pull?.items ?? []).map((i) => i.itemId)));
    const wished = choices.some((c) => dropped.has(c.value));
    // The pull result is a Components V2 message: its text is in text displays, not `content`.
    const pullText = replyText(pull);
    const mentions = (pull.data.allowed_mentions ?? {}) as { parse?: string[]; users?: string[] };
    expect(mentions.parse ?? []).toEqual([]);
    // Exactly the users mentioned in the text may be pinged (wishers from the other locale's run too).
    const pinged = mentions.users ?? [];
    expect([...new Set([...pullText.matchAll(/<@(\d+)>/g)].map((m) => m[1]))].sort()).toEqual([...pinged].sort());
    expect(pinged.includes(wisher)).toBe(wished);
    expect(pinged).not.toContain(quiet);
    expect(pullText.includes(`<@${wisher}>`)).toBe(wished);
    expect(pullText).not.toContain(`<@${quiet}>`);
  });

  it('/gacha exchange refuses a short balance clearly and charges nothing', async () => {
    const player = simSnowflake();
    const reply = await send(player, 'gacha', {
      subcommand: 'exchange',
      locale,
      options: [{ name: 'item', type: STRING, value: 'wooden-sword' }],
    });
    expect(isEphemeral(reply)).toBe(true);
    expect(content(reply)).toMatch(locale === 'ja' ? /足りません/ : /Not enough shards/);
    expect(await mongo.db(database).collection('player_ledger').countDocuments({ guildId, userId: player })).toBe(0);
  });
});
