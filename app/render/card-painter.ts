/**
 * Draws one card face (frame, art or a generated picture, tier glyph, name) and the per-pull badges.
 * All sizes scale from the small card (160×224, the 5:7 trading-card aspect).
 */
import type { Image, SKRSContext2D } from '@napi-rs/canvas';
import { cardFont } from './card-font';
import type { CardFace, CardTier, PulledCard } from './card-model';
import type { Locale } from '../domain/catalog';

export const CARD_ASPECT = { width: 5, height: 7 } as const;
export const SMALL_CARD = { width: 160, height: 224 } as const;
export const LARGE_CARD = { width: 320, height: 448 } as const;
export const BACKGROUND = '#2b2d31';

const BADGE_TEXT: Record<Locale, { new: string; featured: string }> = {
  ja: { new: 'NEW', featured: 'ピックアップ' },
  en: { new: 'NEW', featured: 'PICK UP' },
};

export function hex(color: number, alpha = 1): string {
  const r = (color >> 16) & 0xff;
  const g = (color >> 8) & 0xff;
  const b = color & 0xff;
  return alpha >= 1 ? `rgb(${r},${g},${b})` : `rgba(${r},${g},${b},${alpha})`;
}

function mix(color: number, toward: number, amount: number): number {
  const channel = (shift: number): number => {
    const from = (color >> shift) & 0xff;
    const to = (toward >> shift) & 0xff;
    return Math.round(from + (to - from) * amount) << shift;
  };
  return channel(16) | channel(8) | channel(0);
}

function isLight(color: number): boolean {
  const r = (color >> 16) & 0xff;
  const g = (color >> 8) & 0xff;
  const b = color & 0xff;
  return 0.299 * r + 0.587 * g + 0.114 * b > 160;
}

/** FNV-1a of a string: a stable seed for the generated pattern of an item. */
function seed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Visible text only: control and bidi-override characters go, length is bounded. */
export function drawableText(text: string, maxGraphemes = 100): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  const parts = Array.from(graphemes.segment(cleaned), (s) => s.segment);
  return parts.length > maxGraphemes ? parts.slice(0, maxGraphemes).join('') : cleaned;
}

function roundedRect(ctx: SKRSContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}

/** Splits a name into at most `maxLines` lines that fit `width`, breaking at spaces or anywhere in CJK. */
export function fitLines(ctx: SKRSContext2D, text: string, width: number, maxLines: number): string[] {
  const units = Array.from(graphemes.segment(text), (s) => s.segment);
  const lines: string[] = [];
  let start = 0;
  while (start < units.length && lines.length < maxLines) {
    let end = start;
    let lastSpace = -1;
    while (end < units.length && ctx.measureText(units.slice(start, end + 1).join('')).width <= width) {
      if (units[end] === ' ') lastSpace = end;
      end++;
    }
    if (end === start) end = start + 1; // a single grapheme wider than the line still goes on it
    if (end < units.length && lastSpace > start && lines.length < maxLines - 1) end = lastSpace + 1;
    lines.push(units.slice(start, end).join('').trim());
    start = end;
  }
  if (start < units.length && lines.length > 0) {
    let last = lines[lines.length - 1] ?? '';
    while (last.length > 0 && ctx.measureText(`${last}…`).width > width) last = Array.from(last).slice(0, -1).join('');
    lines[lines.length - 1] = `${last}…`;
  }
  return lines;
}

function drawGeneratedPicture(ctx: SKRSContext2D, face: CardFace, w: number, h: number, s: number): void {
  const { color } = face.tier;
  const gradient = ctx.createLinearGradient(0, 0, w * 0.4, h);
  gradient.addColorStop(0, hex(mix(color, 0xffffff, 0.25)));
  gradient.addColorStop(0.55, hex(mix(color, 0x000000, 0.45)));
  gradient.addColorStop(1, hex(mix(color, 0x000000, 0.8)));
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, w, h);
  // A pattern of its own per item: rotated rings around a point picked from the item id.
  const n = seed(face.itemId);
  const cx = w * (0.3 + ((n & 0xff) / 255) * 0.4);
  const cy = h * (0.3 + (((n >> 8) & 0xff) / 255) * 0.25);
  const rings = 3 + ((n >> 16) % 3);
  ctx.save();
  ctx.translate(cx, cy);
  ctx.rotate(((n >> 20) % 90) * (Math.PI / 180));
  ctx.lineWidth = 2 * s;
  for (let i = rings; i >= 1; i--) {
    const r = i * 22 * s;
    ctx.strokeStyle = hex(mix(color, 0xffffff, 0.5), 0.12 + 0.05 * (rings - i));
    if (((n >> i) & 1) === 0) {
      ctx.beginPath();
      ctx.arc(0, 0, r, 0, Math.PI * 2);
      ctx.stroke();
    } else {
      ctx.strokeRect(-r, -r, r * 2, r * 2);
    }
  }
  ctx.restore();
  // The name's first character as the card's emblem.
  const initial = Array.from(graphemes.segment(face.name), (g) => g.segment)[0] ?? '?';
  ctx.font = cardFont(78 * s);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = 'rgba(0,0,0,0.35)';
  ctx.fillText(initial, w / 2 + 3 * s, h * 0.44 + 3 * s);
  ctx.fillStyle = 'rgba(255,255,255,0.92)';
  ctx.fillText(initial, w / 2, h * 0.44);
}

function drawArtPicture(ctx: SKRSContext2D, art: Image, w: number, h: number): void {
  // Stored art already has the card aspect; cover-fit anyway in case it does not.
  const scale = Math.max(w / art.width, h / art.height);
  const dw = art.width * scale;
  const dh = art.height * scale;
  ctx.drawImage(art, (w - dw) / 2, (h - dh) / 2, dw, dh);
}

function drawTierGlyph(ctx: SKRSContext2D, tier: CardTier, s: number): void {
  ctx.font = cardFont(14 * s);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const label = drawableText(tier.id, 6);
  const pillW = ctx.measureText(label).width + 14 * s;
  roundedRect(ctx, 8 * s, 8 * s, pillW, 22 * s, 11 * s);
  ctx.fillStyle = hex(tier.color);
  ctx.fill();
  ctx.lineWidth = 1.5 * s;
  ctx.strokeStyle = 'rgba(255,255,255,0.85)';
  ctx.stroke();
  ctx.fillStyle = isLight(tier.color) ? '#1b1b1b' : '#ffffff';
  ctx.fillText(label, 15 * s, 19.5 * s);
  const stars = '★'.repeat(Math.max(1, Math.min(6, tier.stars)));
  ctx.font = cardFont(12 * s);
  ctx.lineWidth = 3 * s;
  ctx.strokeStyle = 'rgba(0,0,0,0.6)';
  ctx.strokeText(stars, 9 * s, 40 * s);
  ctx.fillStyle = '#ffd54f';
  ctx.fillText(stars, 9 * s, 40 * s);
}

/**
 * The name plate: a dark gradient inside the frame and the name, shrunk to fit two lines or cut
 * with an ellipsis. Drawn per pull over the cached face, so one face serves every language.
 */
export function paintCardName(ctx: SKRSContext2D, name: string, x: number, y: number, w: number, h: number): void {
  const s = w / SMALL_CARD.width;
  ctx.save();
  roundedRect(ctx, x + 5 * s, y + 5 * s, w - 10 * s, h - 10 * s, 7 * s);
  ctx.clip();
  const plateH = 52 * s;
  const plate = ctx.createLinearGradient(0, y + h - plateH - 16 * s, 0, y + h);
  plate.addColorStop(0, 'rgba(0,0,0,0)');
  plate.addColorStop(0.3, 'rgba(0,0,0,0.62)');
  plate.addColorStop(1, 'rgba(0,0,0,0.8)');
  ctx.fillStyle = plate;
  ctx.fillRect(x, y + h - plateH - 16 * s, w, plateH + 16 * s);
  const text = drawableText(name);
  const maxWidth = w - 20 * s;
  let size = 17;
  let lines: string[] = [];
  for (; size >= 11; size -= 2) {
    ctx.font = cardFont(size * s);
    lines = fitLines(ctx, text, maxWidth, 2);
    if (lines.length === 1 || size <= 11 || ctx.measureText(text).width <= maxWidth * 2) break;
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = '#ffffff';
  const lineH = (size + 3) * s;
  const top = y + h - plateH / 2 - ((lines.length - 1) * lineH) / 2 - 4 * s;
  lines.forEach((line, i) => {
    ctx.fillText(line, x + w / 2, top + i * lineH);
  });
  ctx.restore();
}

function drawFrame(ctx: SKRSContext2D, tier: CardTier, w: number, h: number, s: number): void {
  const inset = 2.5 * s;
  roundedRect(ctx, inset, inset, w - inset * 2, h - inset * 2, 10 * s);
  if (tier.top || tier.stars >= 4) {
    const shine = ctx.createLinearGradient(0, 0, w, h);
    shine.addColorStop(0, hex(tier.color));
    shine.addColorStop(0.45, hex(mix(tier.color, 0xffffff, 0.75)));
    shine.addColorStop(0.55, hex(mix(tier.color, 0xffffff, 0.75)));
    shine.addColorStop(1, hex(tier.color));
    ctx.strokeStyle = shine;
  } else {
    ctx.strokeStyle = hex(tier.color);
  }
  ctx.lineWidth = 5 * s;
  ctx.stroke();
  roundedRect(ctx, 6 * s, 6 * s, w - 12 * s, h - 12 * s, 7 * s);
  ctx.lineWidth = 1 * s;
  ctx.strokeStyle = 'rgba(255,255,255,0.45)';
  ctx.stroke();
}

/**
 * Paints a card without its name (picture, tier glyph, frame) into (0,0)–(w,h) of `ctx`, on the
 * message background so the result is opaque; `art` null draws the generated picture.
 */
export function paintCardBase(ctx: SKRSContext2D, face: CardFace, art: Image | null, w: number, h: number): void {
  const s = w / SMALL_CARD.width;
  ctx.fillStyle = BACKGROUND;
  ctx.fillRect(0, 0, w, h);
  ctx.save();
  roundedRect(ctx, 0, 0, w, h, 12 * s);
  ctx.clip();
  if (art) drawArtPicture(ctx, art, w, h);
  else drawGeneratedPicture(ctx, face, w, h, s);
  drawTierGlyph(ctx, face.tier, s);
  ctx.restore();
  drawFrame(ctx, face.tier, w, h, s);
}

function pill(
  ctx: SKRSContext2D,
  rightX: number,
  y: number,
  text: string,
  fill: string,
  ink: string,
  s: number,
): number {
  ctx.font = cardFont(12 * s);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const width = ctx.measureText(text).width + 12 * s;
  roundedRect(ctx, rightX - width, y, width, 20 * s, 10 * s);
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = 1.2 * s;
  ctx.strokeStyle = 'rgba(255,255,255,0.9)';
  ctx.stroke();
  ctx.fillStyle = ink;
  ctx.fillText(text, rightX - 6 * s, y + 10.5 * s);
  return width;
}

/** This pull's badges on a card drawn at (x, y) with width w: NEW or shards, and pick-up. */
export function paintBadges(
  ctx: SKRSContext2D,
  card: PulledCard,
  locale: Locale,
  x: number,
  y: number,
  w: number,
): void {
  const s = w / SMALL_CARD.width;
  const text = BADGE_TEXT[locale];
  const right = x + w - 8 * s;
  const top = y + 9 * s;
  if (card.isNew) pill(ctx, right, top, text.new, '#e53935', '#ffffff', s);
  else if (card.shardsGained > 0) pill(ctx, right, top, `◆+${card.shardsGained}`, 'rgba(20,30,48,0.9)', '#80deea', s);
  // Pick-up sits above the name plate, clear of the stars and the NEW / shard badge.
  if (card.featured)
    pill(ctx, right, y + w * (CARD_ASPECT.height / CARD_ASPECT.width) - 92 * s, text.featured, '#ffb300', '#1b1b1b', s);
}
