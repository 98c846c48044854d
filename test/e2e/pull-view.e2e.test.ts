/**
 * End to end on the built bundle (renderer runtime beside it): an admin gives card art, pulls show
 * it in their picture (the decoded attachment's pixels are the art's colour), in Japanese and
 * English; the pull buttons charge each press once however they arrive, refuse other players
 * privately and count against the pull cooldown; every reply passes the simulator's limit checks.
 */
import { randomBytes } from 'node:crypto';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { MongoClient } from 'mongodb';
import { defaultCatalog } from '../../app/domain/default-catalog';
import { LARGE_CARD, SMALL_CARD } from '../../app/render/card-painter';
import { sheetSlot } from '../../app/render/pull-image-renderer';
import {
  DiscordSimulator,
  EDIT_ORIGINAL,
  PERMISSION_MANAGE_GUILD,
  simSnowflake,
  type InteractionReply,
} from '../discord-simulator/discord-simulator';
import { eventually } from '../support/eventually';
import { testMongoUri } from '../support/test-database';
import { startBot, type BotProcess } from './bot-process';

const EPHEMERAL = 64;
const IS_COMPONENTS_V2 = 1 << 15;
const STRING = 3;
const INTEGER = 4;
const ATTACHMENT = 11;
const ADMIN = String(PERMISSION_MANAGE_GUILD);
const GREEN = [0, 255, 0] as const;

let sim: DiscordSimulator;
let bot: BotProcess;
let mongo: MongoClient;
const database = `t_e2e_pv_${randomBytes(4).toString('hex')}`;
const admin = simSnowflake();

beforeAll(async () => {
  sim = new DiscordSimulator();
  await sim.start();
  sim.addGuild('Art Guild');
  mongo = new MongoClient(testMongoUri());
  await mongo.connect();
  bot = await startBot({
    apiBase: sim.restBase,
    mongoUri: testMongoUri(),
    database,
    extra: { NODE_ENV: 'test', GACHA_TEST_ART_LOOPBACK: '1' },
  });
  await sim.waitForIdentify();
  await bot.waitForLog(/gateway ready/);
}, 120_000);

afterAll(async () => {
  await bot.stop();
  await sim.stop();
  await mongo.db(database).dropDatabase();
  await mongo.close();
});

function guildId(): string {
  const g = sim.guilds[0];
  if (!g) throw new Error('no guild');
  return g.id;
}

interface Send {
  readonly user: string;
  readonly locale?: string;
  readonly permissions?: string;
  readonly subcommand?: string;
  readonly options?: { name: string; type: number; value: string | number | boolean }[];
  readonly attachments?: { id: string; filename: string; content: Buffer; contentType: string }[];
  readonly customId?: string;
  readonly interactionId?: string;
  readonly commandName?: string;
}

function send(s: Send): string {
  return sim.sendInteraction({
    guildId: guildId(),
    member: { userId: s.user, ...(s.permissions ? { permissions: s.permissions } : {}) },
    commandName: s.commandName ?? 'gacha',
    locale: s.locale ?? 'en-US',
    ...(s.subcommand ? { subcommand: s.subcommand } : {}),
    ...(s.options ? { options: s.options } : {}),
    ...(s.attachments ? { attachments: s.attachments } : {}),
    ...(s.customId ? { customId: s.customId } : {}),
    ...(s.interactionId ? { interactionId: s.interactionId } : {}),
  });
}

function ask(s: Send): Promise<InteractionReply> {
  return sim.waitForAnswer(send(s), 20_000);
}

function texts(components: unknown): string[] {
  if (!Array.isArray(components)) return [];
  return components.flatMap((raw: unknown) => {
    if (typeof raw !== 'object' || raw === null) return [];
    const c = raw as { type?: unknown; content?: unknown; components?: unknown };
    return [...(c.type === 10 && typeof c.content === 'string' ? [c.content] : []), ...texts(c.components)];
  });
}

function text(reply: InteractionReply): string {
  return [typeof reply.data.content === 'string' ? reply.data.content : '', ...texts(reply.data.components)].join('\n');
}

function customIds(reply: InteractionReply): string[] {
  return JSON.stringify(reply.data.components ?? []).match(/gacha:(?:p1|p10|odds):\d+:[A-Za-z0-9_-]+/g) ?? [];
}

function isEphemeral(reply: InteractionReply): boolean {
  return (Number(reply.data.flags ?? 0) & EPHEMERAL) === EPHEMERAL;
}

function picture(reply: InteractionReply): Buffer {
  const files = (reply.data.files ?? []) as { name: string; data: Buffer }[];
  const file = files[0];
  if (!file) throw new Error(`no picture in the reply: ${text(reply)}`);
  return Buffer.from(file.data);
}

/** Mean colour of a 20×20 square around (x, y) of a JPEG. */
async function colourAt(jpeg: Buffer, x: number, y: number): Promise<number[]> {
  const image = await loadImage(jpeg);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const { data } = ctx.getImageData(x - 10, y - 10, 20, 20);
  const sum = [0, 0, 0];
  for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c] = (sum[c] ?? 0) + (data[i + c] ?? 0);
  return sum.map((v) => v / (data.length / 4));
}

function expectGreen(colour: number[]): void {
  colour.forEach((value, c) => {
    expect(Math.abs(value - (GREEN[c] ?? 0))).toBeLessThan(40);
  });
}

function solidPng(rgb: string, width = 500, height = 700): Buffer {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = rgb;
  ctx.fillRect(0, 0, width, height);
  return canvas.encodeSync('png');
}

async function settingsRevisions(): Promise<number> {
  return mongo.db(database).collection('server_settings').countDocuments({ guildId: guildId() });
}

async function pullEvents(userId: string): Promise<{ interactionId: string | null }[]> {
  return mongo
    .db(database)
    .collection<{ interactionId: string | null; kind: string }>('player_ledger')
    .find({ guildId: guildId(), userId, kind: 'pull' }, { projection: { interactionId: 1 } })
    .toArray();
}

describe('card art in pulls', () => {
  it('refuses a bad image in the admin language and changes nothing', async () => {
    const before = await settingsRevisions();
    const id = randomBytes(4).toString('hex');
    for (const [locale, expected] of [
      ['ja', 'PNG・JPEG・WebP・GIF形式の画像ではありません。'],
      ['en-US', 'This file is not a PNG, JPEG, WebP or GIF image.'],
    ] as const) {
      const reply = await ask({
        user: admin,
        permissions: ADMIN,
        locale,
        commandName: 'gacha-admin',
        subcommand: 'art-item',
        options: [
          { name: 'id', type: STRING, value: 'wooden-sword' },
          { name: 'image', type: ATTACHMENT, value: `${id}${locale}` },
        ],
        attachments: [
          {
            id: `${id}${locale}`,
            filename: 'notes.png',
            content: Buffer.from('not an image'),
            contentType: 'image/png',
          },
        ],
      });
      expect(isEphemeral(reply)).toBe(true);
      expect(text(reply)).toBe(expected);
    }
    expect(await settingsRevisions()).toBe(before);
  });

  it('stores art given as an attachment or a link, and pulls show it in ja and en', async () => {
    const items = defaultCatalog().items;
    const green = solidPng('rgb(0,255,0)');
    // Every item gets the same art (stored once: content addressed), so any draw shows it.
    for (const [i, item] of items.entries()) {
      const file = randomBytes(4).toString('hex');
      const byLink = i === 0;
      const reply = await ask({
        user: admin,
        permissions: ADMIN,
        locale: i % 2 === 0 ? 'ja' : 'en-US',
        commandName: 'gacha-admin',
        subcommand: 'art-item',
        options: [
          { name: 'id', type: STRING, value: item.id },
          byLink
            ? { name: 'url', type: STRING, value: `${sim.restBase.replace(/\/api$/, '')}/attachments/${file}/art.png` }
            : { name: 'image', type: ATTACHMENT, value: file },
        ],
        attachments: [{ id: file, filename: 'art.png', content: green, contentType: 'image/png' }],
      });
      expect(text(reply)).toMatch(i % 2 === 0 ? /画像を設定しました：500×700/ : /Art set for item `.+`: 500×700/);
    }
    const art = await mongo.db(database).collection('card_art').find({ guildId: guildId() }).toArray();
    expect(art).toHaveLength(1);
    const settings = await mongo
      .db(database)
      .collection<{ revision: number; settings: { catalog: { items: { art?: string }[] } }; actorId: string }>(
        'server_settings',
      )
      .find({ guildId: guildId() })
      .sort({ revision: -1 })
      .limit(1)
      .toArray();
    expect(settings[0]?.actorId).toBe(admin);
    expect(settings[0]?.settings.catalog.items.every((item) => item.art === art[0]?.artId)).toBe(true);

    const ja = await ask({ user: simSnowflake(), locale: 'ja', subcommand: 'pull' });
    expect(Number(ja.data.flags ?? 0) & IS_COMPONENTS_V2).toBe(IS_COMPONENTS_V2);
    expect(text(ja)).toMatch(/## 単発ガチャ・/);
    expect(text(ja)).toMatch(/所持900通貨/);
    expectGreen(await colourAt(picture(ja), LARGE_CARD.width / 2, LARGE_CARD.height * 0.4));

    const en = await ask({
      user: simSnowflake(),
      locale: 'en-US',
      subcommand: 'pull',
      options: [{ name: 'count', type: INTEGER, value: 10 }],
    });
    expect(text(en)).toMatch(/## 10-pull · Standard Banner/);
    const sheet = picture(en);
    for (let i = 0; i < 10; i++) {
      const { x, y } = sheetSlot(i);
      expectGreen(await colourAt(sheet, x + SMALL_CARD.width / 2, y + SMALL_CARD.height * 0.4));
    }
    expect(sim.rejected).toEqual([]);
  }, 180_000);

  it('takes art uploaded in the item form through the same intake, named by the item once confirmed', async () => {
    const shown = await sim.waitForReply(
      send({
        user: admin,
        permissions: ADMIN,
        commandName: 'gacha-admin',
        subcommand: 'edit-item',
        options: [{ name: 'id', type: STRING, value: 'wooden-sword' }],
      }),
    );
    expect(shown.type).toBe(9);
    const labels = shown.data.components as { type: number; component: { type: number; custom_id: string } }[];
    expect(labels.map((l) => [l.type, l.component.type, l.component.custom_id])).toContainEqual([18, 19, 'art']);
    const item = defaultCatalog().items.find((i) => i.id === 'wooden-sword');
    if (!item) throw new Error('no wooden-sword');
    const submit = (locale: string, file: { id: string; filename: string; content: Buffer; contentType: string }) =>
      sim.waitForAnswer(
        sim.sendInteraction({
          guildId: guildId(),
          member: { userId: admin, permissions: ADMIN },
          commandName: 'gacha-admin',
          modalSubmit: {
            customId: 'gacha-admin:item-form:edit:wooden-sword',
            components: [
              { type: 18, id: 1, component: { type: 3, custom_id: 'tier', values: [item.tierId] } },
              { type: 18, id: 2, component: { type: 4, custom_id: 'name', value: item.name.ja } },
              { type: 18, id: 3, component: { type: 4, custom_id: 'other-name', value: item.name.en } },
              { type: 18, id: 4, component: { type: 19, custom_id: 'art', values: [file.id] } },
            ],
          },
          attachments: [file],
          locale,
        }),
        20_000,
      );
    const before = await settingsRevisions();
    const storedArt = async () =>
      (await mongo.db(database).collection<{ artId: string }>('card_art').find({ guildId: guildId() }).toArray()).map(
        (a) => a.artId,
      );
    const artBefore = await storedArt();

    // Not an image: refused in the admin's language, nothing stored, nothing staged.
    const refused = await submit('ja', {
      id: simSnowflake(),
      filename: 'notes.png',
      content: Buffer.from('not an image'),
      contentType: 'image/png',
    });
    expect(isEphemeral(refused)).toBe(true);
    expect(text(refused)).toBe('PNG・JPEG・WebP・GIF形式の画像ではありません。');
    expect(await storedArt()).toEqual(artBefore);

    // A picture: normalised and stored, previewed as a change of the item's art, applied on Confirm.
    const preview = await submit('en-US', {
      id: simSnowflake(),
      filename: 'blue.png',
      content: solidPng('rgb(0,0,255)', 640, 800),
      contentType: 'image/png',
    });
    expect(text(preview)).toMatch(/Preview: edit-item wooden-sword[\s\S]*Items changed: `wooden-sword \(art\)`/);
    const added = (await storedArt()).filter((id) => !artBefore.includes(id));
    expect(added).toHaveLength(1);
    const stored = await mongo
      .db(database)
      .collection<{ artId: string; width: number; height: number }>('card_art')
      .findOne({ guildId: guildId(), artId: added[0] });
    expect([stored?.width, stored?.height]).toEqual([LARGE_CARD.width, LARGE_CARD.height]);
    expect(await settingsRevisions()).toBe(before);
    const confirm = JSON.stringify(preview.data.components ?? []).match(/gacha-admin:apply:[^"]+/)?.[0] ?? '';
    expect(text(await ask({ user: admin, permissions: ADMIN, commandName: 'gacha-admin', customId: confirm }))).toMatch(
      /Applied: edit-item wooden-sword/,
    );
    const latest = await mongo
      .db(database)
      .collection<{ settings: { catalog: { items: { id: string; art?: string }[] } } }>('server_settings')
      .find({ guildId: guildId() })
      .sort({ revision: -1 })
      .limit(1)
      .next();
    expect(latest?.settings.catalog.items.find((i) => i.id === 'wooden-sword')?.art).toBe(added[0]);
    expect(sim.rejected).toEqual([]);
  }, 120_000);
});

describe('pull buttons', () => {
  it('charge each press once, refuse others privately, count against the pull cooldown', async () => {
    const cheap = await ask({
      user: admin,
      permissions: ADMIN,
      commandName: 'gacha-admin',
      subcommand: 'set-cost',
      options: [
        { name: 'single', type: INTEGER, value: 1 },
        { name: 'ten', type: INTEGER, value: 10 },
      ],
    });
    expect(isEphemeral(cheap)).toBe(true);
    await ask({
      user: admin,
      permissions: ADMIN,
      commandName: 'gacha-admin',
      subcommand: 'cooldown',
      options: [{ name: 'pull', type: INTEGER, value: 0 }],
    });
    const owner = simSnowflake();
    const first = await ask({ user: owner, subcommand: 'pull' });
    const ids = customIds(first);
    expect(ids).toHaveLength(3);
    const [one, ten, odds] = ids;
    if (!one || !ten || !odds) throw new Error('missing buttons');

    // 20 presses at once, each its own interaction: each charged exactly once.
    const presses = Array.from({ length: 20 }, () => send({ user: owner, customId: one }));
    const answers = await Promise.all(presses.map((id) => sim.waitForAnswer(id, 30_000)));
    for (const answer of answers) {
      expect(isEphemeral(answer)).toBe(false);
      expect(text(answer)).toMatch(/## Pull · Standard Banner/);
    }
    // The same interaction delivered twice: charged once.
    const again = simSnowflake();
    send({ user: owner, customId: ten, interactionId: again });
    await sim.waitForAnswer(again, 30_000);
    send({ user: owner, customId: ten, interactionId: again });
    // The second delivery reaches the callback route too (answered "already acknowledged").
    const callbacks = await eventually(
      () => Promise.resolve(sim.calls.filter((c) => c.path.includes(`/interactions/${again}/`)).length),
      (n) => n >= 2,
      10_000,
    );
    expect(callbacks).toBeGreaterThanOrEqual(2);
    expect(sim.repliesTo(again).filter((r) => r.type < EDIT_ORIGINAL)).toHaveLength(1);
    const events = await pullEvents(owner);
    const byInteraction = new Map<string, number>();
    for (const e of events)
      byInteraction.set(e.interactionId ?? '', (byInteraction.get(e.interactionId ?? '') ?? 0) + 1);
    expect(events).toHaveLength(1 + 20 + 1);
    for (const id of [...presses, again]) expect(byInteraction.get(id)).toBe(1);

    // Another player: refused privately, in their language, nothing charged.
    const stranger = simSnowflake();
    for (const [locale, pattern] of [
      ['ja', /本人だけが使えます/],
      ['en-US', /belong to the player who pulled/],
    ] as const) {
      for (const button of [one, odds]) {
        const refused = await ask({ user: stranger, locale, customId: button });
        expect(isEphemeral(refused)).toBe(true);
        expect(text(refused)).toMatch(pattern);
      }
    }
    expect(await pullEvents(stranger)).toHaveLength(0);

    // [Odds] answers the owner privately.
    const oddsReply = await ask({ user: owner, locale: 'ja', customId: odds });
    expect(isEphemeral(oddsReply)).toBe(true);
    expect(text(oddsReply)).toMatch(/## 排出率・常設ガチャ|## 排出率・/);
    expect(text(oddsReply)).toMatch(/実質排出率/);

    // With a pull cooldown, a button pull counts like a command pull.
    await ask({
      user: admin,
      permissions: ADMIN,
      commandName: 'gacha-admin',
      subcommand: 'cooldown',
      options: [{ name: 'pull', type: INTEGER, value: 60 }],
    });
    const cooled = simSnowflake();
    const pulled = await ask({ user: cooled, subcommand: 'pull' });
    const [cooledOne] = customIds(pulled);
    if (!cooledOne) throw new Error('missing button');
    const refused = await ask({ user: cooled, customId: cooledOne });
    expect(isEphemeral(refused)).toBe(true);
    expect(await pullEvents(cooled)).toHaveLength(1);
    expect(sim.rejected).toEqual([]);
  }, 180_000);
});
