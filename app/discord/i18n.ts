/** Player-facing text in Japanese and English; the language follows the player's Discord locale. */
import type { Locale } from '../domain/catalog';
import type { GachaErrorCode } from '../domain/errors';
import type { MoveRefusal } from '../domain/moves';

export function localeFrom(discordLocale: string | null | undefined, fallback: Locale): Locale {
  if (!discordLocale) return fallback;
  if (discordLocale.startsWith('ja')) return 'ja';
  if (discordLocale.startsWith('en')) return 'en';
  return fallback;
}

/** A value shown as it is: a number, or text already formatted (a percentage, '∞', '—'). */
type Shown = string | number;

type NoParams = Readonly<Record<string, never>>;

/** The parameters of each error message (from the GachaError's details, see error-replies.ts). */
export interface ErrorMessageParams {
  readonly 'invalid-config': { readonly message: string };
  readonly 'unknown-banner': { readonly bannerId: string };
  readonly 'banner-not-active': { readonly bannerId: string };
  readonly 'unknown-item': { readonly message: string };
  readonly 'insufficient-currency': { readonly cost: Shown; readonly balance: Shown };
  readonly 'insufficient-spark': { readonly message: string };
  readonly 'invalid-pull-count': NoParams;
  readonly 'daily-already-claimed': NoParams;
  readonly busy: NoParams;
  readonly 'trading-disabled': NoParams;
  readonly 'invalid-move': { readonly reason: MoveRefusal };
  readonly 'item-not-owned': { readonly itemId: string; readonly owned: Shown; readonly wanted: Shown };
  readonly 'insufficient-shards': { readonly cost: Shown; readonly balance: Shown };
  readonly 'move-closed': { readonly outcome: string };
}

const enMoveRefusals: Readonly<Record<MoveRefusal, string>> = {
  self: 'You cannot give to or trade with yourself.',
  bot: 'Bots cannot receive gifts or trade.',
  'not-member': 'That user is not a member of this server.',
  empty: 'Nothing to give: add an item or an amount.',
  'not-party': 'This offer is not yours.',
  expired: 'This offer has expired; nothing was moved.',
  'not-giver': 'Only the giver can confirm this gift.',
};

/** The refusal's sentence (an unknown reason, e.g. from an older build, reads as "not yours"). */
function refusalText(table: Readonly<Record<MoveRefusal, string>>, reason: MoveRefusal): string {
  return Object.hasOwn(table, reason) ? table[reason] : table['not-party'];
}

const jaMoveRefusals: Readonly<Record<MoveRefusal, string>> = {
  self: '自分自身には贈ったりトレードしたりできません。',
  bot: 'ボットには贈ったりトレードしたりできません。',
  'not-member': 'そのユーザーはこのサーバーのメンバーではありません。',
  empty: '贈るものがありません。アイテムか数量を指定してください。',
  'not-party': 'これはあなた宛てのオファーではありません。',
  expired: 'このオファーは期限切れです。何も移動していません。',
  'not-giver': 'このギフトを確定できるのは贈る人だけです。',
};

export type ErrorMessages = { readonly [C in GachaErrorCode]: (p: ErrorMessageParams[C]) => string };

const enErrors: ErrorMessages = {
  'invalid-config': (p) => `Invalid input: ${p.message}`,
  'unknown-banner': (p) => `There is no banner "${p.bannerId}".`,
  'banner-not-active': (p) => `The banner "${p.bannerId}" is not open now.`,
  'unknown-item': (p) => `Unknown item: ${p.message}`,
  'insufficient-currency': (p) => `Not enough currency: this costs ${p.cost}, you have ${p.balance}. Try /daily.`,
  'insufficient-spark': (p) => `Not enough spark points: ${p.message}`,
  'invalid-pull-count': () => 'A pull is 1 or 10 draws.',
  'daily-already-claimed': () => 'You already claimed today’s reward. Come back tomorrow!',
  busy: () => 'Too many requests at once. Please try again.',
  'trading-disabled': () => 'Gifts and trades are turned off on this server.',
  'invalid-move': (p) => refusalText(enMoveRefusals, p.reason),
  'item-not-owned': (p) => `You own ${p.owned} of "${p.itemId}", not ${p.wanted}. Nothing was moved.`,
  'insufficient-shards': (p) => `Not enough shards: this costs ${p.cost}, you have ${p.balance}.`,
  'move-closed': (p) =>
    p.outcome === 'settle'
      ? 'This gift or trade is already completed.'
      : 'This gift or trade was cancelled; nothing moved.',
};

const en = {
  giftProposed: (p: { giver: string; receiver: string; what: string; minutes: number }) =>
    `${p.giver} → ${p.receiver}: ${p.what}. Press Confirm within ${p.minutes} minutes; nothing moves before.`,
  giftDone: (p: { receiver: string; what: string }) => `Gift delivered to ${p.receiver}: ${p.what}.`,
  giftCancelled: () => 'Gift cancelled; nothing moved.',
  confirmButton: () => 'Confirm',
  cancelButton: () => 'Cancel',
  currencyAmount: (p: { amount: number }) => `${p.amount} currency`,
  pullTitle: (p: { user: string; count: number; banner: string }) =>
    `${p.user}'s ${p.count === 10 ? '10-pull' : 'pull'} on ${p.banner}`,
  pullFooter: (p: { cost: number; balance: number; pity: number; cap: Shown }) =>
    `Cost ${p.cost} · Balance ${p.balance} · Pity ${p.pity}/${p.cap}`,
  duplicate: (p: { shards: number }) => `duplicate → +${p.shards} shards`,
  newItem: () => 'NEW',
  featured: () => 'rate-up',
  dailyClaimed: (p: { amount: number; streak: number; balance: number }) =>
    `Daily reward: +${p.amount} (streak ${p.streak} day${p.streak > 1 ? 's' : ''}). Balance ${p.balance}.`,
  profileTitle: (p: { user: string }) => `${p.user}'s profile`,
  currency: () => 'Currency',
  shards: () => 'Shards',
  pity: () => 'Pity (pulls since top tier)',
  spark: () => 'Spark points',
  streak: () => 'Daily streak',
  collectionProgress: () => 'Collection',
  totalPulls: () => 'Total pulls',
  ratesTitle: (p: { banner: string }) => `Odds: ${p.banner}`,
  ratesBody: (p: { hard: Shown; soft: Shown; expected: string; guarantee: string }) =>
    `Per pull (base) → long-run with pity (single / 10-pull). Hard pity: ${p.hard}. Soft pity from: ${p.soft}. ` +
    `Expected pulls to the top tier: ${p.expected}. 10-pulls guarantee ${p.guarantee} or better. Duplicates can be drawn.`,
  ratesFeatured: (p: { share: string }) =>
    `Rate-up: ${p.share} of the top tier goes to featured items; after a miss the next top-tier item is featured.`,
  ratesItems: () => 'Items',
  bannersTitle: () => 'Open banners',
  bannerLine: (p: { name: string; id: string; kind: string; until: string; featured: string }) =>
    `**${p.name}** (\`${p.id}\`) — ${p.kind}${p.until ? `, until ${p.until}` : ''}${p.featured ? ` · featured: ${p.featured}` : ''}`,
  historyTitle: (p: { user: string; total: number }) => `${p.user}'s pulls (${p.total})`,
  historyEmpty: () => 'No pulls yet.',
  historyCatchingUp: () => 'History is catching up: your newest pulls appear here shortly.',
  rankingCatchingUp: () => 'Rankings are catching up with the newest pulls.',
  collectionTitle: (p: { user: string; owned: number; total: number; percent: string }) =>
    `${p.user}'s collection — ${p.owned}/${p.total} (${p.percent}%)`,
  collectionEmpty: () => 'Nothing collected yet.',
  leaderboardTitle: (p: { by: string }) => `Leaderboard — ${p.by}`,
  leaderboardEmpty: () => 'Nobody has pulled yet.',
  byPulls: () => 'total pulls',
  byCollection: () => 'items collected',
  page: (p: { page: number; pages: number }) => `Page ${p.page}/${p.pages}`,
  sparkDone: (p: { points: number; item: string }) => `Exchanged ${p.points} spark points for **${p.item}**.`,
  notAllowedChannel: () => 'The gacha is not available in this channel.',
  cooldown: (p: { seconds: number }) => `Slow down a little: try again in ${p.seconds}s.`,
  adminOnly: () => 'This command needs the Manage Server permission.',
  adminDone: (p: { what: string }) => `Done: ${p.what}.`,
  confirmReset: (p: { user: string }) => `Reset all progress of <@${p.user}> in this server? This cannot be undone.`,
  confirm: () => 'Confirm',
  cancel: () => 'Cancel',
  importPreview: () => 'Import preview — nothing changes until you confirm (10 minutes):',
  exportReady: () => 'The current item pool, rates and banners as JSON:',
  cancelled: () => 'Cancelled. Nothing changed.',
  expired: () => 'This button has expired.',
  internalError: () => 'Something went wrong on our side. Nothing was charged; please try again.',
  errors: enErrors,
};

const ja: typeof en = {
  pullTitle: (p) => `${p.user} の${p.count === 10 ? '10連' : '単発'}ガチャ — ${p.banner}`,
  pullFooter: (p) => `消費 ${p.cost} · 残高 ${p.balance} · 天井 ${p.pity}/${p.cap}`,
  duplicate: (p) => `重複 → 欠片 +${p.shards}`,
  newItem: () => 'NEW',
  featured: () => 'ピックアップ',
  dailyClaimed: (p) => `デイリー報酬: +${p.amount}（連続 ${p.streak} 日）。残高 ${p.balance}。`,
  profileTitle: (p) => `${p.user} のプロフィール`,
  currency: () => '所持通貨',
  shards: () => '欠片',
  pity: () => '天井カウント（最高レア以降の回数）',
  spark: () => '交換ポイント',
  streak: () => 'デイリー連続日数',
  collectionProgress: () => 'コレクション',
  totalPulls: () => '累計ガチャ回数',
  ratesTitle: (p) => `提供割合: ${p.banner}`,
  ratesBody: (p) =>
    `1回あたりの基本確率 → 天井込みの長期確率（単発 / 10連）。天井: ${p.hard}回。確率上昇開始: ${p.soft}回目。` +
    `最高レアまでの期待回数: ${p.expected}回。10連は${p.guarantee}以上が1つ確定。重複して排出されることがあります。`,
  ratesFeatured: (p) =>
    `ピックアップ: 最高レアの ${p.share} がピックアップ対象。外れた次の最高レアはピックアップ確定。`,
  ratesItems: () => '排出アイテム',
  bannersTitle: () => '開催中のガチャ',
  bannerLine: (p) =>
    `**${p.name}**（\`${p.id}\`）— ${p.kind}${p.until ? `、${p.until} まで` : ''}${p.featured ? ` · ピックアップ: ${p.featured}` : ''}`,
  historyTitle: (p) => `${p.user} のガチャ履歴（${p.total}件）`,
  historyEmpty: () => 'まだガチャを引いていません。',
  historyCatchingUp: () => '履歴を反映中です。最新のガチャ結果はまもなく表示されます。',
  rankingCatchingUp: () => 'ランキングは最新の結果を反映中です。',
  collectionTitle: (p) => `${p.user} のコレクション — ${p.owned}/${p.total}（${p.percent}%）`,
  collectionEmpty: () => 'まだ何も持っていません。',
  leaderboardTitle: (p) => `ランキング — ${p.by}`,
  leaderboardEmpty: () => 'まだ誰もガチャを引いていません。',
  byPulls: () => '累計ガチャ回数',
  byCollection: () => 'コレクション数',
  page: (p) => `${p.page}/${p.pages} ページ`,
  sparkDone: (p) => `交換ポイント ${p.points} で **${p.item}** と交換しました。`,
  notAllowedChannel: () => 'このチャンネルではガチャを利用できません。',
  cooldown: (p) => `少し待ってください: あと ${p.seconds} 秒。`,
  adminOnly: () => 'このコマンドには「サーバー管理」権限が必要です。',
  adminDone: (p) => `完了: ${p.what}`,
  confirmReset: (p) => `<@${p.user}> のこのサーバーでの進行状況をすべてリセットしますか？元に戻せません。`,
  confirm: () => '実行',
  cancel: () => 'キャンセル',
  importPreview: () => 'インポートの確認 — 「実行」を押すまで何も変わりません（10分間有効）:',
  exportReady: () => '現在のアイテム・確率・ガチャ設定（JSON）:',
  cancelled: () => 'キャンセルしました。変更はありません。',
  expired: () => 'このボタンは期限切れです。',
  internalError: () => 'エラーが発生しました。通貨は消費されていません。もう一度お試しください。',
  giftProposed: (p) =>
    `${p.giver} → ${p.receiver}: ${p.what}。${p.minutes}分以内に「確定」を押してください。押すまで何も移動しません。`,
  giftDone: (p) => `${p.receiver} に贈りました: ${p.what}。`,
  giftCancelled: () => 'ギフトをキャンセルしました。何も移動していません。',
  confirmButton: () => '確定',
  cancelButton: () => 'キャンセル',
  currencyAmount: (p) => `通貨 ${p.amount}`,
  errors: {
    'invalid-config': (p) => `入力が正しくありません: ${p.message}`,
    'unknown-banner': (p) => `ガチャ「${p.bannerId}」は存在しません。`,
    'banner-not-active': (p) => `ガチャ「${p.bannerId}」は現在開催されていません。`,
    'unknown-item': (p) => `アイテムが見つかりません: ${p.message}`,
    'insufficient-currency': (p) => `通貨が足りません: 必要 ${p.cost}、所持 ${p.balance}。/daily で受け取れます。`,
    'insufficient-spark': (p) => `交換ポイントが足りません: ${p.message}`,
    'invalid-pull-count': () => 'ガチャは1回か10回です。',
    'daily-already-claimed': () => '今日の報酬は受け取り済みです。また明日！',
    busy: () => '同時にリクエストが多すぎます。もう一度お試しください。',
    'trading-disabled': () => 'このサーバーではギフトとトレードは無効になっています。',
    'invalid-move': (p) => refusalText(jaMoveRefusals, p.reason),
    'item-not-owned': (p) =>
      `「${p.itemId}」の所持数は ${p.owned} で、${p.wanted} 個はありません。何も移動していません。`,
    'insufficient-shards': (p) => `シャードが足りません: 必要 ${p.cost}、所持 ${p.balance}。`,
    'move-closed': (p) =>
      p.outcome === 'settle'
        ? 'このギフト／トレードは完了済みです。'
        : 'このギフト／トレードはキャンセルされました。何も移動していません。',
  },
};

export type Messages = typeof en;
export const MESSAGES: Readonly<Record<Locale, Messages>> = { en, ja };

export function messages(locale: Locale): Messages {
  return MESSAGES[locale];
}
