/** The pull reply from a charge's outcome: text-only when there is no picture, facts of the moment, limits. */
import { defaultGuildSettings } from '../../app/domain/guild-settings';
import { initialPlayerState } from '../../app/domain/player-state';
import { checkMessage } from '../discord-simulator/reply-limits';
import { oddsReply, pullReply, shardShopFact } from '../../app/discord/views/pull-reply';

const OWNER = '123456789012345678';

function outcome(shards: number) {
  const settings = defaultGuildSettings();
  const item = settings.catalog.items[0];
  if (!item) throw new Error('empty catalog');
  const state = {
    ...initialPlayerState(1_300),
    shards,
    pity: {
      standard: { sinceTop: 74, featuredGuaranteed: false },
      limited: { sinceTop: 0, featuredGuaranteed: false },
    },
  };
  const bannerId = settings.catalog.banners.find((b) => b.kind === 'standard')?.id ?? '';
  const pulled = {
    itemId: item.id,
    tierId: item.tierId,
    pityCount: 74,
    featured: false,
    topTier: false,
    duplicate: true,
    shardsGained: 5,
    guaranteeSlot: false,
  };
  return { settings, bannerId, items: [pulled], state, cost: 100 };
}

function json(reply: ReturnType<typeof pullReply>): string {
  return JSON.stringify(reply.components?.map((c) => ('toJSON' in c ? c.toJSON() : c)));
}

it('answers text-only (no file, no gallery) when the picture could not be drawn, within Discord limits', () => {
  const reply = pullReply(outcome(3), { id: OWNER, name: '@everyone **bold**' }, 'ja', null);
  expect(reply.files).toEqual([]);
  expect(reply.componentsV2).toBe(true);
  const text = json(reply);
  expect(text).not.toContain('"type":12');
  expect(text).toContain('天井まで74/90');
  expect(text).toContain('@\u200beveryone \\\\*\\\\*bold\\\\*\\\\*さんのガチャ結果');
  expect(text).toContain('消費100通貨 · 所持1,300通貨');
  expect(text).toMatch(/あと◆\d+で.+のアイテムと交換できます/);
  const payload = { flags: 1 << 15, components: JSON.parse(text) as unknown[] };
  expect(checkMessage(payload, [], { requireContent: false })).toEqual([]);
});

it('says what the shards buy, and the odds answer is private and bounded', () => {
  const { settings } = outcome(0);
  expect(shardShopFact(settings, 0, 'en')).toMatchObject({ kind: 'need' });
  expect(shardShopFact(settings, 1_000_000, 'en')).toMatchObject({ kind: 'buy' });
  const odds = oddsReply(settings, outcome(0).bannerId, 'ja');
  expect(odds.ephemeral).toBe(true);
  expect(String(odds.content)).toContain('実質排出率');
  expect(String(odds.content).length).toBeLessThanOrEqual(2_000);
});
