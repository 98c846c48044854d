/**
 * The one way art enters the bot: bytes from an upload or an https URL → checked, normalised,
 * stored under its content address. Nothing is stored when any step fails (an `ArtError` says why).
 */
import type { ArtStore } from '../storage/art-store';
import { ArtError } from './art-errors';
import { ART_LIMITS } from './art-limits';
import { type FetchArtOptions, fetchArt } from './fetch-art';
import { type NormalizedArt, normalizeArt } from './normalize-art';

export type ArtInput =
  | { readonly kind: 'url'; readonly url: string }
  /** A Discord attachment: its declared size is checked before it is fetched. */
  | { readonly kind: 'attachment'; readonly url: string; readonly size: number }
  | { readonly kind: 'bytes'; readonly data: Buffer };

export interface ArtIntakeResult extends NormalizedArt {
  /** False when the guild already had this exact picture. */
  readonly created: boolean;
}

export async function readArtInput(input: ArtInput, fetchOptions: FetchArtOptions = {}): Promise<Buffer> {
  if (input.kind === 'bytes') return input.data;
  if (input.kind === 'attachment' && input.size > ART_LIMITS.maxInputBytes) {
    throw new ArtError('too-large', `attachment has ${input.size} bytes`, { limit: ART_LIMITS.maxInputBytes });
  }
  return fetchArt(input.url, fetchOptions);
}

export async function takeArt(
  store: ArtStore,
  guildId: string,
  input: ArtInput,
  actorId: string | null,
  fetchOptions: FetchArtOptions = {},
): Promise<ArtIntakeResult> {
  const art = await normalizeArt(await readArtInput(input, fetchOptions));
  const created = await store.put(guildId, art, actorId);
  return { ...art, created };
}
