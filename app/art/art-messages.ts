/**
 * Japanese and English text for every `ArtErrorCode` (to be merged into the bot's i18n once it is
 * retyped). Parameters are typed per code, so both languages take the same ones.
 */
import type { Locale } from '../domain/catalog';
import type { ArtError, ArtErrorCode } from './art-errors';

type Template = (p: Readonly<Record<string, string | number>>) => string;

const mb = (bytes: string | number): string => (Number(bytes) / (1024 * 1024)).toFixed(0);

export const ART_MESSAGES: Record<ArtErrorCode, Record<Locale, Template>> = {
  'too-large': {
    en: (p) => `The image is larger than ${mb(p.limit ?? 0)} MB.`,
    ja: (p) => `画像が${mb(p.limit ?? 0)}MBを超えています。`,
  },
  'unsupported-type': {
    en: () => 'This file is not a PNG, JPEG, WebP or GIF image.',
    ja: () => 'PNG・JPEG・WebP・GIF形式の画像ではありません。',
  },
  'bad-dimensions': {
    en: (p) =>
      `The image is ${p.width}×${p.height} pixels; it must be between ${p.min} and ${p.max} pixels on each side.`,
    ja: (p) =>
      `画像のサイズが${p.width}×${p.height}ピクセルです。縦横それぞれ${p.min}〜${p.max}ピクセルにしてください。`,
  },
  undecodable: {
    en: () => 'The image could not be read; it may be damaged.',
    ja: () => '画像を読み込めませんでした。ファイルが壊れている可能性があります。',
  },
  'bad-url': {
    en: () => 'Give an https:// link to an image.',
    ja: () => '画像のhttps://リンクを指定してください。',
  },
  'blocked-address': {
    en: () => 'That link points to a private or local address and cannot be fetched.',
    ja: () => 'このリンクはプライベートまたはローカルのアドレスを指しているため取得できません。',
  },
  'fetch-timeout': {
    en: (p) => `The image did not arrive within ${Math.round(Number(p.seconds ?? 0))} seconds.`,
    ja: (p) => `${Math.round(Number(p.seconds ?? 0))}秒以内に画像を取得できませんでした。`,
  },
  'fetch-failed': {
    en: () => 'The image could not be downloaded.',
    ja: () => '画像をダウンロードできませんでした。',
  },
  'http-status': {
    en: (p) => `The image link answered HTTP ${p.status}.`,
    ja: (p) => `画像のリンクがHTTP ${p.status}を返しました。`,
  },
  'too-many-redirects': {
    en: () => 'The image link redirects too often.',
    ja: () => '画像のリンクのリダイレクトが多すぎます。',
  },
  'cannot-shrink': {
    en: (p) => `The image cannot be stored within ${Math.round(Number(p.limit ?? 0) / 1024)} KB.`,
    ja: (p) => `画像を${Math.round(Number(p.limit ?? 0) / 1024)}KB以内に収められませんでした。`,
  },
};

export function artErrorMessage(error: ArtError, locale: Locale): string {
  return ART_MESSAGES[error.code][locale](error.params);
}

/** Admin-visible text of the art subcommands, typed parameters identical in both languages. */
export interface ArtAdminStrings {
  readonly targetItem: string;
  readonly targetBanner: string;
  readonly set: (p: {
    readonly target: string;
    readonly id: string;
    readonly width: number;
    readonly height: number;
    readonly kb: string;
  }) => string;
  readonly cleared: (p: { readonly target: string; readonly id: string }) => string;
  readonly hadNone: (p: { readonly target: string; readonly id: string }) => string;
  readonly giveOne: string;
}

export const ART_ADMIN_STRINGS: Record<Locale, ArtAdminStrings> = {
  en: {
    targetItem: 'item',
    targetBanner: 'banner',
    set: (p) =>
      `Art set for ${p.target} \`${p.id}\`: ${p.width}×${p.height} image stored as a 320×448 card (${p.kb} KB). Pulls show it from now on.`,
    cleared: (p) => `Art removed from ${p.target} \`${p.id}\`; it shows its generated card again.`,
    hadNone: (p) => `${p.target} \`${p.id}\` has no art; nothing changed.`,
    giveOne: 'Give either an image attachment or an https:// link (one of the two).',
  },
  ja: {
    targetItem: 'アイテム',
    targetBanner: 'ガチャ',
    set: (p) =>
      `${p.target}「${p.id}」の画像を設定しました：${p.width}×${p.height}の画像を320×448のカードとして保存（${p.kb}KB）。次のガチャから表示されます。`,
    cleared: (p) => `${p.target}「${p.id}」の画像を削除しました。自動生成のカードに戻ります。`,
    hadNone: (p) => `${p.target}「${p.id}」には画像がありません。変更はありません。`,
    giveOne: '画像の添付かhttps://リンクのどちらか一方を指定してください。',
  },
};
