/** Catalog edits that attach card art to (or take it from) an item or a banner. */
import { type Catalog, findBanner } from './catalog';
import { GachaError } from './errors';

export type ArtTarget =
  { readonly kind: 'item'; readonly id: string } | { readonly kind: 'banner'; readonly id: string };

const ART_ID = /^[0-9a-f]{64}$/;

/** Throws the player-facing error when the catalog has no such item or banner. */
export function requireArtTarget(catalog: Catalog, target: ArtTarget): void {
  if (target.kind === 'banner') {
    findBanner(catalog, target.id);
    return;
  }
  if (!catalog.items.some((i) => i.id === target.id)) {
    throw new GachaError('unknown-item', `"${target.id.slice(0, 100)}" is not in the catalog`, {
      itemId: target.id,
      message: target.id.slice(0, 100),
    });
  }
}

/** The target's current art id, or null. */
export function artOf(catalog: Catalog, target: ArtTarget): string | null {
  const entry =
    target.kind === 'item'
      ? catalog.items.find((i) => i.id === target.id)
      : catalog.banners.find((b) => b.id === target.id);
  return entry?.art ?? null;
}

/** The catalog with the target's art set to `artId` (null removes it). */
export function withArt(catalog: Catalog, target: ArtTarget, artId: string | null): Catalog {
  requireArtTarget(catalog, target);
  if (artId !== null && !ART_ID.test(artId)) throw new RangeError('art id must be 64 lowercase hex digits');
  const apply = <T extends { id: string; art?: string }>(entry: T): T => {
    if (entry.id !== target.id) return entry;
    const { art: _old, ...rest } = entry;
    return (artId === null ? rest : { ...rest, art: artId }) as T;
  };
  return target.kind === 'item'
    ? { ...catalog, items: catalog.items.map(apply) }
    : { ...catalog, banners: catalog.banners.map(apply) };
}
