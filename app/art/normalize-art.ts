/**
 * Checks an image given as card art and turns it into the stored form: the first frame, cropped to
 * the card's 5:7 aspect around its centre, 320×448, WebP of at most 200 KB. Its id is the SHA-256
 * of the stored bytes (content addressed: the same picture is stored once).
 */
import { createHash } from 'node:crypto';
import { type Image, createCanvas, loadImage } from '@napi-rs/canvas';
import { ArtError } from './art-errors';
import { ART_LIMITS } from './art-limits';
import { type ImageType, readImageHeader } from './image-probe';

export interface NormalizedArt {
  /** SHA-256 hex of `data`. */
  readonly id: string;
  readonly data: Buffer;
  readonly contentType: 'image/webp';
  readonly width: number;
  readonly height: number;
  readonly sourceType: ImageType;
  readonly sourceWidth: number;
  readonly sourceHeight: number;
}

const QUALITIES = [86, 76, 64, 50, 36] as const;

function checkDimensions(width: number, height: number): void {
  const { minSide, maxSide, maxPixels } = ART_LIMITS;
  if (width < minSide || height < minSide || width > maxSide || height > maxSide || width * height > maxPixels) {
    throw new ArtError('bad-dimensions', `image is ${width}x${height}, allowed ${minSide}..${maxSide} per side`, {
      width,
      height,
      min: minSide,
      max: maxSide,
    });
  }
}

/** Validates the header (type, size) and refuses before decoding anything it should not decode. */
export function checkArtInput(bytes: Buffer): { type: ImageType; width: number; height: number } {
  if (bytes.length > ART_LIMITS.maxInputBytes) {
    throw new ArtError('too-large', `image has ${bytes.length} bytes`, { limit: ART_LIMITS.maxInputBytes });
  }
  const header = readImageHeader(bytes);
  if (!header) throw new ArtError('unsupported-type', 'not a PNG, JPEG, WebP or GIF image');
  checkDimensions(header.width, header.height);
  return header;
}

async function decode(bytes: Buffer): Promise<Image> {
  try {
    const image = await loadImage(bytes);
    if (image.width > 0 && image.height > 0) return image;
  } catch {
    // reported below
  }
  throw new ArtError('undecodable', 'image could not be decoded');
}

export async function normalizeArt(bytes: Buffer): Promise<NormalizedArt> {
  const header = checkArtInput(bytes);
  const image = await decode(bytes);
  checkDimensions(image.width, image.height);
  const { width, height } = ART_LIMITS;
  // Cover crop: the largest 5:7 window around the centre.
  const scale = Math.max(width / image.width, height / image.height);
  const sw = width / scale;
  const sh = height / scale;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, (image.width - sw) / 2, (image.height - sh) / 2, sw, sh, 0, 0, width, height);
  for (const quality of QUALITIES) {
    const data = await canvas.encode('webp', quality);
    if (data.length <= ART_LIMITS.maxStoredBytes) {
      return {
        id: createHash('sha256').update(data).digest('hex'),
        data,
        contentType: 'image/webp',
        width,
        height,
        sourceType: header.type,
        sourceWidth: image.width,
        sourceHeight: image.height,
      };
    }
  }
  throw new ArtError('cannot-shrink', 'image stays above the stored size limit', { limit: ART_LIMITS.maxStoredBytes });
}
