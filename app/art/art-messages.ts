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
