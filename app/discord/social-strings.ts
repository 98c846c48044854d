/**
 * Text of the shard shop, wishlists, trades, collection tools and their admin settings, in Japanese
 * and English. Every entry takes the same typed parameters in both languages (checked by
 * test/discord/i18n.test.ts). Names and item names passed in are already bounded by the caller.
 */
import type { Locale } from '../domain/catalog';

type N = number | string;

export interface SocialStrings {
  // Shard shop
  readonly exchangeDone: (p: { readonly item: string; readonly cost: N; readonly shards: N }) => string;
  readonly exchangeChoice: (p: { readonly item: string; readonly tier: string; readonly price: N }) => string;
  /** `exchange`: the mention of /gacha exchange (as are the other command parameters below). */
  readonly shardsToNext: (p: { readonly shards: N; readonly exchange: string }) => string;
  readonly exchangeReady: (p: { readonly shards: N; readonly exchange: string }) => string;
  // Wishlist
  readonly wishAdded: (p: { readonly item: string; readonly count: N; readonly limit: N }) => string;
  readonly wishAlready: (p: { readonly item: string }) => string;
  readonly wishFull: (p: { readonly limit: N; readonly remove: string }) => string;
  readonly wishRemoved: (p: { readonly item: string }) => string;
  readonly wishNotFound: (p: { readonly item: string }) => string;
  readonly wishListTitle: (p: { readonly count: N; readonly limit: N }) => string;
  readonly wishListEmpty: (p: { readonly add: string }) => string;
  /** `pings`: the mention of /wish pings (in the description: footers show no mentions). */
  readonly wishPingsState: (p: { readonly on: boolean; readonly pings: string }) => string;
  readonly wishPingsChanged: (p: { readonly on: boolean }) => string;
  readonly wishDrop: (p: { readonly item: string; readonly mentions: string }) => string;
  // Trades
  readonly tradeProposed: (p: {
    readonly from: string;
    readonly to: string;
    readonly gives: string;
    readonly wants: string;
    readonly minutes: N;
  }) => string;
  readonly tradeAccepted: (p: { readonly names: string }) => string;
  readonly tradeDone: (p: {
    readonly from: string;
    readonly to: string;
    readonly gives: string;
    readonly wants: string;
  }) => string;
  readonly tradeAborted: (p: { readonly reason: string }) => string;
  readonly tradeReasonCancelled: (p: { readonly name: string }) => string;
  readonly tradeReasonExpired: () => string;
  readonly tradeReasonRefused: () => string;
  readonly nothing: () => string;
  readonly acceptButton: () => string;
  readonly cancelButton: () => string;
  readonly counterButton: () => string;
  readonly tradeCountered: (p: { readonly name: string; readonly version: N }) => string;
  readonly counterTitle: () => string;
  readonly counterItemsLabel: () => string;
  readonly counterItemsHint: () => string;
  readonly counterCurrencyLabel: () => string;
  readonly counterUnreadable: (p: { readonly entry: string }) => string;
  // Collection
  readonly collectionFilters: (p: { readonly filters: string }) => string;
  readonly filterTier: (p: { readonly tier: string }) => string;
  readonly filterBanner: (p: { readonly banner: string }) => string;
  readonly filterMissing: () => string;
  readonly filterDuplicates: () => string;
  readonly filterSearch: (p: { readonly text: string }) => string;
  readonly missingLine: (p: { readonly item: string }) => string;
  readonly collectionNoMatch: () => string;
  readonly notYourView: (p: { readonly collection: string }) => string;
  readonly aMember: () => string;
  readonly favourite: () => string;
  readonly favouriteSet: (p: { readonly item: string; readonly profile: string }) => string;
  readonly favouriteCleared: () => string;
  // Admin
  readonly adminExchangePrice: (p: { readonly tier: string; readonly price: N }) => string;
  readonly adminExchangePriceDefault: (p: { readonly tier: string; readonly price: N }) => string;
  readonly adminWishlistLimit: (p: { readonly limit: N }) => string;
  readonly adminTrading: (p: { readonly on: boolean }) => string;
  readonly adminReversed: (p: { readonly id: string; readonly already: boolean }) => string;
  readonly adminReverseRefused: (p: { readonly id: string }) => string;
  readonly adminReverseUnknown: (p: { readonly id: string }) => string;
  readonly adminUnknownTier: (p: { readonly tier: string }) => string;
  readonly adminPriceNeedsTier: () => string;
  readonly adminEconomyNothing: () => string;
}

export const SOCIAL_STRINGS: Readonly<Record<Locale, SocialStrings>> = {
  en: {
    exchangeDone: (p) => `Exchanged ${p.cost} shards for **${p.item}**. Shards left: ◆ ${p.shards}.`,
    exchangeChoice: (p) => `${p.item} (${p.tier}, ◆ ${p.price})`,
    shardsToNext: (p) => `◆ ${p.shards} shards to your next exchange (${p.exchange})`,
    exchangeReady: (p) => `◆ ${p.shards} shards: enough for an exchange (${p.exchange})`,
    wishAdded: (p) => `Added **${p.item}** to your wishlist (${p.count}/${p.limit}).`,
    wishAlready: (p) => `**${p.item}** is already on your wishlist.`,
    wishFull: (p) => `Your wishlist is full (${p.limit}). Remove a wish with ${p.remove} first.`,
    wishRemoved: (p) => `Removed **${p.item}** from your wishlist.`,
    wishNotFound: (p) => `**${p.item}** is not on your wishlist.`,
    wishListTitle: (p) => `Your wishlist (${p.count}/${p.limit})`,
    wishListEmpty: (p) => `No wishes yet: add one with ${p.add}.`,
    wishPingsState: (p) =>
      p.on
        ? `You are mentioned when a wished item drops for someone (${p.pings} to turn off).`
        : `You are not mentioned when a wished item drops (${p.pings} to turn on).`,
    wishPingsChanged: (p) =>
      p.on ? 'You will be mentioned when a wished item drops.' : 'You will no longer be mentioned for wished items.',
    wishDrop: (p) => `💫 **${p.item}** is on the wishlist of ${p.mentions}`,
    tradeProposed: (p) =>
      `**Trade** ${p.from} ⇄ ${p.to}\n${p.from} gives: ${p.gives}\n${p.to} gives: ${p.wants}\nBoth press Accept within ${p.minutes} minutes; nothing moves before. Either can cancel until then.`,
    tradeAccepted: (p) => `Accepted so far: ${p.names}`,
    tradeDone: (p) => `**Trade done** ${p.from} ⇄ ${p.to}\n${p.from} gave: ${p.gives}\n${p.to} gave: ${p.wants}`,
    tradeAborted: (p) => `Trade called off (${p.reason}); nothing moved.`,
    tradeReasonCancelled: (p) => `cancelled by ${p.name}`,
    tradeReasonExpired: () => 'expired',
    tradeReasonRefused: () => 'one side no longer had its offer',
    nothing: () => 'nothing',
    acceptButton: () => 'Accept',
    cancelButton: () => 'Cancel',
    counterButton: () => 'Change my side',
    tradeCountered: (p) =>
      `${p.name} changed the offer (version ${p.version}): earlier acceptances no longer count, both accept again.`,
    counterTitle: () => 'Change what you give',
    counterItemsLabel: () => 'Items you give',
    counterItemsHint: () => 'Item ids or names, comma separated; ×2 after one for two copies',
    counterCurrencyLabel: () => 'Currency you give',
    counterUnreadable: (p) =>
      `Could not read “${p.entry}”: write item names with an optional ×count and a whole amount. Nothing changed.`,
    collectionFilters: (p) => `Filters: ${p.filters}`,
    filterTier: (p) => `tier ${p.tier}`,
    filterBanner: (p) => `banner ${p.banner}`,
    filterMissing: () => 'missing',
    filterDuplicates: () => 'duplicates',
    filterSearch: (p) => `“${p.text}”`,
    missingLine: (p) => `▫️ ${p.item} — not yet`,
    collectionNoMatch: () => 'No item matches these filters.',
    notYourView: (p) => `Only the member who opened this view can turn its pages. Open your own with ${p.collection}.`,
    aMember: () => 'A member',
    favourite: () => 'Favourite',
    favouriteSet: (p) => `**${p.item}** is your favourite; it shows on ${p.profile}.`,
    favouriteCleared: () => 'Favourite cleared.',
    adminExchangePrice: (p) => `exchange price of ${p.tier}: ◆ ${p.price}`,
    adminExchangePriceDefault: (p) => `exchange price of ${p.tier}: back to the default (◆ ${p.price})`,
    adminWishlistLimit: (p) => `wishlist limit: ${p.limit}`,
    adminTrading: (p) => (p.on ? 'gifts and trades: on' : 'gifts and trades: off'),
    adminReversed: (p) =>
      p.already ? `${p.id} was already reversed; nothing more moved.` : `${p.id} reversed; recorded in the audit log.`,
    adminReverseRefused: (p) =>
      `Cannot reverse ${p.id}: a receiver no longer has what they received, so a balance would go negative. Nothing moved; the attempt is in the audit log.`,
    adminReverseUnknown: (p) => `No completed gift or trade ${p.id} on this server.`,
    adminUnknownTier: (p) => `No tier "${p.tier}" in the catalog.`,
    adminPriceNeedsTier: () => 'A price needs the tier it is for (the tier option). Nothing was changed.',
    adminEconomyNothing: () => 'Nothing to change: give a tier (and price), a wishlist limit or the trading switch.',
  },
  ja: {
    exchangeDone: (p) => `かけら◆${p.cost}で **${p.item}** と交換しました。残り ◆${p.shards}。`,
    exchangeChoice: (p) => `${p.item}（${p.tier}・◆${p.price}）`,
    shardsToNext: (p) => `次の交換まで かけら ◆${p.shards}（${p.exchange}）`,
    exchangeReady: (p) => `かけら ◆${p.shards}：交換できます（${p.exchange}）`,
    wishAdded: (p) => `**${p.item}** をほしいものリストに追加しました（${p.count}/${p.limit}）。`,
    wishAlready: (p) => `**${p.item}** はすでにほしいものリストにあります。`,
    wishFull: (p) => `ほしいものリストがいっぱいです（${p.limit}件）。先に ${p.remove} で削除してください。`,
    wishRemoved: (p) => `**${p.item}** をほしいものリストから削除しました。`,
    wishNotFound: (p) => `**${p.item}** はほしいものリストにありません。`,
    wishListTitle: (p) => `ほしいものリスト（${p.count}/${p.limit}）`,
    wishListEmpty: (p) => `まだ登録がありません。${p.add} で追加できます。`,
    wishPingsState: (p) =>
      p.on
        ? `ほしいアイテムが誰かに排出されるとメンションされます（${p.pings} でオフ）。`
        : `ほしいアイテムが排出されてもメンションされません（${p.pings} でオン）。`,
    wishPingsChanged: (p) =>
      p.on ? 'ほしいアイテムが排出されたらメンションします。' : 'ほしいアイテムのメンションをオフにしました。',
    wishDrop: (p) => `💫 **${p.item}** は ${p.mentions} のほしいものです`,
    tradeProposed: (p) =>
      `**トレード** ${p.from} ⇄ ${p.to}\n${p.from} が渡すもの: ${p.gives}\n${p.to} が渡すもの: ${p.wants}\n${p.minutes}分以内に両者が「承認」を押してください。押すまで何も移動しません。それまではどちらもキャンセルできます。`,
    tradeAccepted: (p) => `承認済み: ${p.names}`,
    tradeDone: (p) =>
      `**トレード成立** ${p.from} ⇄ ${p.to}\n${p.from} が渡したもの: ${p.gives}\n${p.to} が渡したもの: ${p.wants}`,
    tradeAborted: (p) => `トレードは中止されました（${p.reason}）。何も移動していません。`,
    tradeReasonCancelled: (p) => `${p.name} がキャンセル`,
    tradeReasonExpired: () => '期限切れ',
    tradeReasonRefused: () => '一方が提示したものを持っていません',
    nothing: () => 'なし',
    acceptButton: () => '承認',
    cancelButton: () => 'キャンセル',
    counterButton: () => '自分の側を変更',
    tradeCountered: (p) =>
      `${p.name} がオファーを変更しました（第${p.version}版）。以前の承認は無効になり、両者が改めて承認します。`,
    counterTitle: () => '渡すものを変更',
    counterItemsLabel: () => '渡すアイテム',
    counterItemsHint: () => 'アイテムIDまたは名前をカンマ区切りで。2個なら後ろに ×2',
    counterCurrencyLabel: () => '渡す通貨',
    counterUnreadable: (p) =>
      `「${p.entry}」を読み取れませんでした。アイテム名（任意で ×個数）と整数の金額を書いてください。何も変更していません。`,
    collectionFilters: (p) => `絞り込み: ${p.filters}`,
    filterTier: (p) => `レア度 ${p.tier}`,
    filterBanner: (p) => `ガチャ ${p.banner}`,
    filterMissing: () => '未所持',
    filterDuplicates: () => '重複あり',
    filterSearch: (p) => `「${p.text}」`,
    missingLine: (p) => `▫️ ${p.item} — 未所持`,
    collectionNoMatch: () => '条件に合うアイテムはありません。',
    notYourView: (p) =>
      `ページをめくれるのはこの表示を開いた人だけです。${p.collection} で自分の表示を開いてください。`,
    aMember: () => 'メンバー',
    favourite: () => 'お気に入り',
    favouriteSet: (p) => `**${p.item}** をお気に入りにしました。${p.profile} に表示されます。`,
    favouriteCleared: () => 'お気に入りを解除しました。',
    adminExchangePrice: (p) => `${p.tier} の交換価格: ◆${p.price}`,
    adminExchangePriceDefault: (p) => `${p.tier} の交換価格: 既定値（◆${p.price}）に戻しました`,
    adminWishlistLimit: (p) => `ほしいものリストの上限: ${p.limit}`,
    adminTrading: (p) => (p.on ? 'ギフトとトレード: 有効' : 'ギフトとトレード: 無効'),
    adminReversed: (p) =>
      p.already
        ? `${p.id} はすでに取り消し済みです。追加の移動はありません。`
        : `${p.id} を取り消しました。監査ログに記録しました。`,
    adminReverseRefused: (p) =>
      `${p.id} は取り消せません: 受け取った人がすでに手放しており、残高がマイナスになります。何も移動していません（試行は監査ログに記録済み）。`,
    adminReverseUnknown: (p) => `このサーバーに完了済みのギフト／トレード ${p.id} はありません。`,
    adminUnknownTier: (p) => `レア度「${p.tier}」はカタログにありません。`,
    adminPriceNeedsTier: () => '価格にはレア度（tierオプション）の指定が必要です。何も変更していません。',
    adminEconomyNothing: () =>
      '変更する項目がありません。レア度と価格、ほしいもの上限、トレードのいずれかを指定してください。',
  },
};

export function socialStrings(locale: Locale): SocialStrings {
  return SOCIAL_STRINGS[locale];
}
