/**
 * Text of the catalog administration flows (previews of a change, confirm/cancel, the live-banner
 * rule, the odds changelog, stats) in Japanese and English. Every entry takes the same typed
 * parameters in both languages; the i18n test checks the parity.
 */
import type { Locale } from '../../../domain/catalog';

export interface AdminStrings {
  readonly previewTitle: (p: { readonly action: string }) => string;
  readonly unchanged: string;
  readonly added: (p: { readonly what: string; readonly ids: string }) => string;
  readonly removed: (p: { readonly what: string; readonly ids: string }) => string;
  readonly changed: (p: { readonly what: string; readonly ids: string }) => string;
  readonly settingsChanged: (p: { readonly fields: string }) => string;
  readonly kinds: { readonly tiers: string; readonly items: string; readonly banners: string };
  readonly unobtainableTitle: string;
  readonly unobtainable: (p: { readonly item: string; readonly owners: number }) => string;
  readonly oddsTitle: string;
  readonly odds: (p: {
    readonly banner: string;
    readonly topRate: string;
    readonly pulls: string;
    readonly cost: string;
    readonly was: string;
  }) => string;
  readonly newBanner: string;
  readonly budgetWarning: (p: {
    readonly banner: string;
    readonly cost: string;
    readonly days: number;
    readonly earned: string;
  }) => string;
  readonly more: (p: { readonly count: number }) => string;
  /** `rates`: the mention of /gacha rates. */
  readonly liveRefused: (p: { readonly banners: string; readonly rates: string }) => string;
  readonly liveAnnounced: (p: { readonly banners: string; readonly rates: string }) => string;
  readonly confirm: string;
  readonly cancel: string;
  readonly applied: (p: { readonly action: string; readonly revision: number }) => string;
  readonly cancelled: string;
  readonly expired: string;
  readonly stale: string;
  readonly changelogTitle: string;
  readonly changelogEntry: (p: { readonly when: string; readonly banner: string; readonly fields: string }) => string;
  readonly statsTitle: (p: { readonly days: number }) => string;
  readonly statsDay: (p: {
    readonly day: string;
    readonly pulls: number;
    readonly issued: string;
    readonly spent: string;
    readonly players: number;
  }) => string;
  readonly statsTotals: (p: { readonly issued: string; readonly spent: string; readonly players: number }) => string;
  readonly statsTopRate: (p: {
    readonly observed: string;
    readonly published: string;
    readonly draws: number;
  }) => string;
  readonly setupDone: (p: { readonly days: number; readonly channel: string }) => string;
  readonly noChannel: string;
  readonly form: {
    readonly addItemTitle: string;
    readonly editItemTitle: (p: { readonly id: string }) => string;
    readonly id: string;
    readonly idHint: string;
    readonly tier: string;
    readonly name: (p: { readonly language: string }) => string;
    readonly otherName: (p: { readonly language: string }) => string;
    readonly otherNameHint: string;
    readonly languages: { readonly ja: string; readonly en: string };
    /** The optional card-art upload (label ≤ 45, description ≤ 100 characters). */
    readonly art: string;
    readonly artHint: string;
  };
  readonly bannerForm: {
    readonly createTitle: (p: { readonly id: string }) => string;
    readonly editTitle: (p: { readonly id: string }) => string;
    readonly starts: string;
    readonly startsHint: (p: { readonly zone: string }) => string;
    readonly ends: string;
    readonly featured: string;
    readonly featuredHint: string;
    readonly pity: string;
    readonly pityHint: string;
    readonly refused: (p: { readonly problems: string }) => string;
    readonly badDate: (p: { readonly field: string; readonly text: string; readonly zone: string }) => string;
    readonly endRequired: string;
    readonly endBeforeStart: string;
    readonly featuredRequired: string;
    readonly unknownItems: (p: { readonly ids: string }) => string;
    readonly badPity: (p: { readonly text: string }) => string;
  };
}

export const ADMIN_STRINGS: Record<Locale, AdminStrings> = {
  en: {
    previewTitle: (p) => `**Preview: ${p.action}** — nothing changes until you confirm.`,
    unchanged: 'This changes nothing.',
    added: (p) => `➕ ${p.what} added: ${p.ids}`,
    removed: (p) => `➖ ${p.what} removed: ${p.ids}`,
    changed: (p) => `✏️ ${p.what} changed: ${p.ids}`,
    settingsChanged: (p) => `✏️ Prices and rules changed: ${p.fields}`,
    kinds: { tiers: 'Tiers', items: 'Items', banners: 'Banners' },
    unobtainableTitle: '**No longer obtainable** (players keep their copies):',
    unobtainable: (p) => `• ${p.item} — owned by ${p.owners} player(s)`,
    oddsTitle: '**Published odds after the change:**',
    odds: (p) => `• ${p.banner}: top tier ${p.topRate} · expected ${p.pulls} pulls (${p.cost}) to the top tier${p.was}`,
    newBanner: ' (new)',
    budgetWarning: (p) =>
      `⚠️ On ${p.banner} a top-tier item costs ${p.cost} on average: more than the ${p.earned} a player earns from dailies in ${p.days} days.`,
    more: (p) => `…and ${p.count} more`,
    liveRefused: (p) =>
      `Refused: this changes the odds or pity of banners players are already pulling on (${p.banners}). Run it again with live: announce to publish the change in the changelog shown by ${p.rates}.`,
    liveAnnounced: (p) =>
      `📢 Banners already running change odds or pity (${p.banners}): confirming records it in the public changelog shown by ${p.rates}.`,
    confirm: 'Confirm',
    cancel: 'Cancel',
    applied: (p) => `Applied: ${p.action} (settings revision ${p.revision}).`,
    cancelled: 'Cancelled: nothing changed.',
    expired: 'This preview has expired or is not yours: run the command again.',
    stale: 'The settings changed since this preview: run the command again to see the new consequences.',
    changelogTitle: '**Odds changes on running banners**',
    changelogEntry: (p) => `• ${p.when} — ${p.banner}: ${p.fields}`,
    statsTitle: (p) => `**Gacha activity, last ${p.days} days** (from the ledger)`,
    statsDay: (p) => `${p.day}: ${p.pulls} pulls · +${p.issued} / −${p.spent} currency · ${p.players} players`,
    statsTotals: (p) => `Total: issued ${p.issued}, spent ${p.spent} · ${p.players} active players`,
    statsTopRate: (p) => `Top tier observed ${p.observed} vs published ${p.published} (${p.draws} items drawn)`,
    setupDone: (p) => `Saved: previews warn beyond ${p.days} days of dailies; announcements go to ${p.channel}.`,
    noChannel: 'no channel',
    form: {
      addItemTitle: 'Add an item',
      editItemTitle: (p) => `Edit item ${p.id}`,
      id: 'Item id',
      idHint: 'Letters, digits, - and _ (e.g. kitsune-mask)',
      tier: 'Tier',
      name: (p) => `Name (${p.language})`,
      otherName: (p) => `Name (${p.language}, optional)`,
      otherNameHint: 'Left empty, the main name is used',
      languages: { ja: 'Japanese', en: 'English' },
      art: 'Card art (optional)',
      artHint: 'PNG, JPEG, WebP or GIF up to 8 MB; left empty, the art stays as it is',
    },
    bannerForm: {
      createTitle: (p) => `Create banner ${p.id}`,
      editTitle: (p) => `Edit banner ${p.id}`,
      starts: 'Starts (empty: now, or unchanged)',
      startsHint: (p) => `YYYY-MM-DD HH:mm (${p.zone}) or <t:…>`,
      ends: 'Ends',
      featured: 'Featured item ids',
      featuredHint: 'Comma-separated, e.g. amaterasu, susanoo',
      pity: 'Hard pity / spark (pulls)',
      pityHint: 'e.g. 90 / 300 (0 = none; empty: unchanged or default)',
      refused: (p) => `Nothing was changed:\n${p.problems}`,
      badDate: (p) =>
        `• ${p.field}: “${p.text}” is not a date. Write YYYY-MM-DD HH:mm in the server’s time zone (${p.zone}) or a Discord timestamp <t:…>.`,
      endRequired: '• Ends: a limited banner needs an end date.',
      endBeforeStart: '• Ends: the end must be after the start.',
      featuredRequired: '• Featured: name at least one item id.',
      unknownItems: (p) => `• Featured: no such item: ${p.ids}.`,
      badPity: (p) => `• Hard pity / spark: “${p.text}” is not two whole numbers such as 90 / 300.`,
    },
  },
  ja: {
    previewTitle: (p) => `**プレビュー: ${p.action}** — 確定するまで何も変わりません。`,
    unchanged: 'この操作で変わるものはありません。',
    added: (p) => `➕ ${p.what}を追加: ${p.ids}`,
    removed: (p) => `➖ ${p.what}を削除: ${p.ids}`,
    changed: (p) => `✏️ ${p.what}を変更: ${p.ids}`,
    settingsChanged: (p) => `✏️ 価格・ルールを変更: ${p.fields}`,
    kinds: { tiers: 'レア度', items: 'アイテム', banners: 'ガチャ' },
    unobtainableTitle: '**入手できなくなるもの**（所持分はそのまま残ります）:',
    unobtainable: (p) => `• ${p.item} — 所持者${p.owners}人`,
    oddsTitle: '**変更後の提供割合:**',
    odds: (p) => `• ${p.banner}: 最高レア${p.topRate}・最高レアまで平均${p.pulls}回（${p.cost}）${p.was}`,
    newBanner: '（新規）',
    budgetWarning: (p) =>
      `⚠️ ${p.banner} で最高レアを引くのに平均${p.cost}かかります。デイリー${p.days}日分の報酬（${p.earned}）を超えています。`,
    more: (p) => `…ほか${p.count}件`,
    liveRefused: (p) =>
      `実行できません: 開催中のガチャ（${p.banners}）の提供割合または天井が変わります。live: announce を付けて実行すると、${p.rates} に表示される変更履歴に公開されます。`,
    liveAnnounced: (p) =>
      `📢 開催中のガチャ（${p.banners}）の提供割合または天井が変わります。確定すると ${p.rates} の変更履歴に公開されます。`,
    confirm: '確定',
    cancel: 'キャンセル',
    applied: (p) => `反映しました: ${p.action}（設定リビジョン${p.revision}）。`,
    cancelled: 'キャンセルしました。何も変わっていません。',
    expired: 'このプレビューは期限切れか、ほかの管理者のものです。もう一度コマンドを実行してください。',
    stale: 'プレビューの後に設定が変わりました。もう一度実行して、新しい影響を確認してください。',
    changelogTitle: '**開催中ガチャの提供割合の変更履歴**',
    changelogEntry: (p) => `• ${p.when} — ${p.banner}: ${p.fields}`,
    statsTitle: (p) => `**ガチャの利用状況（過去${p.days}日・台帳より）**`,
    statsDay: (p) => `${p.day}: ${p.pulls}回・通貨 +${p.issued} / −${p.spent}・${p.players}人`,
    statsTotals: (p) => `合計: 発行${p.issued}、消費${p.spent}・アクティブ${p.players}人`,
    statsTopRate: (p) => `最高レアの実測${p.observed}（公表${p.published}、排出${p.draws}個）`,
    setupDone: (p) => `保存しました: デイリー${p.days}日分を超えるとプレビューで警告します。告知先: ${p.channel}。`,
    noChannel: 'なし',
    form: {
      addItemTitle: 'アイテムを追加',
      editItemTitle: (p) => `アイテム ${p.id} を編集`,
      id: 'アイテムID',
      idHint: '英数字・-・_（例: kitsune-mask）',
      tier: 'レア度',
      name: (p) => `名前（${p.language}）`,
      otherName: (p) => `名前（${p.language}・任意）`,
      otherNameHint: '空欄ならメインの名前を使います',
      languages: { ja: '日本語', en: '英語' },
      art: 'カード画像（任意）',
      artHint: 'PNG・JPEG・WebP・GIF（8MBまで）。空欄なら画像は変わりません',
    },
    bannerForm: {
      createTitle: (p) => `ガチャ ${p.id} を作成`,
      editTitle: (p) => `ガチャ ${p.id} を編集`,
      starts: '開始（空欄なら今・または変更なし）',
      startsHint: (p) => `YYYY-MM-DD HH:mm（${p.zone}）または <t:…>`,
      ends: '終了',
      featured: 'ピックアップのアイテムID',
      featuredHint: 'カンマ区切り 例: amaterasu, susanoo',
      pity: '天井 / 交換（回数）',
      pityHint: '例: 90 / 300（0 = なし・空欄なら変更なし/既定）',
      refused: (p) => `何も変更していません:\n${p.problems}`,
      badDate: (p) =>
        `• ${p.field}: 「${p.text}」は日時として読めません。サーバーのタイムゾーン（${p.zone}）で YYYY-MM-DD HH:mm か、Discord のタイムスタンプ <t:…> で入力してください。`,
      endRequired: '• 終了: 限定ガチャには終了日時が必要です。',
      endBeforeStart: '• 終了: 終了は開始より後にしてください。',
      featuredRequired: '• ピックアップ: アイテムIDを1つ以上入力してください。',
      unknownItems: (p) => `• ピックアップ: 存在しないアイテム: ${p.ids}。`,
      badPity: (p) => `• 天井 / 交換: 「${p.text}」は90/300のような2つの整数ではありません。`,
    },
  },
};

export function adminStrings(locale: Locale): AdminStrings {
  return ADMIN_STRINGS[locale];
}
