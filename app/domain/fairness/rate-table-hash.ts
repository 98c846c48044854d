/**
 * The hash that names a rate-table revision: SHA-256 (lowercase hex) of the catalog's canonical
 * JSON — object keys sorted by UTF-16 code units, no whitespace, dates as ISO 8601 strings
 * (`toISOString`), absent optional fields omitted. The whole catalog is hashed because tiers, items,
 * banners, pity, rate-up share and the 10-pull guarantee all decide what a draw gives.
 */
import type { Catalog } from '../catalog';
import { toHex, utf8 } from './bytes';
import { sha256 } from './sha256';

/** Canonical JSON text of a value: sorted keys, no whitespace, dates as ISO strings, undefined omitted. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('canonical JSON has no NaN or Infinity');
    return JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value))
    return `[${value.map((v: unknown) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`);
    return `{${entries.join(',')}}`;
  }
  throw new TypeError(`cannot encode ${typeof value} as canonical JSON`);
}

export function rateTableHash(catalog: Catalog): string {
  return toHex(sha256(utf8(canonicalJson(catalog))));
}
