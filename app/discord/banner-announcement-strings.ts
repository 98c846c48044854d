/**
 * Text of the banner start and end announcements, in the server's language. Both languages take
 * the same typed parameters (the i18n test checks the parity).
 */
import type { Locale } from '../domain/catalog';

export interface BannerAnnouncementStrings {
  readonly started: (p: { readonly banner: string }) => string;
  readonly ended: (p: { readonly banner: string }) => string;
  readonly featured: (p: { readonly items: string }) => string;
  readonly endsAt: (p: { readonly when: string; readonly relative: string }) => string;
  readonly pullWith: (p: { readonly command: string }) => string;
  readonly thanks: string;
  readonly more: (p: { readonly count: number }) => string;
}

export const BANNER_ANNOUNCEMENT_STRINGS: Readonly<Record<Locale, BannerAnnouncementStrings>> = {
  en: {
    started: (p) => `📣 **${p.banner}** has started!`,
    ended: (p) => `🏁 **${p.banner}** has ended.`,
    featured: (p) => `Featured: ${p.items}`,
    endsAt: (p) => `Ends ${p.when} (${p.relative})`,
    pullWith: (p) => `Pull with ${p.command}.`,
    thanks: 'Thank you for pulling! Its history stays in your collection.',
    more: (p) => `and ${p.count} more`,
  },
  ja: {
    started: (p) => `📣 **${p.banner}** が始まりました！`,
    ended: (p) => `🏁 **${p.banner}** は終了しました。`,
    featured: (p) => `ピックアップ: ${p.items}`,
    endsAt: (p) => `終了: ${p.when}（${p.relative}）`,
    pullWith: (p) => `${p.command} で引けます。`,
    thanks: 'ご参加ありがとうございました。入手したアイテムはコレクションに残ります。',
    more: (p) => `ほか${p.count}件`,
  },
};

export function bannerAnnouncementStrings(locale: Locale): BannerAnnouncementStrings {
  return BANNER_ANNOUNCEMENT_STRINGS[locale];
}
