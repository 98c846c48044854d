import { type InteractionReplyOptions, MessageFlags } from 'discord.js';
import { parsePullButtonId, pullButtonId } from '../../app/discord/views/pull-button-ids';
import { PULL_RESULT_STRINGS } from '../../app/discord/views/pull-result-strings';
import {
  type PullResultItem,
  type PullResultViewInput,
  pullResultView,
  safeInline,
} from '../../app/discord/views/pull-result-view';
import { checkInteractionCallback } from '../discord-simulator/reply-limits';

const OWNER = '12345678901234567890'; // 20 digits, the longest snowflake
const BANNER = 'b'.repeat(64); // the longest banner id

function item(overrides: Partial<PullResultItem> = {}): PullResultItem {
  return {
    name: 'Wooden Sword',
    tierName: 'N',
    tierEmoji: '⚪',
    tierColor: 0x9e9e9e,
    tierRank: 1,
    isNew: true,
    shardsGained: 0,
    featured: false,
    ...overrides,
  };
}

function input(overrides: Partial<PullResultViewInput> = {}): PullResultViewInput {
  return {
    locale: 'en',
    strings: PULL_RESULT_STRINGS.en,
    ownerId: OWNER,
    bannerId: BANNER,
    bannerName: 'Storm Festival',
    items: Array.from({ length: 10 }, (_, i) =>
      i === 6 ? item({ name: 'Amaterasu', tierName: 'UR', tierColor: 0xff1744, tierRank: 5, featured: true }) : item(),
    ),
    image: { fileName: 'pulls.jpg', data: Buffer.from([0xff, 0xd8, 0xff]) },
    pity: { count: 74, max: 90 },
    featuredGuaranteed: true,
    spark: { points: 1200, threshold: 300 },
    shards: 12_345,
    shardShop: { kind: 'buy', tier: 'SSR', price: 10_000 },
    bannerEndsAt: new Date('2026-12-24T15:00:00Z'),
    balance: 1300,
    currencyName: 'Gems',
    ...overrides,
  };
}

/** The callback body discord.js would send for `interaction.reply(view)`. */
function callbackBody(view: ReturnType<typeof pullResultView>) {
  return {
    type: 4,
    data: {
      flags: view.flags,
      components: view.components.map((c) => c.toJSON()),
      allowed_mentions: view.allowedMentions,
      attachments: view.files.map((f, id) => ({ id, filename: f.name })),
    },
  };
}

const uploaded = (view: ReturnType<typeof pullResultView>) =>
  view.files.map((f) => ({ name: f.name ?? '', size: 60_000 }));

function allText(view: ReturnType<typeof pullResultView>): string {
  return JSON.stringify(view.components[0].toJSON());
}

describe('pullResultView', () => {
  it('builds a Components V2 message Discord accepts: flag, tinted container, gallery on the attachment, text per item, three buttons', () => {
    const view = pullResultView(input());
    const replyOptions: InteractionReplyOptions = view; // what interaction.reply() takes
    expect(replyOptions.flags).toBe(MessageFlags.IsComponentsV2);
    expect(view.flags).toBe(MessageFlags.IsComponentsV2);
    expect(view.allowedMentions).toEqual({ parse: [] });
    const container = view.components[0].toJSON();
    expect(container.accent_color).toBe(0xff1744);
    const types = container.components.map((c) => c.type);
    expect(types).toEqual([10, 12, ...Array<number>(10).fill(10), 14, 10, 1]);
    expect(JSON.stringify(container.components[1])).toContain('attachment://pulls.jpg');
    expect(view.files.map((f) => f.name)).toEqual(['pulls.jpg']);
    expect(checkInteractionCallback(callbackBody(view), uploaded(view))).toEqual([]);
  });

  it('shows pity, guarantee, spark, shards, the banner end as a Discord timestamp and the balance, with locale numbers', () => {
    const en = allText(pullResultView(input()));
    expect(en).toContain('Pity 74/90');
    expect(en).toContain('guaranteed featured');
    expect(en).toContain('Spark 1,200/300');
    expect(en).toContain('Shards ◆ 12,345');
    expect(en).toContain(`<t:${Date.parse('2026-12-24T15:00:00Z') / 1000}:R>`);
    expect(en).toContain('Balance 1,300 Gems');
    const ja = allText(
      pullResultView(input({ locale: 'ja', strings: PULL_RESULT_STRINGS.ja, featuredGuaranteed: false })),
    );
    expect(ja).toContain('天井まで74/90');
    expect(ja).toContain('次の最高レアは50%でピックアップ');
    expect(ja).toContain('所持1,300Gems');
    expect(ja).toContain('10連');
  });

  it('puts the owner in every button id, within 100 characters, and parses them back', () => {
    const view = pullResultView(input());
    const container = view.components[0].toJSON();
    const rowJson = container.components[container.components.length - 1];
    const ids = JSON.stringify(rowJson).match(/gacha:(p1|p10|odds):\d+:b+/g) ?? [];
    expect(ids).toHaveLength(3);
    for (const id of ids) {
      expect(id.length).toBeLessThanOrEqual(100);
      expect(parsePullButtonId(id)).toMatchObject({ ownerId: OWNER, bannerId: BANNER });
    }
    expect(parsePullButtonId('gacha:p10:1234:standard')).toBeNull();
    expect(parsePullButtonId(`g:p10:${OWNER}:standard`)).toBeNull();
    expect(parsePullButtonId('other:button')).toBeNull();
    expect(() => pullButtonId({ action: 'p1', ownerId: 'not-a-user', bannerId: 'x' })).toThrow(RangeError);
    expect(() => pullButtonId({ action: 'p1', ownerId: OWNER, bannerId: 'bad id!' })).toThrow(RangeError);
  });

  it('stays within Discord limits with ten maximal, hostile names (markdown, mentions, RTL, zero-width)', () => {
    const hostile = '@everyone **<@123456789012345678>** `x` \u202Eevil\u200B'.repeat(10).slice(0, 100);
    const wide = '𒐫'.repeat(100); // a very wide code point outside the BMP
    const items = Array.from({ length: 10 }, (_, i) =>
      item({
        name: i % 2 ? hostile : wide,
        tierName: '_'.repeat(64),
        tierEmoji: '<:gem:123456789012345678>',
        shardsGained: 1_000_000,
        isNew: false,
        featured: true,
      }),
    );
    const view = pullResultView(
      input({
        items,
        bannerName: hostile,
        currencyName: '@here'.repeat(20),
        image: { fileName: 'pulls.jpg', data: Buffer.alloc(1), description: 'd'.repeat(5000) },
      }),
    );
    expect(checkInteractionCallback(callbackBody(view), uploaded(view))).toEqual([]);
    const text = allText(view);
    expect(text).not.toMatch(/@everyone|@here/);
    expect(text).not.toContain('<@123456789012345678>');
    expect(text).toContain('<:gem:123456789012345678>'); // a server emoji is kept intact
    expect(safeInline('a\nb')).toBe('a b');
    expect(Array.from(safeInline('字'.repeat(500), 60))).toHaveLength(60);
  });

  it('builds a single pull and a result without an image, and refuses 0 or 11 items', () => {
    const single = pullResultView(
      input({
        items: [item()],
        image: { fileName: 'pull.jpg', data: Buffer.alloc(3) },
        pity: null,
        spark: null,
        featuredGuaranteed: null,
        bannerEndsAt: null,
      }),
    );
    expect(checkInteractionCallback(callbackBody(single), uploaded(single))).toEqual([]);
    const textOnly = pullResultView(input({ image: null }));
    expect(textOnly.files).toEqual([]);
    expect(JSON.stringify(textOnly.components[0].toJSON())).not.toContain('attachment://');
    expect(() => pullResultView(input({ items: [] }))).toThrow(RangeError);
    expect(() => pullResultView(input({ items: Array.from({ length: 11 }, () => item()) }))).toThrow(RangeError);
  });

  it('has every string in both languages with the same parameters', () => {
    const { en, ja } = PULL_RESULT_STRINGS;
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) expect(typeof ja[key]).toBe(typeof en[key]);
  });
});
