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

describe('admin economy settings and the reversal of a trade', () => {
  const revisions = () => mongo.db(database).collection('server_settings').find({ guildId }).sort({ revision: -1 });

  it('/gacha-admin economy: each change one revision, bad input a clear private error and nothing changed', async () => {
    const count = async () => (await revisions().toArray()).length;
    const before = await count();
    const refusals: [Option[], RegExp][] = [
      [[{ name: 'price', type: INTEGER, value: 5 }], /needs the tier/],
      [[{ name: 'tier', type: STRING, value: 'NOPE' }], /No tier "NOPE"/],
      [[], /Nothing to change/],
    ];
    for (const [options, message] of refusals) {
      const reply = await asAdmin('economy', options);
      expect(isEphemeral(reply)).toBe(true);
      expect(content(reply)).toMatch(message);
    }
    expect(await count()).toBe(before);
    // A member without Manage Server cannot change anything.
    await send(simSnowflake(), 'gacha-admin', {
      subcommand: 'economy',
      options: [{ name: 'trading', type: BOOLEAN, value: false }],
    });
    expect(await count()).toBe(before);

    await asAdmin('economy', [
      { name: 'tier', type: STRING, value: 'SR' },
      { name: 'price', type: INTEGER, value: 40 },
    ]);
    const off = await asAdmin('economy', [{ name: 'trading', type: BOOLEAN, value: false }]);
    expect(isEphemeral(off)).toBe(true);
    const latest = await revisions().limit(2).toArray();
    expect(latest.map((r) => (r as { action?: string }).action)).toEqual([
      'economy: trading off',
      'economy: exchange-price SR 40',
    ]);
    expect(latest.every((r) => (r as { actorId?: string }).actorId === admin)).toBe(true);
    const [a, b] = [simSnowflake(), simSnowflake()];
    const refused = await send(a, 'trade', {
      options: [
        { name: 'member', type: USER, value: b },
        { name: 'give-amount', type: INTEGER, value: 5 },
      ],
    });
    expect(isEphemeral(refused)).toBe(true);
    expect(content(refused)).toMatch(/turned off/);
    await asAdmin('economy', [{ name: 'trading', type: BOOLEAN, value: true }]);
    expect(await count()).toBe(before + 3);
  });

  it('/gacha-admin reverse-move undoes a countered trade once, in the audit log; a second reverse moves nothing', async () => {
    const [a, b] = [simSnowflake(), simSnowflake()];
    const offer = await send(a, 'trade', {
      options: [
        { name: 'member', type: USER, value: b },
        { name: 'give-amount', type: INTEGER, value: 100 },
      ],
    });
    const counter = buttonIds(offer).find((id) => id.startsWith('trade:counter:')) ?? '';
    const form = await click(b, counter);
    const countered = await sim.waitForAnswer(
      sim.sendInteraction({
        guildId,
        member: { userId: b },
        commandName: 'trade',
        modalSubmit: {
          customId: String(form.data.custom_id),
          components: [
            { type: 18, id: 1, component: { type: 4, custom_id: 'items', value: '' } },
            { type: 18, id: 2, component: { type: 4, custom_id: 'currency', value: '30' } },
          ],
        },
        locale: 'en-US',
      }),
    );
    const accept = buttonIds(countered).find((id) => id.startsWith('trade:accept:')) ?? '';
    await click(a, accept);
    expect(content(await click(b, accept))).toMatch(/Trade done/);
    expect([await balance(a), await balance(b)]).toEqual([930, 1_070]);
    const moveId = accept.slice('trade:accept:'.length);
    expect(moveId).toMatch(/^trade:\d+:v2$/);
    const reversed = await asAdmin('reverse-move', [{ name: 'id', type: STRING, value: moveId }]);
    expect(isEphemeral(reversed)).toBe(true);
    expect(content(reversed)).toMatch(/reversed; recorded in the audit log/);
    expect([await balance(a), await balance(b)]).toEqual([1_000, 1_000]);
    const again = await asAdmin('reverse-move', [{ name: 'id', type: STRING, value: moveId }]);
    expect(content(again)).toMatch(/already reversed; nothing more moved/);
    expect([await balance(a), await balance(b)]).toEqual([1_000, 1_000]);
    const audit = await mongo
      .db(database)
      .collection('audit_log')
      .countDocuments({ guildId, action: 'reverse-move', target: moveId });
    expect(audit).toBe(1);
    // The superseded first version was never completed: nothing to reverse.
    const first = moveId.replace(/:v2$/, '');
    expect(content(await asAdmin('reverse-move', [{ name: 'id', type: STRING, value: first }]))).toMatch(
      /No completed gift or trade/,
    );
  });
});

describe('/collection', () => {
  function footer(reply: InteractionReply): string {
    const embeds = (reply.data.embeds ?? []) as { footer?: { text?: string } }[];
    return embeds[0]?.footer?.text ?? '';
  }
  function lines(reply: InteractionReply): string[] {
    const embeds = (reply.data.embeds ?? []) as { description?: string }[];
    return (embeds[0]?.description ?? '').split('\n');
  }

  it.each([
    ['en-US', /Filters:/, /not yet/, /Favourite/, /Only the member who opened/],
    ['ja', /絞り込み:/, /未所持/, /お気に入り/, /開いた人だけ/],
  ])(
    'in %s: filters, sort, search, favourite on /profile; page buttons answer only the opener',
    async (locale, filters, missing, favouriteField, notYours) => {
      const player = simSnowflake();
      const stranger = simSnowflake();
      await send(player, 'gacha', {
        subcommand: 'pull',
        locale,
        options: [{ name: 'count', type: INTEGER, value: 10 }],
      });
      const owned = await mongo
        .db(database)
        .collection<{ state: { owned: Record<string, number> } }>('player_ledger')
        .find({ guildId, userId: player })
        .sort({ seq: -1 })
        .limit(1)
        .next();
      const ownedIds = Object.keys(owned?.state.owned ?? {});
      expect(ownedIds.length).toBeGreaterThan(0);

      // All items: several pages; the pager turns for the opener only.
      const all = await send(player, 'collection', { locale, options: [{ name: 'show', type: STRING, value: 'all' }] });
      expect(isEphemeral(all)).toBe(false);
      expect(footer(all)).toMatch(/1\s*\/\s*\d+/);
      // The pager: ◀ (disabled on the first page), ▶.
      const next = buttonIds(all)[1];
      if (!next) throw new Error('no page button');
      const foreign = await click(stranger, next, locale);
      expect(isEphemeral(foreign)).toBe(true);
      expect(content(foreign)).toMatch(notYours);
      const page2 = await click(player, next, locale);
      expect(isEphemeral(page2)).toBe(false);
      expect(footer(page2)).toMatch(/2\s*\/\s*\d+/);
      expect(lines(page2).some((l) => missing.test(l))).toBe(true);

      // Missing items of one tier: every line is a missing one, and the filter is named.
      const urMissing = await send(player, 'collection', {
        locale,
        options: [
          { name: 'tier', type: STRING, value: 'UR' },
          { name: 'show', type: STRING, value: 'missing' },
        ],
      });
      expect(content(urMissing)).toMatch(filters);
      const urLines = lines(urMissing).filter((l) => l && !filters.test(l));
      expect(urLines.length).toBeGreaterThan(0);
      expect(urLines.every((l) => missing.test(l))).toBe(true);

      // Sorted by name: the owned lines are in name order.
      const byName = await send(player, 'collection', {
        locale,
        options: [{ name: 'sort', type: STRING, value: 'name' }],
      });
      const names = lines(byName)
        .filter((l) => /×\d+$/.test(l))
        .map((l) => l.replace(/^\S+\s/, '').replace(/\s×\d+$/, ''));
      expect(names.length).toBeGreaterThan(0);
      expect(names).toEqual([...names].sort((x, y) => x.localeCompare(y)));

      // Search by part of an owned item's name finds it.
      const wanted = names[0] ?? '';
      const found = await send(player, 'collection', {
        locale,
        options: [{ name: 'search', type: STRING, value: wanted.slice(0, Math.max(2, Math.ceil(wanted.length / 2))) }],
      });
      expect(lines(found).some((l) => l.includes(wanted))).toBe(true);

      // Favourite: an owned item, shown on /profile.
      const set = await send(player, 'collection', {
        locale,
        options: [{ name: 'favourite', type: STRING, value: ownedIds[0] ?? '' }],
      });
      expect(isEphemeral(set)).toBe(true);
      const profile = await send(player, 'profile', { locale });
      const fields = ((profile.data.embeds ?? []) as { fields?: { name: string; value: string }[] }[])[0]?.fields ?? [];
      expect(fields.some((f) => favouriteField.test(f.name))).toBe(true);
    },
  );
});
