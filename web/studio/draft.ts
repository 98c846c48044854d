/**
 * The catalog being edited: a plain JSON object in the file form (rates as "3.4%", colours as
 * "#rrggbb", names as { ja, en }), edited field by field through JSON paths. It may be invalid at
 * any time; the domain parser says where.
 */
import { type Locale, validateCatalog } from '../../app/domain/catalog';
import { catalogToFile, colorToHex, ppmToPercentText } from '../../app/domain/catalog-file';
import { defaultCatalog } from '../../app/domain/default-catalog';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type Path = readonly (string | number)[];

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function getAt(root: Json, path: Path): Json | undefined {
  let node: Json | undefined = root;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === 'number') node = node[key];
    else if (isObject(node) && typeof key === 'string') node = node[key];
    else return undefined;
  }
  return node;
}

/** Sets (or, with `undefined`, deletes) the value at `path`, creating objects on the way. */
export function setAt(root: JsonObject, path: Path, value: Json | undefined): void {
  let node: Json = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string | number;
    const next: Json | undefined = Array.isArray(node)
      ? node[key as number]
      : isObject(node)
        ? node[key as string]
        : undefined;
    if (next === undefined || next === null || typeof next !== 'object') {
      const created: JsonObject = {};
      if (Array.isArray(node)) node[key as number] = created;
      else if (isObject(node)) node[key as string] = created;
      node = created;
    } else node = next;
  }
  const last = path[path.length - 1];
  if (last === undefined) return;
  if (Array.isArray(node) && typeof last === 'number') {
    if (value !== undefined) node[last] = value;
  } else if (isObject(node) && typeof last === 'string') {
    if (value === undefined) Reflect.deleteProperty(node, last);
    else node[last] = value;
  }
}

function toJson(value: unknown): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

export function templateDraft(): JsonObject {
  return toJson(catalogToFile(defaultCatalog())) as JsonObject;
}

function mainOf(draft: JsonObject): Locale {
  return draft.mainLanguage === 'ja' ? 'ja' : 'en';
}

/** Names as { ja, en } objects so both fields have a place in the form. */
function expandName(entity: JsonObject, main: Locale): void {
  if (typeof entity.name === 'string') entity.name = { [main]: entity.name };
}

/** Rates and colours in the form's units whatever form the file used. */
function friendlyUnits(entity: JsonObject, field: string): void {
  const ppm = entity[`${field}Ppm`];
  if (typeof ppm === 'number' && entity[field] === undefined && Number.isInteger(ppm) && ppm >= 0) {
    entity[field] = ppmToPercentText(ppm);
    Reflect.deleteProperty(entity, `${field}Ppm`);
  }
}

/**
 * A draft from an opened file: a valid catalog in its file form, or (when invalid) the file as it is
 * with names, rates and colours put in the form's units where that is unambiguous.
 */
export function draftFromFile(input: unknown): JsonObject {
  const result = validateCatalog(input);
  if (result.ok) return toJson(catalogToFile(result.catalog)) as JsonObject;
  const draft = isObject(input) ? (toJson(input) as JsonObject) : {};
  const main = mainOf(draft);
  for (const list of ['tiers', 'items', 'banners']) {
    const entities = draft[list];
    if (!Array.isArray(entities)) continue;
    for (const entity of entities) {
      if (!isObject(entity)) continue;
      expandName(entity, main);
      if (list === 'tiers') {
        friendlyUnits(entity, 'rate');
        if (typeof entity.color === 'number') entity.color = colorToHex(entity.color);
      }
      if (list === 'banners') {
        friendlyUnits(entity, 'rateUpShare');
        if (isObject(entity.pity)) friendlyUnits(entity.pity, 'softPityStep');
      }
    }
  }
  return draft;
}

/** The draft ready for the form: every name an object. */
export function normalizeDraftNames(draft: JsonObject): JsonObject {
  const main = mainOf(draft);
  for (const list of ['tiers', 'items', 'banners']) {
    const entities = draft[list];
    if (!Array.isArray(entities)) continue;
    for (const entity of entities) if (isObject(entity)) expandName(entity, main);
  }
  return draft;
}

export function pathId(prefix: string, path: Path): string {
  return `${prefix}-${path.join('-')}`.replace(/[^A-Za-z0-9_-]/g, '_');
}
