/**
 * Player- and admin-facing text in Japanese and English. The language follows the player's Discord
 * locale; other locales get the server's language (an admin setting, English on new servers).
 * Numbers are formatted for the language (1,300); Japanese puts no spaces around numbers.
 */
import type { BannerKind, Locale } from '../domain/catalog';
import type { GachaErrorCode } from '../domain/errors';
import type { MoveRefusal } from '../domain/moves';

export function localeFrom(discordLocale: string | null | undefined, fallback: Locale): Locale {
  if (!discordLocale) return fallback;
  if (discordLocale.startsWith('ja')) return 'ja';
  if (discordLocale.startsWith('en')) return 'en';
  return fallback;
}

const NUMBER_FORMATS: Readonly<Record<Locale, Intl.NumberFormat>> = {
  en: new Intl.NumberFormat('en-US'),
  ja: new Intl.NumberFormat('ja-JP'),
};

/** A whole number as the language writes it (1,300). */
export function formatNumber(locale: Locale, value: number): string {
  return NUMBER_FORMATS[locale].format(value);
}

/** A measured quantity with at most `digits` decimals (12.5, 1,234.5). */
export function formatDecimal(locale: Locale, value: number, digits = 1): string {
  return new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-US', { maximumFractionDigits: digits }).format(value);
}

const enNum = (value: Shown): string => (typeof value === 'number' ? formatNumber('en', value) : value);
const jaNum = (value: Shown): string => (typeof value === 'number' ? formatNumber('ja', value) : value);

/** A value shown as it is: a number (formatted for the language), or text already formatted ('∞', '—'). */
type Shown = string | number;

type NoParams = Readonly<Record<string, never>>;

/** The parameters of each error message (from the GachaError's details, see error-replies.ts). */
export interface ErrorMessageParams {
  /** `problems`: the localized problems, one per line; `detail`: a bounded technical note or ''. */
  readonly 'invalid-config': { readonly problems: string; readonly detail: string };
  readonly 'unknown-banner': { readonly bannerId: string };
  readonly 'banner-not-active': { readonly bannerId: string };
  readonly 'unknown-item': { readonly itemId: string };
  readonly 'insufficient-currency': {
    readonly cost: Shown;
    readonly balance: Shown;
    readonly currency: string;
    /** The mention of /daily. */
    readonly daily: string;
  };
  readonly 'insufficient-spark': { readonly points: Shown; readonly needed: Shown };
  readonly 'invalid-pull-count': NoParams;
  readonly 'daily-already-claimed': NoParams;
  readonly busy: NoParams;
  readonly 'trading-disabled': NoParams;
  readonly 'invalid-move': { readonly reason: MoveRefusal };
  readonly 'item-not-owned': { readonly itemId: string; readonly owned: Shown; readonly wanted: Shown };
  readonly 'insufficient-shards': { readonly cost: Shown; readonly balance: Shown };
  readonly 'move-closed': { readonly outcome: string };
}

/**
 * Why an input was refused (`details.reason` of an invalid-config GachaError), each with its
 * parameters. A reason not listed here is shown as the generic "not valid" with a bounded detail.
 */
export interface InvalidReasonParams {
  readonly 'unknown-timezone': { readonly timezone: string };
  readonly 'not-a-percent': { readonly text: string };
  readonly 'percent-over-100': { readonly text: string };
  readonly 'unknown-tier': { readonly tierId: string };
  readonly 'tier-twice': { readonly tierId: string };
  readonly 'rates-missing': { readonly tierIds: string };
  readonly 'item-exists': { readonly itemId: string };
  readonly 'item-featured': { readonly itemId: string; readonly bannerIds: string };
  readonly 'banner-exists': { readonly bannerId: string };
  readonly 'bad-dates': NoParams;
  readonly 'standard-required': NoParams;
  readonly 'standard-permanent': NoParams;
  readonly 'file-too-large': { readonly kib: Shown };
  readonly 'no-download': NoParams;
  readonly 'download-failed': { readonly status: Shown };
  readonly 'not-json': NoParams;
  readonly 'currency-name': { readonly max: Shown };
  readonly 'bad-amount': NoParams;
  readonly 'not-valid': NoParams;
}

export type InvalidReason = keyof InvalidReasonParams;
export type InvalidReasonMessages = { readonly [R in InvalidReason]: (p: InvalidReasonParams[R]) => string };

const enInvalid: InvalidReasonMessages = {
  'unknown-timezone': (p) => `"${p.timezone}" is not a time zone. Use an IANA name such as Asia/Tokyo or Europe/Paris.`,
  'not-a-percent': (p) => `"${p.text}" is not a percentage with at most 4 decimals.`,
  'percent-over-100': (p) => `${p.text} is more than 100%.`,
  'unknown-tier': (p) => `There is no tier "${p.tierId}".`,
  'tier-twice': (p) => `The tier "${p.tierId}" is given twice.`,
  'rates-missing': (p) => `Give a rate for every tier; missing: ${p.tierIds}.`,
  'item-exists': (p) => `An item "${p.itemId}" already exists.`,
  'item-featured': (p) => `"${p.itemId}" is featured on ${p.bannerIds}: end or change those banners first.`,
  'banner-exists': (p) => `A banner "${p.bannerId}" already exists.`,
  'bad-dates': () => 'The start or end is not a valid date-time, or the end is not after the start.',
  'standard-required': () => 'A permanent standard banner is required.',
  'standard-permanent': () => 'The standard banner is permanent and cannot be ended.',
  'file-too-large': (p) => `The file is larger than ${enNum(p.kib)} KiB.`,
  'no-download': () => 'The attachment has no address to download it from.',
  'download-failed': (p) => `The attachment could not be downloaded (HTTP ${p.status}).`,
  'not-json': () => 'The file is not valid JSON.',
  'currency-name': (p) => `A currency name is 1 to ${enNum(p.max)} characters.`,
  'bad-amount': () => 'An amount is a whole number within the allowed range.',
  'not-valid': () => 'This input is not valid.',
};

const jaInvalid: InvalidReasonMessages = {
  'unknown-timezone': (p) =>
    `「${p.timezone}」はタイムゾーンではありません。Asia/Tokyo や Europe/Paris のような IANA 名を指定してください。`,
  'not-a-percent': (p) => `「${p.text}」は小数点以下4桁までのパーセントではありません。`,
  'percent-over-100': (p) => `${p.text}は100%を超えています。`,
  'unknown-tier': (p) => `レア度「${p.tierId}」はありません。`,
  'tier-twice': (p) => `レア度「${p.tierId}」が2回指定されています。`,
  'rates-missing': (p) => `すべてのレア度の確率を指定してください。未指定: ${p.tierIds}`,
  'item-exists': (p) => `アイテム「${p.itemId}」はすでにあります。`,
  'item-featured': (p) =>
    `「${p.itemId}」は${p.bannerIds}のピックアップです。先にそのガチャを終了または変更してください。`,
  'banner-exists': (p) => `ガチャ「${p.bannerId}」はすでにあります。`,
  'bad-dates': () => '開始または終了の日時が正しくないか、終了が開始より後になっていません。',
  'standard-required': () => '常設ガチャが1つ必要です。',
  'standard-permanent': () => '常設ガチャは終了できません。',
  'file-too-large': (p) => `ファイルが${jaNum(p.kib)}KiBを超えています。`,
  'no-download': () => '添付ファイルをダウンロードできるアドレスがありません。',
  'download-failed': (p) => `添付ファイルをダウンロードできませんでした（HTTP ${p.status}）。`,
  'not-json': () => 'ファイルが正しいJSONではありません。',
  'currency-name': (p) => `通貨名は1〜${jaNum(p.max)}文字にしてください。`,
  'bad-amount': () => '数量は許可された範囲の整数にしてください。',
  'not-valid': () => '入力内容が正しくありません。',
};

/** What each admin confirmation says (typed parameters, the same in both languages). */
export interface AdminDoneParams {
  readonly cost: { readonly single: number; readonly ten: number; readonly currency: string };
  readonly daily: { readonly amount: number; readonly streakBonus: number; readonly currency: string };
  readonly cooldown: { readonly pull: number; readonly other: number };
  readonly channel: { readonly channelId: string; readonly allowed: boolean };
  readonly rates: { readonly rates: string };
  readonly itemAdded: { readonly item: string; readonly itemId: string };
  readonly itemRemoved: { readonly itemId: string };
  readonly bannerCreated: { readonly banner: string; readonly bannerId: string };
  readonly bannerEnded: { readonly bannerId: string };
  readonly imported: NoParams;
  readonly playerReset: { readonly userId: string };
  readonly language: { readonly language: Locale };
  readonly timezone: { readonly timezone: string; readonly localTime: string };
  readonly currencyName: { readonly ja: string; readonly en: string };
  /** A setting whose new value the feature's own strings module already says in this language. */
  readonly setting: { readonly what: string };
}

export type AdminDoneMessages = { readonly [K in keyof AdminDoneParams]: (p: AdminDoneParams[K]) => string };

const LANGUAGE_NAMES: Readonly<Record<Locale, Readonly<Record<Locale, string>>>> = {
  en: { en: 'English', ja: 'Japanese' },
  ja: { en: '英語', ja: '日本語' },
};

const enAdminDone: AdminDoneMessages = {
  cost: (p) => `Done: a single pull costs ${enNum(p.single)} ${p.currency}, a 10-pull ${enNum(p.ten)} ${p.currency}.`,
  daily: (p) => `Done: the daily reward is ${enNum(p.amount)} ${p.currency}, +${enNum(p.streakBonus)} per streak day.`,
  cooldown: (p) => `Done: cooldowns are ${enNum(p.pull)}s between pulls and ${enNum(p.other)}s between other commands.`,
  channel: (p) => `Done: <#${p.channelId}> is ${p.allowed ? 'allowed' : 'no longer allowed'}.`,
  rates: (p) => `Done: the tier rates are now ${p.rates}.`,
  itemAdded: (p) => `Done: added ${p.item} (\`${p.itemId}\`).`,
  itemRemoved: (p) => `Done: removed \`${p.itemId}\` from the pool (players keep their copies).`,
  bannerCreated: (p) => `Done: created the banner ${p.banner} (\`${p.bannerId}\`).`,
  bannerEnded: (p) => `Done: the banner \`${p.bannerId}\` has ended.`,
  imported: () => 'Done: the imported items, rates and banners are in place.',
  playerReset: (p) => `Done: the progress of <@${p.userId}> was reset.`,
  language: (p) =>
    `Done: the server language is ${LANGUAGE_NAMES.en[p.language]}. Players whose Discord language is neither Japanese nor English now see it.`,
  timezone: (p) => `Done: the daily reward resets at midnight in ${p.timezone} (now ${p.localTime} there).`,
  currencyName: (p) => `Done: the currency is called "${p.en}" in English and "${p.ja}" in Japanese.`,
  setting: (p) => `Done: ${p.what}.`,
};

const jaAdminDone: AdminDoneMessages = {
  cost: (p) => `完了: 単発${jaNum(p.single)}${p.currency}、10連${jaNum(p.ten)}${p.currency}に設定しました。`,
  daily: (p) =>
    `完了: デイリー報酬を${jaNum(p.amount)}${p.currency}、連続1日ごとに+${jaNum(p.streakBonus)}に設定しました。`,
  cooldown: (p) => `完了: クールダウンをガチャ${jaNum(p.pull)}秒、その他のコマンド${jaNum(p.other)}秒に設定しました。`,
  channel: (p) => `完了: <#${p.channelId}>を${p.allowed ? '許可しました' : '許可リストから外しました'}。`,
  rates: (p) => `完了: レア度ごとの確率を${p.rates}に設定しました。`,
  itemAdded: (p) => `完了: ${p.item}（\`${p.itemId}\`）を追加しました。`,
  itemRemoved: (p) => `完了: \`${p.itemId}\`を排出対象から外しました（所持分はそのままです）。`,
  bannerCreated: (p) => `完了: ガチャ${p.banner}（\`${p.bannerId}\`）を作成しました。`,
  bannerEnded: (p) => `完了: ガチャ\`${p.bannerId}\`を終了しました。`,
  imported: () => '完了: インポートしたアイテム・確率・ガチャを反映しました。',
  playerReset: (p) => `完了: <@${p.userId}>の進行状況をリセットしました。`,
  language: (p) =>
    `完了: サーバーの言語を${LANGUAGE_NAMES.ja[p.language]}にしました。Discordの言語が日本語・英語以外のプレイヤーにはこの言語で表示します。`,
  timezone: (p) => `完了: デイリー報酬は${p.timezone}の0時にリセットされます（現在の現地時刻: ${p.localTime}）。`,
  currencyName: (p) => `完了: 通貨名を日本語「${p.ja}」、英語「${p.en}」にしました。`,
  setting: (p) => `完了: ${p.what}に設定しました。`,
};

const enMoveRefusals: Readonly<Record<MoveRefusal, string>> = {
  self: 'You cannot give to or trade with yourself.',
  bot: 'Bots cannot receive gifts or trade.',
  'not-member': 'That user is not a member of this server.',
  empty: 'Nothing to give: add an item or an amount.',
  'not-party': 'This offer is not yours.',
  expired: 'This offer has expired; nothing was moved.',
  'not-giver': 'Only the giver can confirm this gift.',
  stale: 'This offer was changed since; confirm or change the newest version (nothing moved).',
  'too-many-changes': 'This trade was changed too many times; cancel it and propose a new one.',
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
  stale: 'このオファーはその後変更されました。最新の内容で承認または変更してください（何も移動していません）。',
  'too-many-changes': 'このトレードは変更回数の上限に達しました。キャンセルして新しく提案してください。',
};

export type ErrorMessages = { readonly [C in GachaErrorCode]: (p: ErrorMessageParams[C]) => string };

const enErrors: ErrorMessages = {
  'invalid-config': (p) =>
    `That was not accepted; nothing changed.\n${p.problems}${p.detail ? `\n-# Details: ${p.detail}` : ''}`,
  'unknown-banner': (p) => `There is no banner "${p.bannerId}".`,
  'banner-not-active': (p) => `The banner "${p.bannerId}" is not open now.`,
  'unknown-item': (p) => `There is no item "${p.itemId}" here.`,
  'insufficient-currency': (p) =>
    `Not enough ${p.currency}: this costs ${enNum(p.cost)}, you have ${enNum(p.balance)}. Try ${p.daily}.`,
  'insufficient-spark': (p) =>
    `Not enough spark points: the exchange needs ${enNum(p.needed)}, you have ${enNum(p.points)}.`,
  'invalid-pull-count': () => 'A pull is 1 or 10 draws.',
  'daily-already-claimed': () => 'You already claimed today’s reward. Come back tomorrow!',
  busy: () => 'Too many requests at once. Please try again.',
  'trading-disabled': () => 'Gifts and trades are turned off on this server.',
  'invalid-move': (p) => refusalText(enMoveRefusals, p.reason),
  'item-not-owned': (p) => `You own ${enNum(p.owned)} of "${p.itemId}", not ${enNum(p.wanted)}. Nothing was moved.`,
  'insufficient-shards': (p) => `Not enough shards: this costs ${enNum(p.cost)}, you have ${enNum(p.balance)}.`,
  'move-closed': (p) =>
    p.outcome === 'settle'
      ? 'This gift or trade is already completed.'
      : 'This gift or trade was cancelled; nothing moved.',
};

const jaErrors: ErrorMessages = {
  'invalid-config': (p) =>
    `受け付けられませんでした。何も変更していません。\n${p.problems}${p.detail ? `\n-# 詳細: ${p.detail}` : ''}`,
  'unknown-banner': (p) => `ガチャ「${p.bannerId}」はありません。`,
  'banner-not-active': (p) => `ガチャ「${p.bannerId}」は現在開催されていません。`,
  'unknown-item': (p) => `アイテム「${p.itemId}」はありません。`,
  'insufficient-currency': (p) =>
    `${p.currency}が足りません: 必要${jaNum(p.cost)}、所持${jaNum(p.balance)}。${p.daily}で受け取れます。`,
  'insufficient-spark': (p) => `交換ポイントが足りません: 必要${jaNum(p.needed)}、所持${jaNum(p.points)}。`,
  'invalid-pull-count': () => 'ガチャは1回か10回です。',
  'daily-already-claimed': () => '今日の報酬は受け取り済みです。また明日！',
  busy: () => '同時にリクエストが多すぎます。もう一度お試しください。',
  'trading-disabled': () => 'このサーバーではギフトとトレードは無効になっています。',
  'invalid-move': (p) => refusalText(jaMoveRefusals, p.reason),
  'item-not-owned': (p) =>
    `「${p.itemId}」の所持数は${jaNum(p.owned)}個で、${jaNum(p.wanted)}個はありません。何も移動していません。`,
  'insufficient-shards': (p) => `かけらが足りません: 必要${jaNum(p.cost)}、所持${jaNum(p.balance)}。`,
  'move-closed': (p) =>
    p.outcome === 'settle'
      ? 'このギフト／トレードは完了済みです。'
      : 'このギフト／トレードはキャンセルされました。何も移動していません。',
};

const EN_BANNER_KINDS: Readonly<Record<BannerKind, string>> = { standard: 'standard', limited: 'limited' };
const JA_BANNER_KINDS: Readonly<Record<BannerKind, string>> = { standard: '常設', limited: '限定' };

const en = {
  giftProposed: (p: { giver: string; receiver: string; what: string; minutes: number }) =>
    `${p.giver} → ${p.receiver}: ${p.what}. Press Confirm within ${p.minutes} minutes; nothing moves before.`,
  giftDone: (p: { receiver: string; what: string }) => `Gift delivered to ${p.receiver}: ${p.what}.`,
  giftCancelled: () => 'Gift cancelled; nothing moved.',
  confirmButton: () => 'Confirm',
  cancelButton: () => 'Cancel',
  currencyAmount: (p: { amount: number; currency: string }) => `${enNum(p.amount)} ${p.currency}`,
  pullTitle: (p: { user: string; count: number; banner: string }) =>
    `${p.user}'s ${p.count === 10 ? '10-pull' : 'pull'} on ${p.banner}`,
  pullFooter: (p: { cost: number; balance: number; pity: number; cap: Shown }) =>
    `Cost ${enNum(p.cost)} · Balance ${enNum(p.balance)} · Pity ${enNum(p.pity)}/${enNum(p.cap)}`,
  duplicate: (p: { shards: number }) => `duplicate → +${enNum(p.shards)} shards`,
  newItem: () => 'NEW',
  featured: () => 'rate-up',
  dailyClaimed: (p: { amount: number; streak: number; balance: number; currency: string }) =>
    `Daily reward: +${enNum(p.amount)} ${p.currency} (${enNum(p.streak)}-day streak). Balance ${enNum(p.balance)} ${p.currency}.`,
  profileTitle: (p: { user: string }) => `${p.user}'s profile`,
  currency: (p: { currency: string }) => `Balance (${p.currency})`,
  shards: () => 'Shards',
  pity: () => 'Pity (pulls since top tier)',
  profilePity: (p: { standard: number; limited: number }) =>
    `standard ${enNum(p.standard)} · limited ${enNum(p.limited)}`,
  spark: () => 'Spark points',
  streak: () => 'Daily streak',
  streakDays: (p: { days: number }) => `${enNum(p.days)} day${p.days === 1 ? '' : 's'}`,
  collectionProgress: () => 'Collection',
  totalPulls: () => 'Total pulls',
  count: (p: { value: number }) => enNum(p.value),
  fraction: (p: { value: number; total: number }) => `${enNum(p.value)}/${enNum(p.total)}`,
  bannerKind: (p: { kind: BannerKind }) => EN_BANNER_KINDS[p.kind],
  bannersTitle: () => 'Open banners',
  bannerLine: (p: { name: string; id: string; kind: string; until: string; featured: string }) =>
    `**${p.name}** (\`${p.id}\`) — ${p.kind}${p.until ? `, until ${p.until}` : ''}${p.featured ? ` · featured: ${p.featured}` : ''}`,
  historyTitle: (p: { user: string; total: number }) => `${p.user}'s pulls (${enNum(p.total)})`,
  historyEmpty: (p: { pull: string }) => `No pulls yet: try ${p.pull}.`,
  historyCatchingUp: () => 'History is catching up: your newest pulls appear here shortly.',
  rankingCatchingUp: () => 'Rankings are catching up with the newest pulls.',
  collectionTitle: (p: { user: string; owned: number; total: number; percent: string }) =>
    `${p.user}'s collection — ${enNum(p.owned)}/${enNum(p.total)} (${p.percent}%)`,
  collectionEmpty: () => 'Nothing collected yet.',
  leaderboardTitle: (p: { by: string }) => `Leaderboard — ${p.by}`,
  leaderboardEmpty: () => 'Nobody has pulled yet.',
  byPulls: () => 'total pulls',
  byCollection: () => 'items collected',
  page: (p: { page: number; pages: number }) => `Page ${enNum(p.page)}/${enNum(p.pages)}`,
  sparkDone: (p: { points: number; item: string }) => `Exchanged ${enNum(p.points)} spark points for **${p.item}**.`,
  notAllowedChannel: () => 'The gacha is not available in this channel.',
  cooldown: (p: { seconds: number }) => `Slow down a little: try again in ${enNum(p.seconds)}s.`,
  adminOnly: () => 'This command needs the Manage Server permission.',
  adminDone: enAdminDone,
  invalid: enInvalid,
  confirmReset: (p: { user: string }) => `Reset all progress of <@${p.user}> in this server? This cannot be undone.`,
  confirm: () => 'Confirm',
  cancel: () => 'Cancel',
  importPreview: () => 'Import preview — nothing changes until you confirm (10 minutes):',
  importCosts: (p: { single: number; ten: number; items: number; currency: string }) =>
    `Single ${enNum(p.single)} ${p.currency} · 10-pull ${enNum(p.ten)} ${p.currency} · ${enNum(p.items)} items`,
  exportReady: () => 'The current item pool, rates and banners as JSON:',
  cancelled: () => 'Cancelled. Nothing changed.',
  expired: () => 'This button has expired.',
  notYourButton: () => 'These buttons belong to the member who used the command.',
  internalError: () => 'Something went wrong on our side. Nothing was charged; please try again.',
  errors: enErrors,
};

export type Messages = typeof en;

const ja: Messages = {
  pullTitle: (p) => `${p.user}の${p.count === 10 ? '10連' : '単発'}ガチャ — ${p.banner}`,
  pullFooter: (p) => `消費${jaNum(p.cost)} · 残高${jaNum(p.balance)} · 天井まで${jaNum(p.pity)}/${jaNum(p.cap)}`,
  duplicate: (p) => `重複 → かけら+${jaNum(p.shards)}`,
  newItem: () => 'NEW',
  featured: () => 'ピックアップ',
  dailyClaimed: (p) =>
    `デイリー報酬: +${jaNum(p.amount)}${p.currency}（${jaNum(p.streak)}日連続）。残高${jaNum(p.balance)}${p.currency}。`,
  profileTitle: (p) => `${p.user}のプロフィール`,
  currency: (p) => `所持${p.currency}`,
  shards: () => 'かけら',
  pity: () => '天井カウント（最高レア以降の回数）',
  profilePity: (p) => `常設${jaNum(p.standard)}回 · 限定${jaNum(p.limited)}回`,
  spark: () => '交換ポイント',
  streak: () => 'デイリー連続日数',
  streakDays: (p) => `${jaNum(p.days)}日連続`,
  collectionProgress: () => 'コレクション',
  totalPulls: () => '累計ガチャ回数',
  count: (p) => jaNum(p.value),
  fraction: (p) => `${jaNum(p.value)}/${jaNum(p.total)}`,
  bannerKind: (p) => JA_BANNER_KINDS[p.kind],
  bannersTitle: () => '開催中のガチャ',
  bannerLine: (p) =>
    `**${p.name}**（\`${p.id}\`）— ${p.kind}${p.until ? `、${p.until}まで` : ''}${p.featured ? ` · ピックアップ: ${p.featured}` : ''}`,
  historyTitle: (p) => `${p.user}のガチャ履歴（${jaNum(p.total)}件）`,
  historyEmpty: (p) => `まだガチャを引いていません。${p.pull}で引けます。`,
  historyCatchingUp: () => '履歴を反映中です。最新のガチャ結果はまもなく表示されます。',
  rankingCatchingUp: () => 'ランキングは最新の結果を反映中です。',
  collectionTitle: (p) => `${p.user}のコレクション — ${jaNum(p.owned)}/${jaNum(p.total)}（${p.percent}%）`,
  collectionEmpty: () => 'まだ何も持っていません。',
  leaderboardTitle: (p) => `ランキング — ${p.by}`,
  leaderboardEmpty: () => 'まだ誰もガチャを引いていません。',
  byPulls: () => '累計ガチャ回数',
  byCollection: () => 'コレクション数',
  page: (p) => `${jaNum(p.page)}/${jaNum(p.pages)}ページ`,
  sparkDone: (p) => `交換ポイント${jaNum(p.points)}で**${p.item}**と交換しました。`,
  notAllowedChannel: () => 'このチャンネルではガチャを利用できません。',
  cooldown: (p) => `少し待ってください。あと${jaNum(p.seconds)}秒。`,
  adminOnly: () => 'このコマンドには「サーバー管理」権限が必要です。',
  adminDone: jaAdminDone,
  invalid: jaInvalid,
  confirmReset: (p) => `<@${p.user}>のこのサーバーでの進行状況をすべてリセットしますか？元に戻せません。`,
  confirm: () => '実行',
  cancel: () => 'キャンセル',
  importPreview: () => 'インポートの確認 — 「実行」を押すまで何も変わりません（10分間有効）:',
  importCosts: (p) =>
    `単発${jaNum(p.single)}${p.currency} · 10連${jaNum(p.ten)}${p.currency} · アイテム${jaNum(p.items)}種類`,
  exportReady: () => '現在のアイテム・確率・ガチャ設定（JSON）:',
  cancelled: () => 'キャンセルしました。変更はありません。',
  expired: () => 'このボタンは期限切れです。',
  notYourButton: () => 'このボタンはコマンドを使ったメンバーだけが操作できます。',
  internalError: () => 'エラーが発生しました。通貨は消費されていません。もう一度お試しください。',
  giftProposed: (p) =>
    `${p.giver} → ${p.receiver}: ${p.what}。${jaNum(p.minutes)}分以内に「確定」を押してください。押すまで何も移動しません。`,
  giftDone: (p) => `${p.receiver}に贈りました: ${p.what}。`,
  giftCancelled: () => 'ギフトをキャンセルしました。何も移動していません。',
  confirmButton: () => '確定',
  cancelButton: () => 'キャンセル',
  currencyAmount: (p) => `${jaNum(p.amount)}${p.currency}`,
  errors: jaErrors,
};

export const MESSAGES: Readonly<Record<Locale, Messages>> = { en, ja };

export function messages(locale: Locale): Messages {
  return MESSAGES[locale];
}
