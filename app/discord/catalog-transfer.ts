/**
 * Pool import/export for admins: a JSON attachment is fetched (bounded size and time), validated
 * as a whole catalog and previewed (the admin service holds it until the admin confirms).
 */
import { type Catalog, parseCatalog } from '../domain/catalog';
import { GachaError } from '../domain/errors';
import { PPM, formatPercent } from '../domain/rates';

export const MAX_IMPORT_BYTES = 256 * 1024;

function invalid(message: string): never {
  throw new GachaError('invalid-config', message);
}

/** Downloads an attachment's text, refusing large or non-HTTP sources. */
export async function fetchAttachmentText(url: string, declaredSize: number): Promise<string> {
  if (declaredSize > MAX_IMPORT_BYTES) invalid(`the file is larger than ${MAX_IMPORT_BYTES / 1024} KiB`);
  if (!/^https?:\/\//.test(url)) invalid('the attachment has no downloadable address');
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) invalid(`the attachment could not be downloaded (HTTP ${response.status})`);
  const text = await response.text();
  if (Buffer.byteLength(text) > MAX_IMPORT_BYTES) invalid(`the file is larger than ${MAX_IMPORT_BYTES / 1024} KiB`);
  return text;
}

/** Parses and validates an imported catalog; every problem becomes a GachaError with its reason. */
export function parseCatalogJson(text: string): Catalog {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    invalid(`the file is not valid JSON (${error instanceof Error ? error.message : 'parse error'})`);
  }
  return parseCatalog(json);
}

export function exportCatalogJson(catalog: Catalog): string {
  return `${JSON.stringify(catalog, null, 2)}\n`;
}

/** A short, readable summary of a catalog for the confirmation preview. */
export function catalogSummary(catalog: Catalog, locale: 'ja' | 'en'): string {
  const tiers = [...catalog.tiers]
    .sort((a, b) => b.rank - a.rank)
    .map((t) => {
      const count = catalog.items.filter((i) => i.tierId === t.id).length;
      return `${t.emoji} ${t.name[locale]} ${formatPercent(t.ratePpm / PPM, 4)} (${count})`;
    });
  const banners = catalog.banners.map((b) => `• ${b.name[locale]} (\`${b.id}\`, ${b.kind})`);
  return [
    ...tiers,
    '',
    ...banners,
    '',
    `1: ${catalog.pullCost} · 10: ${catalog.tenPullCost} · ${catalog.items.length} items`,
  ].join('\n');
}
