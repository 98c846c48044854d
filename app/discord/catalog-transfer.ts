/**
 * Pool import/export for admins: a JSON attachment is fetched (bounded size and time), validated
 * as a whole catalog and previewed (the admin service holds it until the admin confirms).
 */
import { type Catalog, type Locale, parseCatalog } from '../domain/catalog';
import { GachaError } from '../domain/errors';
import { PPM, formatPercent } from '../domain/rates';
import { type InvalidReason, formatNumber, messages } from './i18n';

export const MAX_IMPORT_BYTES = 256 * 1024;

/** Refuses a file: `reason` and `params` let the reply say it in the admin's language. */
function invalid(
  message: string,
  reason: InvalidReason,
  params: Readonly<Record<string, string | number>> = {},
): never {
  throw new GachaError('invalid-config', message, { reason, ...params });
}

const MAX_IMPORT_KIB = MAX_IMPORT_BYTES / 1024;

/** Downloads an attachment's text, refusing large or non-HTTP sources. */
export async function fetchAttachmentText(url: string, declaredSize: number): Promise<string> {
  if (declaredSize > MAX_IMPORT_BYTES)
    invalid(`the file is larger than ${MAX_IMPORT_KIB} KiB`, 'file-too-large', { kib: MAX_IMPORT_KIB });
  if (!/^https?:\/\//.test(url)) invalid('the attachment has no downloadable address', 'no-download');
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok)
    invalid(`the attachment could not be downloaded (HTTP ${response.status})`, 'download-failed', {
      status: response.status,
    });
  const text = await response.text();
  if (Buffer.byteLength(text) > MAX_IMPORT_BYTES)
    invalid(`the file is larger than ${MAX_IMPORT_KIB} KiB`, 'file-too-large', { kib: MAX_IMPORT_KIB });
  return text;
}

/** Parses and validates an imported catalog; every problem becomes a GachaError with its reason. */
export function parseCatalogJson(text: string): Catalog {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    invalid(`the file is not valid JSON (${error instanceof Error ? error.message : 'parse error'})`, 'not-json');
  }
  return parseCatalog(json);
}

export function exportCatalogJson(catalog: Catalog): string {
  return `${JSON.stringify(catalog, null, 2)}\n`;
}

/** A short, readable summary of a catalog for the confirmation preview, in the admin's language. */
export function catalogSummary(catalog: Catalog, locale: Locale, currency: string): string {
  const t = messages(locale);
  const tiers = [...catalog.tiers]
    .sort((a, b) => b.rank - a.rank)
    .map((tier) => {
      const count = catalog.items.filter((i) => i.tierId === tier.id).length;
      return `${tier.emoji} ${tier.name[locale].slice(0, 100)} ${formatPercent(tier.ratePpm / PPM, 4)} (${formatNumber(locale, count)})`;
    });
  const banners = catalog.banners.map(
    (b) => `• ${b.name[locale].slice(0, 100)} (\`${b.id}\`, ${t.bannerKind({ kind: b.kind })})`,
  );
  return [
    ...tiers,
    '',
    ...banners,
    '',
    t.importCosts({
      single: catalog.pullCost,
      ten: catalog.tenPullCost,
      items: catalog.items.length,
      currency,
    }),
  ].join('\n');
}
