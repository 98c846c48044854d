/**
 * What a guild's gacha is made of: rarity tiers, items, banners and prices. Validated as a whole:
 * a catalog that passes `parseCatalog` can be pulled from without further checks.
 *
 * Two shapes: the *input* (an admin's JSON file or a stored document, described by
 * `catalogInputSchema` and published as docs/catalog.schema.json) is lenient — rates as ppm or as
 * percentages, colours as integers or "#rrggbb", names in the main language only — and the parsed
 * `Catalog` is normalized: integer ppm, integer colours, both names filled (the missing one falls
 * back to the other), dates as `Date`. A parsed catalog is itself valid input, so stored
 * catalogs round-trip.
 */
import { z } from 'zod';
import { GachaError } from './errors';
import { PPM } from './rates';

export type Locale = 'ja' | 'en';
export const LOCALES: readonly Locale[] = ['ja', 'en'];
/** The main language of a catalog that does not name one. */
export const DEFAULT_MAIN_LANGUAGE: Locale = 'en';

export interface LocalizedText {
  ja: string;
  en: string;
}

export interface TierDefinition {
  id: string;
  name: LocalizedText;
  /** Higher is rarer. The highest rank is the top tier, the one pity applies to. */
  rank: number;
  ratePpm: number;
  /** 0xRRGGBB. */
  color: number;
  emoji: string;
  /** Shards granted when an item of this tier is drawn again. */
  duplicateShards: number;
}

export interface ItemDefinition {
  id: string;
  tierId: string;
  name: LocalizedText;
  /** Content id (SHA-256, 64 lowercase hex digits) of an image in the bot's art store. */
  art?: string;
}

export interface PityRules {
  /** Top tier guaranteed on this pull count since the last top-tier item (0 = no hard pity). */
  hardPity: number;
  /** From this pull count on, the top rate rises by `softPityStepPpm` per pull (0 = no soft pity). */
  softPityStart: number;
  softPityStepPpm: number;
}

export type BannerKind = 'standard' | 'limited';

export interface BannerDefinition {
  id: string;
  kind: BannerKind;
  name: LocalizedText;
  startsAt?: Date;
  endsAt?: Date;
  featuredItemIds: string[];
  /** Share of a tier's rate that goes to its featured items (e.g. 500_000 = 50/50). */
  rateUpSharePpm: number;
  pity: PityRules;
  /** Spark points needed to exchange for a featured item (0 = no spark on this banner). */
  sparkThreshold: number;
  art?: string;
  /**
   * The banner's own pool: it draws only these items (plus its featured ones). Absent: every item
   * except those featured on other limited banners (see `bannerPool`).
   */
  poolItemIds?: string[];
  /** Limited banners only: its featured items also drop from the standard banner and other pools. */
  featuredInStandard?: boolean;
}

export interface Catalog {
  /** The server's main language: the one name every tier, item and banner must have. Default English. */
  mainLanguage?: Locale;
  tiers: TierDefinition[];
  items: ItemDefinition[];
  banners: BannerDefinition[];
  pullCost: number;
  tenPullCost: number;
  /** Every 10-pull holds at least one item of this tier or rarer. */
  tenPullGuaranteeTierId: string;
}

/** A problem found in a catalog: where (a JSON path into the input) and what, in both languages. */
export interface CatalogIssue {
  readonly path: readonly (string | number)[];
  readonly message: LocalizedText;
}

// ---------------------------------------------------------------------------------------------
// Input schema

/** Messages of the schema's own checks, keyed by the message the schema carries. */
const SCHEMA_MESSAGES: Record<string, LocalizedText> = {
  'catalog.id': {
    en: 'ids use letters, digits, "_" and "-" only',
    ja: 'IDに使えるのは英数字・「_」・「-」だけです',
  },
  'catalog.nul': { en: 'text must not contain NUL characters', ja: 'NUL文字は使えません' },
  'catalog.percent': {
    en: 'a percentage with at most 4 decimals, such as "3.4%"',
    ja: '小数点以下4桁までのパーセント（例: "3.4%"）で指定してください',
  },
  'catalog.color': { en: 'a colour such as "#ff8800"', ja: '"#ff8800" のような色で指定してください' },
  'catalog.art': {
    en: 'an art id is 64 lowercase hexadecimal digits',
    ja: 'アートIDは16進数（小文字）64桁です',
  },
  'catalog.date': {
    en: 'an ISO 8601 timestamp with a time zone, such as "2026-12-01T00:00:00+09:00"',
    ja: 'タイムゾーン付きの ISO 8601 日時（例: "2026-12-01T00:00:00+09:00"）で指定してください',
  },
};

const PERCENT_PATTERN = /^\s*(\d{1,3})(?:\.(\d{1,4}))?\s*%?\s*$/;

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'catalog.id');
const text = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((s) => !s.includes('\u0000'), 'catalog.nul');
const nameInput = z
  .union([text, z.object({ ja: text.optional(), en: text.optional() }).strict()])
  .describe('A name: a string in the main language, or { "ja": …, "en": … } with at least the main language.');
const ppm = z.number().int().min(0).max(PPM);
const percent = z
  .union([z.string().max(16).regex(PERCENT_PATTERN, 'catalog.percent'), z.number().min(0).max(100)])
  .describe('A percentage with at most 4 decimals: "3.4%", "0.6" or 3.4 (exact: 0.0001% = 1 ppm).');
const count = (max: number) => z.number().int().min(0).max(max);
const color = z
  .union([z.number().int().min(0).max(0xffffff), z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'catalog.color')])
  .describe('An embed colour: "#ff8800" or the integer 0xff8800 = 16746496.');
const art = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'catalog.art')
  .describe('Content id of an image in the bot art store (SHA-256, 64 lowercase hex digits).');
const isoDate = z.iso.datetime({ offset: true, error: 'catalog.date' });

type DateForm = 'file' | 'stored';

function buildSchemas(dates: DateForm) {
  const date = dates === 'file' ? isoDate : z.union([isoDate, z.date()]);
  const tier = z
    .object({
      id,
      name: nameInput,
      rank: z.number().int().min(0).max(100).describe('Higher is rarer; the highest rank is the top tier (pity).'),
      ratePpm: ppm.optional().describe('Base rate in parts per million (1,000,000 = 100%). Give this or `rate`.'),
      rate: percent.optional().describe('Base rate as a percentage. Give this or `ratePpm`.'),
      color,
      emoji: z.string().min(1).max(64),
      duplicateShards: count(1_000_000).describe('Shards granted when an item of this tier is drawn again.'),
    })
    .strict()
    .meta({ id: 'Tier' });
  const item = z.object({ id, tierId: id, name: nameInput, art: art.optional() }).strict().meta({ id: 'Item' });
  const pity = z
    .object({
      hardPity: count(1000).describe('Top tier certain on this pull since the last top-tier item (0 = none).'),
      softPityStart: count(1000).describe('From this pull on the top rate rises each pull (0 = no soft pity).'),
      softPityStepPpm: ppm.optional().describe('Rise per pull in ppm. Give this or `softPityStep` (default 0).'),
      softPityStep: percent.optional().describe('Rise per pull as a percentage.'),
    })
    .strict()
    .meta({ id: 'Pity' });
  const banner = z
    .object({
      id,
      kind: z.enum(['standard', 'limited']),
      name: nameInput,
      startsAt: date.optional().describe('Opening time (ISO 8601 with time zone). Absent: open from the start.'),
      endsAt: date.optional().describe('Closing time (ISO 8601 with time zone). Absent: never closes.'),
      featuredItemIds: z.array(id).max(20).optional().describe('Rate-up items (default none).'),
      rateUpSharePpm: ppm.optional().describe("Share of a tier's rate that goes to its featured items, ppm."),
      rateUpShare: percent.optional().describe('The same as a percentage ("50%" = 50/50). Default 0.'),
      pity,
      sparkThreshold: count(10_000)
        .optional()
        .describe('Spark points (1 per pull) to exchange for a featured item (0/absent = no spark).'),
      art: art.optional(),
      poolItemIds: z
        .array(id)
        .max(1000)
        .optional()
        .describe("The banner's own pool: it draws only these items and its featured ones."),
      featuredInStandard: z
        .boolean()
        .optional()
        .describe('Limited banners: its featured items also drop from the standard banner (default false).'),
    })
    .strict()
    .meta({ id: 'Banner' });
  const catalog = z
    .object({
      $schema: z.string().max(500).optional().describe('Ignored; lets editors find the schema.'),
      mainLanguage: z
        .enum(['ja', 'en'])
        .optional()
        .describe('The language every name must have; the other falls back to it. Default "en".'),
      tiers: z.array(tier).min(1).max(10),
      items: z.array(item).min(1).max(1000),
      banners: z.array(banner).min(1).max(50),
      pullCost: count(1_000_000_000),
      tenPullCost: count(1_000_000_000),
      tenPullGuaranteeTierId: id.describe('Every 10-pull holds at least one item of this tier or rarer.'),
    })
    .strict()
    .meta({ id: 'Catalog', title: 'Gacha Bot server catalog' });
  return { catalog, tier };
}

const storedSchemas = buildSchemas('stored');
const fileSchemas = buildSchemas('file');

/** The input schema the bot validates with (files and stored documents, whose dates are `Date`s). */
export const catalogInputSchema = storedSchemas.catalog;
/** The schema of a catalog file (dates as ISO strings): the source of docs/catalog.schema.json. */
export const catalogFileSchema = fileSchemas.catalog;
export type CatalogInput = z.input<typeof catalogInputSchema>;

/** The JSON Schema (draft 2020-12) of a catalog file. */
export function catalogJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(catalogFileSchema, {
    target: 'draft-2020-12',
    io: 'input',
    override: (ctx) => {
      // Exactly one of `rate` / `ratePpm` on a tier (a cross-field rule the zod object cannot state).
      if (ctx.zodSchema === fileSchemas.tier) {
        ctx.jsonSchema.oneOf = [{ required: ['rate'] }, { required: ['ratePpm'] }];
      }
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Normalization

/** Parses a percentage with at most 4 decimals ("0.6", "3.4%", 3.4) into ppm exactly; null if not one. */
export function percentTextToPpm(value: string | number): number | null {
  const match = PERCENT_PATTERN.exec(typeof value === 'number' ? String(value) : value);
  if (!match) return null;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(4, '0'));
  return whole * 10_000 + fraction;
}

function both(en: string, ja: string): LocalizedText {
  return { en, ja };
}

const LANGUAGE_NAME: Record<Locale, LocalizedText> = { en: both('English', '英語'), ja: both('Japanese', '日本語') };

type Path = (string | number)[];

class Normalizer {
  readonly issues: CatalogIssue[] = [];
  constructor(readonly main: Locale) {}

  add(path: Path, message: LocalizedText): void {
    this.issues.push({ path, message });
  }

  name(input: z.input<typeof nameInput>, path: Path): LocalizedText {
    if (typeof input === 'string') return { ja: input, en: input };
    const given = input[this.main];
    if (given === undefined) {
      const lang = LANGUAGE_NAME[this.main];
      this.add(
        [...path, this.main],
        both(`a name in the main language (${lang.en}) is required`, `メイン言語（${lang.ja}）の名前が必要です`),
      );
    }
    const fallback = given ?? input.ja ?? input.en ?? '';
    return { ja: input.ja ?? fallback, en: input.en ?? fallback };
  }

  /** Resolves a rate given as `<field>Ppm` or as `<field>` (a percentage); `required` if neither may be absent. */
  rate(
    ppmValue: number | undefined,
    percentValue: string | number | undefined,
    path: Path,
    field: string,
    required: boolean,
  ): number {
    if (ppmValue !== undefined && percentValue !== undefined) {
      this.add(
        [...path, field],
        both(
          `give either ${field} or ${field}Ppm, not both`,
          `${field} と ${field}Ppm はどちらか一方だけ指定してください`,
        ),
      );
      return ppmValue;
    }
    if (ppmValue !== undefined) return ppmValue;
    if (percentValue === undefined) {
      if (required)
        this.add(
          [...path, field],
          both(`a rate is required (${field} or ${field}Ppm)`, `確率（${field} または ${field}Ppm）が必要です`),
        );
      return 0;
    }
    const value = percentTextToPpm(percentValue);
    if (value === null) {
      this.add([...path, field], SCHEMA_MESSAGES['catalog.percent'] ?? both('invalid percentage', '無効なパーセント'));
      return 0;
    }
    if (value > PPM) {
      this.add(
        [...path, field],
        both(`${String(percentValue)} is more than 100%`, `${String(percentValue)} は100%を超えています`),
      );
      return PPM;
    }
    return value;
  }
}

function toDate(value: string | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

function normalize(input: z.output<typeof catalogInputSchema>): { catalog: Catalog; issues: CatalogIssue[] } {
  const main = input.mainLanguage ?? DEFAULT_MAIN_LANGUAGE;
  const n = new Normalizer(main);
  const tiers: TierDefinition[] = input.tiers.map((t, i) => ({
    id: t.id,
    name: n.name(t.name, ['tiers', i, 'name']),
    rank: t.rank,
    ratePpm: n.rate(t.ratePpm, t.rate, ['tiers', i], 'rate', true),
    color: typeof t.color === 'number' ? t.color : Number.parseInt(t.color.slice(1), 16),
    emoji: t.emoji,
    duplicateShards: t.duplicateShards,
  }));
  const items: ItemDefinition[] = input.items.map((item, i) => ({
    id: item.id,
    tierId: item.tierId,
    name: n.name(item.name, ['items', i, 'name']),
    ...(item.art !== undefined && { art: item.art }),
  }));
  const banners: BannerDefinition[] = input.banners.map((b, i) => ({
    id: b.id,
    kind: b.kind,
    name: n.name(b.name, ['banners', i, 'name']),
    ...(b.startsAt !== undefined && { startsAt: toDate(b.startsAt) }),
    ...(b.endsAt !== undefined && { endsAt: toDate(b.endsAt) }),
    featuredItemIds: [...(b.featuredItemIds ?? [])],
    rateUpSharePpm: n.rate(b.rateUpSharePpm, b.rateUpShare, ['banners', i], 'rateUpShare', false),
    pity: {
      hardPity: b.pity.hardPity,
      softPityStart: b.pity.softPityStart,
      softPityStepPpm: n.rate(
        b.pity.softPityStepPpm,
        b.pity.softPityStep,
        ['banners', i, 'pity'],
        'softPityStep',
        false,
      ),
    },
    sparkThreshold: b.sparkThreshold ?? 0,
    ...(b.art !== undefined && { art: b.art }),
    ...(b.poolItemIds !== undefined && { poolItemIds: [...b.poolItemIds] }),
    ...(b.featuredInStandard !== undefined && { featuredInStandard: b.featuredInStandard }),
  }));
  const catalog: Catalog = {
    mainLanguage: main,
    tiers,
    items,
    banners,
    pullCost: input.pullCost,
    tenPullCost: input.tenPullCost,
    tenPullGuaranteeTierId: input.tenPullGuaranteeTierId,
  };
  return { catalog, issues: n.issues };
}

// ---------------------------------------------------------------------------------------------
// Pools

/** Items featured on a limited banner that keeps them to itself (the default). */
function exclusiveItemIds(catalog: Catalog, except: BannerDefinition): Set<string> {
  const ids = new Set<string>();
  for (const b of catalog.banners) {
    if (b === except || b.kind !== 'limited' || b.featuredInStandard === true) continue;
    for (const itemId of b.featuredItemIds) ids.add(itemId);
  }
  for (const itemId of except.featuredItemIds) ids.delete(itemId);
  return ids;
}

/**
 * The items a banner draws from, in catalog order. A banner with `poolItemIds` draws those and its
 * featured items. Otherwise it draws every item except the featured items of limited banners
 * (other than itself) that keep them to themselves — so a limited banner's featured items do not
 * drop from the standard banner unless that banner sets `featuredInStandard`.
 */
export function bannerPool(catalog: Catalog, banner: BannerDefinition): ItemDefinition[] {
  if (banner.poolItemIds) {
    const wanted = new Set([...banner.poolItemIds, ...banner.featuredItemIds]);
    return catalog.items.filter((i) => wanted.has(i.id));
  }
  const excluded = exclusiveItemIds(catalog, banner);
  return catalog.items.filter((i) => !excluded.has(i.id));
}

// ---------------------------------------------------------------------------------------------
// Consistency rules

/** Consistency rules that a schema cannot express, each with the path it concerns. */
export function catalogIssues(catalog: Catalog): CatalogIssue[] {
  const issues: CatalogIssue[] = [];
  const add = (path: Path, en: string, ja: string) => issues.push({ path, message: both(en, ja) });
  const tierIds = new Set<string>();
  const ranks = new Set<number>();
  catalog.tiers.forEach((tier, i) => {
    if (tierIds.has(tier.id))
      add(['tiers', i, 'id'], `tier "${tier.id}" is defined twice`, `ティア "${tier.id}" が重複しています`);
    if (ranks.has(tier.rank))
      add(['tiers', i, 'rank'], `two tiers share rank ${tier.rank}`, `ランク ${tier.rank} のティアが複数あります`);
    tierIds.add(tier.id);
    ranks.add(tier.rank);
  });
  const rateSum = catalog.tiers.reduce((sum, t) => sum + t.ratePpm, 0);
  if (rateSum !== PPM) {
    add(
      ['tiers'],
      `tier rates must sum to exactly 100% (${PPM} ppm), they sum to ${rateSum} ppm`,
      `ティアの確率の合計はちょうど100%（${PPM} ppm）でなければなりません。現在 ${rateSum} ppm です`,
    );
  }
  const itemIds = new Set<string>();
  catalog.items.forEach((item, i) => {
    if (itemIds.has(item.id))
      add(['items', i, 'id'], `item "${item.id}" is defined twice`, `アイテム "${item.id}" が重複しています`);
    itemIds.add(item.id);
    if (!tierIds.has(item.tierId)) {
      add(
        ['items', i, 'tierId'],
        `item "${item.id}" names unknown tier "${item.tierId}"`,
        `アイテム "${item.id}" のティア "${item.tierId}" がありません`,
      );
    }
  });
  catalog.tiers.forEach((tier, i) => {
    if (tier.ratePpm > 0 && !catalog.items.some((it) => it.tierId === tier.id)) {
      add(
        ['tiers', i, 'rate'],
        `tier "${tier.id}" has a non-zero rate but no items`,
        `ティア "${tier.id}" は確率が0でないのにアイテムがありません`,
      );
    }
  });
  if (!tierIds.has(catalog.tenPullGuaranteeTierId)) {
    add(
      ['tenPullGuaranteeTierId'],
      `10-pull guarantee names unknown tier "${catalog.tenPullGuaranteeTierId}"`,
      `10連保証のティア "${catalog.tenPullGuaranteeTierId}" がありません`,
    );
  }
  const bannerIds = new Set<string>();
  catalog.banners.forEach((banner, i) => {
    const at = (field: string): Path => ['banners', i, field];
    if (bannerIds.has(banner.id))
      add(at('id'), `banner "${banner.id}" is defined twice`, `バナー "${banner.id}" が重複しています`);
    bannerIds.add(banner.id);
    for (const itemId of banner.featuredItemIds) {
      if (!itemIds.has(itemId)) {
        add(
          at('featuredItemIds'),
          `banner "${banner.id}" features unknown item "${itemId}"`,
          `バナー "${banner.id}" のピックアップ "${itemId}" はアイテムにありません`,
        );
      }
    }
    for (const itemId of banner.poolItemIds ?? []) {
      if (!itemIds.has(itemId)) {
        add(
          at('poolItemIds'),
          `banner "${banner.id}" pools unknown item "${itemId}"`,
          `バナー "${banner.id}" の排出対象 "${itemId}" はアイテムにありません`,
        );
      }
    }
    if (banner.startsAt && banner.endsAt && banner.endsAt <= banner.startsAt) {
      add(at('endsAt'), `banner "${banner.id}" ends before it starts`, `バナー "${banner.id}" の終了が開始より前です`);
    }
    if (banner.kind === 'limited' && banner.featuredItemIds.length === 0) {
      add(
        at('featuredItemIds'),
        `limited banner "${banner.id}" needs at least one featured item`,
        `期間限定バナー "${banner.id}" にはピックアップが1つ以上必要です`,
      );
    }
    if (banner.kind === 'standard' && banner.featuredInStandard !== undefined) {
      add(
        at('featuredInStandard'),
        `featuredInStandard applies to limited banners only ("${banner.id}")`,
        `featuredInStandard は期間限定バナーにだけ指定できます（"${banner.id}"）`,
      );
    }
    if (banner.sparkThreshold > 0 && banner.featuredItemIds.length === 0) {
      add(
        at('sparkThreshold'),
        `banner "${banner.id}" has a spark but no featured item to exchange for`,
        `バナー "${banner.id}" は天井交換があるのに交換できるピックアップがありません`,
      );
    }
    const { hardPity, softPityStart, softPityStepPpm } = banner.pity;
    if (softPityStart > 0 && softPityStepPpm === 0) {
      add(
        ['banners', i, 'pity', 'softPityStep'],
        `banner "${banner.id}": soft pity needs a positive step`,
        `バナー "${banner.id}": ソフト天井には正の上昇幅が必要です`,
      );
    }
    if (hardPity > 0 && softPityStart > hardPity) {
      add(
        ['banners', i, 'pity', 'softPityStart'],
        `banner "${banner.id}": soft pity starts after hard pity`,
        `バナー "${banner.id}": ソフト天井がハード天井より後に始まります`,
      );
    }
    const pool = bannerPool(catalog, banner);
    for (const tier of catalog.tiers) {
      if (
        tier.ratePpm > 0 &&
        catalog.items.some((it) => it.tierId === tier.id) &&
        !pool.some((it) => it.tierId === tier.id)
      ) {
        add(
          at(banner.poolItemIds ? 'poolItemIds' : 'featuredItemIds'),
          `banner "${banner.id}" has no item of tier "${tier.id}" to draw (its rate is not 0)`,
          `バナー "${banner.id}" にはティア "${tier.id}" の排出アイテムがありません（確率が0ではありません）`,
        );
      }
    }
  });
  if (!catalog.banners.some((b) => b.kind === 'standard')) {
    add(['banners'], 'a permanent standard banner is required', '常設（standard）バナーが1つ必要です');
  }
  if (catalog.tenPullCost > catalog.pullCost * 10) {
    add(
      ['tenPullCost'],
      'a 10-pull may not cost more than ten single pulls',
      '10連の価格は単発10回分以下にしてください',
    );
  }
  return issues;
}

/** Consistency problems as English sentences (empty when valid). */
export function catalogProblems(catalog: Catalog): string[] {
  return catalogIssues(catalog).map((i) => i.message.en);
}

type ZodLocale = () => { localeError: z.core.$ZodErrorMap };
const ZOD_LOCALES: Record<Locale, ZodLocale> = { en: z.locales.en, ja: z.locales.ja };

/** Schema issues in one language: the schema's own messages, otherwise zod's locale messages. */
function schemaIssues(input: unknown, locale: Locale): z.core.$ZodIssue[] {
  const localeError = ZOD_LOCALES[locale]().localeError;
  const result = catalogInputSchema.safeParse(input, {
    error: (issue) => {
      const message = localeError(issue);
      return typeof message === 'string' ? message : message?.message;
    },
  });
  return result.success ? [] : result.error.issues;
}

function ownMessage(message: string, locale: Locale): string {
  return SCHEMA_MESSAGES[message]?.[locale] ?? message;
}

/** The first schema problems as `path: message` lines, for error messages. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(root)'}: ${ownMessage(i.message, 'en')}`);
}

export type CatalogValidation =
  | { readonly ok: true; readonly catalog: Catalog; readonly issues: readonly [] }
  | { readonly ok: false; readonly issues: readonly CatalogIssue[] };

/**
 * Validates untrusted input and returns every issue found with its path (for forms and previews):
 * schema issues first; if the shape is right, the normalization and consistency issues.
 */
export function validateCatalog(input: unknown): CatalogValidation {
  const parsed = catalogInputSchema.safeParse(input);
  if (!parsed.success) {
    const en = schemaIssues(input, 'en');
    const ja = schemaIssues(input, 'ja');
    return {
      ok: false,
      issues: en.map((issue, i) => ({
        path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
        message: { en: ownMessage(issue.message, 'en'), ja: ownMessage(ja[i]?.message ?? issue.message, 'ja') },
      })),
    };
  }
  const { catalog, issues } = normalize(parsed.data);
  if (issues.length > 0) return { ok: false, issues };
  const problems = catalogIssues(catalog);
  if (problems.length > 0) return { ok: false, issues: problems };
  return { ok: true, catalog, issues: [] };
}

/** `path: message` in English, the form error messages use. */
export function issueLine(issue: CatalogIssue): string {
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message.en}` : issue.message.en;
}

/** Parses untrusted input (admin JSON, stored documents) into a valid catalog or throws GachaError. */
export function parseCatalog(input: unknown): Catalog {
  const result = validateCatalog(input);
  if (result.ok) return result.catalog;
  const lines = result.issues.map(issueLine);
  throw new GachaError('invalid-config', `Invalid gacha configuration: ${lines.slice(0, 10).join('; ')}`, {
    problems: lines,
    issues: result.issues,
  });
}

export function mainLanguageOf(catalog: Catalog): Locale {
  return catalog.mainLanguage ?? DEFAULT_MAIN_LANGUAGE;
}

export function topTier(catalog: Catalog): TierDefinition {
  return catalog.tiers.reduce((best, t) => (t.rank > best.rank ? t : best));
}

export function findTier(catalog: Catalog, tierId: string): TierDefinition {
  const tier = catalog.tiers.find((t) => t.id === tierId);
  if (!tier) throw new GachaError('invalid-config', `Unknown tier "${tierId}"`);
  return tier;
}

export function findBanner(catalog: Catalog, bannerId: string): BannerDefinition {
  const banner = catalog.banners.find((b) => b.id === bannerId);
  if (!banner) throw new GachaError('unknown-banner', `There is no banner "${bannerId}"`, { bannerId });
  return banner;
}

export function isBannerActive(banner: BannerDefinition, at: Date): boolean {
  if (banner.startsAt && at < banner.startsAt) return false;
  if (banner.endsAt && at >= banner.endsAt) return false;
  return true;
}

export function activeBanners(catalog: Catalog, at: Date): BannerDefinition[] {
  return catalog.banners.filter((b) => isBannerActive(b, at));
}

export function standardBanner(catalog: Catalog): BannerDefinition {
  const banner = catalog.banners.find((b) => b.kind === 'standard');
  if (!banner) throw new GachaError('invalid-config', 'a permanent standard banner is required');
  return banner;
}
