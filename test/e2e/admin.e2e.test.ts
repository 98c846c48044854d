/**
 * End to end, in English and in Japanese: the admin flows of the bundled bot against the Discord
 * simulator and the test database — id autocomplete in the admin's language, every edit previewed
 * with its consequences and applied only by its author's Confirm, odds changes on a running banner
 * refused or announced in the changelog `/gacha rates` shows, a limited banner created from a
 * local date and a main-language name only, and an exported file imported back.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
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
const ADMIN = String(PERMISSION_MANAGE_GUILD);
const STRING = 3;
const INTEGER = 4;
const ATTACHMENT = 11;
let sim: DiscordSimulator;
let bot: BotProcess;
let mongo: MongoClient;
const database = `t_e2e_admin_${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  sim = new DiscordSimulator();
  await sim.start();
  sim.addGuild('Admin EN');
  sim.addGuild('Admin JA');
  mongo = new MongoClient(testMongoUri());
  await mongo.connect();
  bot = await startBot({ apiBase: sim.restBase, mongoUri: testMongoUri(), database });
  await sim.waitForIdentify();
  await bot.waitForLog(/gateway ready/);
});

afterAll(async () => {
  await bot.stop();
  await sim.stop();
  await mongo.db(database).dropDatabase();
  await mongo.close();
});

function text(reply: InteractionReply): string {
  return replyText(reply);
}

function buttons(reply: InteractionReply): string[] {
  const rows = (reply.data.components ?? []) as { components?: { custom_id?: string }[] }[];
  return rows.flatMap((r) => (r.components ?? []).map((c) => c.custom_id ?? ''));
}

type Option = { name: string; type: number; value: string | number | boolean };

interface Case {
  readonly locale: string;
  readonly guild: number;
  readonly expect: {
    readonly tierChoice: RegExp;
    readonly itemChoice: RegExp;
    readonly preview: RegExp;
    readonly added: RegExp;
    readonly odds: RegExp;
    readonly applied: RegExp;
    readonly notYours: RegExp;
    readonly refused: RegExp;
    readonly announced: RegExp;
    readonly changelog: RegExp;
    readonly unchanged: RegExp;
    readonly cancelled: RegExp;
    readonly unobtainable: RegExp;
    readonly setup: RegExp;
    readonly budget: RegExp;
    readonly stats: RegExp;
    readonly formTitle: RegExp;
    readonly formPreview: RegExp;
  };
}

const CASES: Case[] = [
  {
    locale: 'en-US',
    guild: 0,
    expect: {
      tierChoice: /Ultra Rare \(UR\)|UR/,
      itemChoice: /^Amaterasu \(amaterasu\)$/,
      preview: /Preview: add-item/,
      added: /Items added: `kitsune-mask`/,
      odds: /Published odds after the change:[\s\S]*expected [\d.]+ pulls/,
      applied: /Applied: add-item kitsune-mask \(settings revision \d+\)/,
      notYours: /expired or is not yours/,
      refused: /Refused: this changes the odds or pity/,
      announced: /public changelog/,
      changelog: /Odds changes on running banners[\s\S]*pity/,
      unchanged: /This changes nothing/,
      cancelled: /Cancelled: nothing changed/,
      unobtainable: /No longer obtainable[\s\S]*owned by 0 player/,
      formTitle: /^Add an item$/,
      formPreview: /Preview: add-item inari-fox[\s\S]*Items added: `inari-fox`/,
      setup: /Saved: previews warn beyond 1 days of dailies; announcements go to no channel/,
      budget:
        /⚠️ On .* a top-tier item costs [\d,]+ on average: more than the 300 a player earns from dailies in 1 days/,
      stats:
        /Gacha activity, last 2 days[\s\S]*\d{4}-\d{2}-\d{2}: \d+ pulls · \+0 \/ −[\d,]+ currency · \d players[\s\S]*Total: issued 0, spent 2,100 · 3 active players\nTop tier observed [\d.]+% vs published [\d.]+% \(21 items drawn\)/,
    },
  },
  {
    locale: 'ja',
    guild: 1,
    expect: {
      tierChoice: /UR/,
      itemChoice: /^天照大神 \(amaterasu\)$/,
      preview: /プレビュー: add-item/,
      added: /アイテムを追加: `kitsune-mask`/,
      odds: /変更後の提供割合:[\s\S]*最高レアまで平均[\d.]+回/,
      applied: /反映しました: add-item kitsune-mask（設定リビジョン\d+）/,
      notYours: /期限切れか、ほかの管理者のもの/,
      refused: /実行できません: 開催中のガチャ/,
      announced: /変更履歴に公開されます/,
      changelog: /開催中ガチャの提供割合の変更履歴[\s\S]*pity/,
      unchanged: /変わるものはありません/,
      cancelled: /キャンセルしました/,
      unobtainable: /入手できなくなるもの[\s\S]*所持者0人/,
      formTitle: /^アイテムを追加$/,
      formPreview: /プレビュー: add-item inari-fox[\s\S]*アイテムを追加: `inari-fox`/,
      setup: /保存しました: デイリー1日分を超えるとプレビューで警告します。告知先: なし。/,
      budget: /⚠️ .* で最高レアを引くのに平均[\d,]+かかります。デイリー1日分の報酬（300）を超えています。/,
      stats:
        /ガチャの利用状況（過去2日・台帳より）[\s\S]*\d{4}-\d{2}-\d{2}: \d+回・通貨 \+0 \/ −[\d,]+・\d人[\s\S]*合計: 発行0、消費2,100・アクティブ3人\n最高レアの実測[\d.]+%（公表[\d.]+%、排出21個）/,
    },
  },
];

describe.each(CASES)('admin flows ($locale)', ({ locale, guild: guildIndex, expect: want }) => {
  const admin = simSnowflake();
  const guildId = (): string => sim.guilds[guildIndex]?.id ?? '';

  async function admin_(subcommand: string, options: Option[] = [], userId = admin): Promise<InteractionReply> {
    const id = sim.sendInteraction({
      guildId: guildId(),
      member: { userId, permissions: ADMIN },
      commandName: 'gacha-admin',
      subcommand,
      options,
      locale,
    });
    return sim.waitForAnswer(id);
  }

  async function press(customId: string, userId = admin): Promise<InteractionReply> {
    const id = sim.sendInteraction({
      guildId: guildId(),
      member: { userId, permissions: ADMIN },
      commandName: 'gacha-admin',
      customId,
      locale,
    });
    return sim.waitForAnswer(id);
  }

  async function suggest(
    subcommand: string,
    option: string,
    options: Option[],
  ): Promise<{ name: string; value: string }[]> {
    const id = sim.sendInteraction({
      guildId: guildId(),
      member: { userId: admin, permissions: ADMIN },
      commandName: 'gacha-admin',
      subcommand,
      options,
      autocompleteOption: option,
      locale,
    });
    const reply = await sim.waitForReply(id);
    expect(reply.type).toBe(8);
    return (reply.data.choices ?? []) as { name: string; value: string }[];
  }

  async function revisions(): Promise<number> {
    return mongo.db(database).collection('server_settings').countDocuments({ guildId: guildId() });
  }

  it('autocompletes tiers, items and banners in the admin’s language', async () => {
    const tiers = await suggest('add-item', 'tier', [{ name: 'tier', type: STRING, value: 'u' }]);
    expect(tiers.map((c) => c.value)).toContain('UR');
    expect(tiers.find((c) => c.value === 'UR')?.name).toMatch(want.tierChoice);
    const items = await suggest('edit-item', 'id', [{ name: 'id', type: STRING, value: 'amater' }]);
    expect(items).toHaveLength(1);
    expect(items[0]?.name).toMatch(want.itemChoice);
    const featured = await suggest('create-banner', 'featured', [
      { name: 'featured', type: STRING, value: 'susanoo,tsuku' },
    ]);
    expect(featured.map((c) => c.value)).toEqual(['susanoo,tsukuyomi']);
    const banners = await suggest('edit-banner', 'id', [{ name: 'id', type: STRING, value: '' }]);
    expect(banners.map((c) => c.value)).toContain('standard');
  });

  it('previews an added item with its consequences; only its author confirms it, once', async () => {
    const before = await revisions();
    const preview = await admin_('add-item', [
      { name: 'id', type: STRING, value: 'kitsune-mask' },
      { name: 'tier', type: STRING, value: 'UR' },
      { name: 'name', type: STRING, value: '狐の面' },
    ]);
    expect((Number(preview.data.flags ?? 0) & EPHEMERAL) === EPHEMERAL).toBe(true);
    expect(text(preview)).toMatch(want.preview);
    expect(text(preview)).toMatch(want.added);
    expect(text(preview)).toMatch(want.odds);
    const [confirm = '', cancel = ''] = buttons(preview);
    expect(confirm).toMatch(/^gacha-admin:apply:/);
    expect(cancel).toMatch(/^gacha-admin:discard:/);
    expect(await revisions()).toBe(before);

    expect(text(await press(confirm, simSnowflake()))).toMatch(want.notYours);
    expect(await revisions()).toBe(before);
    expect(text(await press(confirm))).toMatch(want.applied);
    expect(await revisions()).toBe(before + 1);
    expect(text(await press(confirm))).toMatch(want.notYours);
    expect(await revisions()).toBe(before + 1);
  });

  it('opens the item form when add-item leaves fields out, and previews what the form submits', async () => {
    const shown = await sim.waitForReply(
      sim.sendInteraction({
        guildId: guildId(),
        member: { userId: admin, permissions: ADMIN },
        commandName: 'gacha-admin',
        subcommand: 'add-item',
        options: [{ name: 'tier', type: STRING, value: 'SR' }],
        locale,
      }),
    );
    expect(shown.type).toBe(9);
    expect(shown.data.title).toMatch(want.formTitle);
    expect(shown.data.custom_id).toBe('gacha-admin:item-form:add');
    const labels = shown.data.components as { type: number; label: string; component: { custom_id: string } }[];
    expect(labels.map((l) => [l.type, l.component.custom_id])).toEqual([
      [18, 'id'],
      [18, 'tier'],
      [18, 'name'],
      [18, 'other-name'],
      [18, 'art'],
    ]);
    const field = (customId: string, value: string) => ({
      type: 18,
      id: 1,
      component: { type: 4, custom_id: customId, value },
    });
    const submitted = sim.sendInteraction({
      guildId: guildId(),
      member: { userId: admin, permissions: ADMIN },
      commandName: 'gacha-admin',
      modalSubmit: {
        customId: 'gacha-admin:item-form:add',
        components: [
          field('id', 'inari-fox'),
          { type: 18, id: 2, component: { type: 3, custom_id: 'tier', values: ['SR'] } },
          field('name', '稲荷の狐'),
          field('other-name', ''),
        ],
      },
      locale,
    });
    const preview = await sim.waitForAnswer(submitted);
    expect(text(preview)).toMatch(want.formPreview);
    // A member without Manage Server cannot submit the form, even if Discord delivered it.
    const stranger = sim.sendInteraction({
      guildId: guildId(),
      member: { userId: simSnowflake() },
      commandName: 'gacha-admin',
      modalSubmit: { customId: 'gacha-admin:item-form:add', components: [] },
      locale,
    });
    expect(text(await sim.waitForAnswer(stranger))).not.toMatch(want.formPreview);
    const [, cancel = ''] = buttons(preview);
    await press(cancel);
  });

  it('opens the item form filled with the item when edit-item names only the id', async () => {
    const shown = await sim.waitForReply(
      sim.sendInteraction({
        guildId: guildId(),
        member: { userId: admin, permissions: ADMIN },
        commandName: 'gacha-admin',
        subcommand: 'edit-item',
        options: [{ name: 'id', type: STRING, value: 'amaterasu' }],
        locale,
      }),
    );
    expect(shown.type).toBe(9);
    const labels = shown.data.components as { component: { custom_id: string; value?: string } }[];
    expect(labels.find((l) => l.component.custom_id === 'name')?.component.value).toBe('天照大神');
    expect(labels.find((l) => l.component.custom_id === 'other-name')?.component.value).toBe('Amaterasu');
  });

  it('lists what a removal makes unobtainable and who owns it; Cancel changes nothing', async () => {
    const before = await revisions();
    const preview = await admin_('remove-item', [{ name: 'id', type: STRING, value: 'kitsune-mask' }]);
    expect(text(preview)).toMatch(want.unobtainable);
    const [, cancel = ''] = buttons(preview);
    expect(text(await press(cancel))).toMatch(want.cancelled);
    expect(await revisions()).toBe(before);
  });

  it('refuses a pity change on the running standard banner, or announces it in the /gacha rates changelog', async () => {
    const options = [
      { name: 'id', type: STRING, value: 'standard' },
      { name: 'hard-pity', type: INTEGER, value: 80 },
    ];
    const refused = await admin_('edit-banner', options);
    expect(text(refused)).toMatch(want.refused);
    expect(buttons(refused)).toEqual([]);
    const announced = await admin_('edit-banner', [...options, { name: 'live', type: STRING, value: 'announce' }]);
    expect(text(announced)).toMatch(want.announced);
    const [confirm = ''] = buttons(announced);
    await press(confirm);
    const rates = await sim.waitForAnswer(
      sim.sendInteraction({
        guildId: guildId(),
        member: { userId: simSnowflake() },
        commandName: 'gacha',
        subcommand: 'rates',
        locale,
      }),
    );
    expect(text(rates)).toMatch(want.changelog);
  });

  it('creates a limited banner from a local date and a main-language name, which players can pull on', async () => {
    const preview = await admin_('create-banner', [
      { name: 'id', type: STRING, value: 'fox-fest' },
      { name: 'name', type: STRING, value: '狐祭' },
      { name: 'featured', type: STRING, value: 'kitsune-mask' },
      { name: 'ends', type: STRING, value: '2099-12-31 23:00' },
    ]);
    expect(text(preview)).toMatch(/fox-fest/);
    const [confirm = ''] = buttons(preview);
    await press(confirm);
    const settings = await mongo
      .db(database)
      .collection<{ settings: { catalog: { banners: { id: string; endsAt: Date; name: { en: string } }[] } } }>(
        'server_settings',
      )
      .find({ guildId: guildId() })
      .sort({ revision: -1 })
      .limit(1)
      .next();
    const banner = settings?.settings.catalog.banners.find((b) => b.id === 'fox-fest');
    // Asia/Tokyo is the default server time zone: 23:00 there is 14:00 UTC; the English name falls back.
    expect(banner?.endsAt.toISOString()).toBe('2099-12-31T14:00:00.000Z');
    expect(banner?.name.en).toBe('狐祭');
    const pull = await sim.waitForAnswer(
      sim.sendInteraction({
        guildId: guildId(),
        member: { userId: simSnowflake() },
        commandName: 'gacha',
        subcommand: 'pull',
        options: [{ name: 'banner', type: STRING, value: 'fox-fest' }],
        locale,
      }),
    );
    expect(text(pull)).toMatch(/狐祭/);
  });

  it('exports the catalog file and imports it back: the preview says nothing changes', async () => {
    const exported = await admin_('export');
    const files = exported.data.files as { name: string; content: string }[];
    const content = files[0]?.content ?? '';
    const file = JSON.parse(content) as { mainLanguage: string; tiers: { rate: string; color: string }[] };
    expect(file.mainLanguage).toBe('ja');
    expect(file.tiers.every((t) => /%$/.test(t.rate) && /^#[0-9a-f]{6}$/.test(t.color))).toBe(true);
    const fileId = simSnowflake();
    const preview = await sim.waitForAnswer(
      sim.sendInteraction({
        guildId: guildId(),
        member: { userId: admin, permissions: ADMIN },
        commandName: 'gacha-admin',
        subcommand: 'import',
        options: [{ name: 'file', type: ATTACHMENT, value: fileId }],
        attachments: [{ id: fileId, filename: 'gacha-catalog.json', content }],
        locale,
      }),
    );
    expect(text(preview)).toMatch(want.unchanged);
  });

  it('warns in previews when the top tier costs more than the N days of dailies the admin set', async () => {
    const setup = await admin_('preview-setup', [{ name: 'budget-days', type: INTEGER, value: 1 }]);
    expect(text(setup)).toMatch(want.setup);
    const preview = await admin_('add-item', [
      { name: 'id', type: STRING, value: 'tanuki-bell' },
      { name: 'tier', type: STRING, value: 'N' },
      { name: 'name', type: STRING, value: '狸の置物' },
    ]);
    expect(text(preview)).toMatch(want.budget);
  });

  it('shows pulls, currency issued and spent, players and the top-tier rate from the ledger', async () => {
    for (let i = 0; i < 2; i++) {
      await sim.waitForAnswer(
        sim.sendInteraction({
          guildId: guildId(),
          member: { userId: simSnowflake() },
          commandName: 'gacha',
          subcommand: 'pull',
          options: [{ name: 'count', type: INTEGER, value: 10 }],
          locale,
        }),
      );
    }
    const stats = await admin_('stats', [{ name: 'days', type: INTEGER, value: 2 }]);
    expect(text(stats)).toMatch(want.stats);
  });

  it('sent nothing Discord would refuse', () => {
    expect(sim.rejected).toEqual([]);
  });
});
