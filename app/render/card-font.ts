/**
 * The card font: Noto Sans JP Bold (SIL OFL 1.1, from the npm package @embedpdf/fonts-jp), so
 * Japanese names render on hosts without CJK fonts (Amazon Linux 2023 has none by default). The
 * release ships it as `fonts/NotoSansJP-Bold.otf` beside the bundle; from the repository it is read
 * from node_modules.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

export const CARD_FONT_FILE = 'NotoSansJP-Bold.otf';
export const CARD_FONT_FAMILY = 'GachaCard';

/** Candidate paths, first match wins: an explicit override, beside the bundle, the npm package. */
export function cardFontCandidates(baseDir: string = __dirname): string[] {
  const override = process.env.GACHA_CARD_FONT;
  return [
    ...(override ? [override] : []),
    path.join(baseDir, 'fonts', CARD_FONT_FILE),
    path.join(baseDir, '..', '..', 'node_modules', '@embedpdf', 'fonts-jp', 'fonts', CARD_FONT_FILE),
  ];
}

export class CardFontMissingError extends Error {
  constructor(readonly searched: readonly string[]) {
    super(`card font ${CARD_FONT_FILE} not found (searched: ${searched.join(', ')})`);
    this.name = 'CardFontMissingError';
  }
}

let registered: string | null = null;

/** Registers the card font once per process; returns the file it came from. */
export function ensureCardFont(baseDir?: string): string {
  if (registered) return registered;
  const candidates = cardFontCandidates(baseDir);
  const file = candidates.find((candidate) => existsSync(candidate));
  if (!file || !GlobalFonts.registerFromPath(file, CARD_FONT_FAMILY)) throw new CardFontMissingError(candidates);
  registered = file;
  return file;
}

/** A CSS font string in the card font with system fonts as fallback for scripts it lacks. */
export function cardFont(px: number): string {
  return `bold ${Math.round(px)}px ${CARD_FONT_FAMILY}, sans-serif`;
}
