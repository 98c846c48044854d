/**
 * The friendly file form of a catalog: what the Banner Studio downloads (and what an export can
 * write). Rates as exact percentages, colours as "#rrggbb", the second-language name only when it
 * differs from the main one, dates as ISO strings. `parseCatalog` reads it back to the same catalog.
 */
import { type Catalog, type Locale, type LocalizedText, mainLanguageOf } from './catalog';

/** Exact percentage text of a ppm value: 34_000 → "3.4%", 1 → "0.0001%". */
export function ppmToPercentText(ppm: number): string {
  const whole = Math.floor(ppm / 10_000);
  const fraction = String(ppm % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''}%`;
}

export function colorToHex(color: number): string {
  return `#${color.toString(16).padStart(6, '0')}`;
}

export type FileName = string | Partial<LocalizedText>;

/** A name as written in a file: the main-language string alone when the other adds nothing. */
export function fileName(name: LocalizedText, main: Locale): FileName {
  const other: Locale = main === 'ja' ? 'en' : 'ja';
  return name[other] === name[main] ? name[main] : { [main]: name[main], [other]: name[other] };
}

export interface CatalogFile {
  $schema?: string;
  mainLanguage: Locale;
  tiers: {
    id: string;
    name: FileName;
    rank: number;
    rate: string;
    color: string;
    emoji: string;
    duplicateShards: number;
  }[];
  items: { id: string; tierId: string; name: FileName; art?: string }[];
  banners: {
    id: string;
    kind: 'standard' | 'limited';
    name: FileName;
    startsAt?: string;
    endsAt?: string;
    featuredItemIds: string[];
    rateUpShare: string;
    pity: { hardPity: number; softPityStart: number; softPityStep: string };
    sparkThreshold: number;
    art?: string;
    poolItemIds?: string[];
    featuredInStandard?: boolean;
  }[];
  pullCost: number;
  tenPullCost: number;
  tenPullGuaranteeTierId: string;
}

export function catalogToFile(catalog: Catalog): CatalogFile {
  const main = mainLanguageOf(catalog);
  return {
    mainLanguage: main,
    tiers: catalog.tiers.map((t) => ({
      id: t.id,
      name: fileName(t.name, main),
      rank: t.rank,
      rate: ppmToPercentText(t.ratePpm),
      color: colorToHex(t.color),
      emoji: t.emoji,
      duplicateShards: t.duplicateShards,
    })),
    items: catalog.items.map((i) => ({
      id: i.id,
      tierId: i.tierId,
      name: fileName(i.name, main),
      ...(i.art !== undefined && { art: i.art }),
    })),
    banners: catalog.banners.map((b) => ({
      id: b.id,
      kind: b.kind,
      name: fileName(b.name, main),
      ...(b.startsAt && { startsAt: b.startsAt.toISOString() }),
      ...(b.endsAt && { endsAt: b.endsAt.toISOString() }),
      featuredItemIds: [...b.featuredItemIds],
      rateUpShare: ppmToPercentText(b.rateUpSharePpm),
      pity: {
        hardPity: b.pity.hardPity,
        softPityStart: b.pity.softPityStart,
        softPityStep: ppmToPercentText(b.pity.softPityStepPpm),
      },
      sparkThreshold: b.sparkThreshold,
      ...(b.art !== undefined && { art: b.art }),
      ...(b.poolItemIds !== undefined && { poolItemIds: [...b.poolItemIds] }),
      ...(b.featuredInStandard !== undefined && { featuredInStandard: b.featuredInStandard }),
    })),
    pullCost: catalog.pullCost,
    tenPullCost: catalog.tenPullCost,
    tenPullGuaranteeTierId: catalog.tenPullGuaranteeTierId,
  };
}

/** The file as JSON text, two-space indented with a final newline. */
export function catalogFileJson(catalog: Catalog): string {
  return `${JSON.stringify(catalogToFile(catalog), null, 2)}\n`;
}
