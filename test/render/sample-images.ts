/** Test images made on the spot with the renderer's own canvas (no binary fixtures in the repo). */
import { type Canvas, GifEncoder, createCanvas } from '@napi-rs/canvas';
import type { CardFace, CardTier, PulledCard } from '../../app/render/card-model';

/** A painting of `width`×`height`: a sky gradient, a sun and hills, in a colour of its own. */
export function painting(width: number, height: number, hue = 200): Canvas {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const sky = ctx.createLinearGradient(0, 0, 0, height);
  sky.addColorStop(0, `hsl(${hue}, 70%, 30%)`);
  sky.addColorStop(1, `hsl(${(hue + 40) % 360}, 80%, 70%)`);
  ctx.fillStyle = sky;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = `hsl(${(hue + 180) % 360}, 90%, 60%)`;
  ctx.beginPath();
  ctx.arc(width * 0.65, height * 0.35, Math.min(width, height) * 0.18, 0, Math.PI * 2);
  ctx.fill();
  for (let layer = 0; layer < 3; layer++) {
    ctx.fillStyle = `hsl(${(hue + 90 + layer * 20) % 360}, 40%, ${35 - layer * 10}%)`;
    ctx.beginPath();
    ctx.moveTo(0, height);
    for (let x = 0; x <= width; x += Math.max(1, Math.floor(width / 24))) {
      ctx.lineTo(x, height * (0.6 + layer * 0.1) + Math.sin(x / (width / 6) + layer * 2 + hue) * height * 0.06);
    }
    ctx.lineTo(width, height);
    ctx.closePath();
    ctx.fill();
  }
  return canvas;
}

export function paintingPng(width: number, height: number, hue?: number): Buffer {
  return painting(width, height, hue).encodeSync('png');
}

/** A two-frame GIF: red first frame, blue second. */
export function twoFrameGif(width = 80, height = 112): Buffer {
  const encoder = new GifEncoder(width, height);
  const frame = (r: number, b: number): Uint8Array => {
    const data = new Uint8Array(width * height * 4);
    for (let i = 0; i < data.length; i += 4) {
      data[i] = r;
      data[i + 2] = b;
      data[i + 3] = 255;
    }
    return data;
  };
  encoder.addFrame(frame(255, 0), width, height, { delay: 100 });
  encoder.addFrame(frame(0, 255), width, height, { delay: 100 });
  return encoder.finish();
}

export const TIERS: readonly CardTier[] = [
  { id: 'N', color: 0x9e9e9e, stars: 1, top: false },
  { id: 'R', color: 0x2196f3, stars: 2, top: false },
  { id: 'SR', color: 0x9c27b0, stars: 3, top: false },
  { id: 'SSR', color: 0xffc107, stars: 4, top: false },
  { id: 'UR', color: 0xff1744, stars: 5, top: true },
];

export function face(index: number, name: string, artId: string | null = null): CardFace {
  const tier = TIERS[index % TIERS.length] ?? TIERS[0]!;
  return { itemId: `item-${index}`, name, tier, artId };
}

export function pulled(index: number, name: string, extra: Partial<PulledCard> = {}): PulledCard {
  return {
    ...face(index, name),
    isNew: index % 3 === 0,
    shardsGained: index % 3 === 0 ? 0 : 3,
    featured: false,
    ...extra,
  };
}
