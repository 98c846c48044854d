/**
 * Every message exists in Japanese and English and reads the same parameters in both; and the
 * parameters are typed per message (the `@ts-expect-error` lines below are checked by
 * `npm run typecheck`: if a misspelt or missing parameter ever compiled, the typecheck would fail).
 */
import { RATES_STRINGS } from '../../app/discord/commands/gacha/rates-strings';
import { GachaError, type GachaErrorCode } from '../../app/domain/errors';
import { errorText } from '../../app/discord/error-replies';
import { ADMIN_STRINGS } from '../../app/discord/commands/admin/admin-strings';
import { BANNER_ANNOUNCEMENT_STRINGS } from '../../app/discord/banner-announcement-strings';
import { MESSAGES, formatNumber, localeFrom, messages } from '../../app/discord/i18n';
import { PULL_RESULT_STRINGS } from '../../app/discord/views/pull-result-strings';
import { HISTORY_STRINGS } from '../../app/discord/commands/history-strings';
import { ART_ADMIN_STRINGS, ART_MESSAGES } from '../../app/art/art-messages';
import { SOCIAL_STRINGS } from '../../app/discord/social-strings';
import { FAIRNESS_STRINGS } from '../../app/discord/commands/gacha/fairness-strings';

/** Every message of a locale by its path (`pullTitle`, `errors.busy`); plain strings read no parameters. */
function flatten(tree: object, prefix = ''): Map<string, (p: object) => string> {
  const out = new Map<string, (p: object) => string>();
  for (const [key, value] of Object.entries(tree) as [string, unknown][]) {
    if (typeof value === 'function') out.set(`${prefix}${key}`, (p: object) => String(value.call(undefined, p)));
    else if (typeof value === 'string') out.set(`${prefix}${key}`, () => value);
    else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
    } else throw new Error(`${prefix}${key} is neither a message nor a table`);
  }
  return out;
}

/** Every strings module with a table per language: the bot's messages and each feature's own. */
const MODULES: Record<string, { readonly en: object; readonly ja: object }> = {
  i18n: MESSAGES,
  'pull-result-strings': PULL_RESULT_STRINGS,
  'rates-strings': RATES_STRINGS,
  'history-strings': HISTORY_STRINGS,
  'art-messages': {
    en: Object.fromEntries(Object.entries(ART_MESSAGES).map(([code, m]) => [code, m.en])),
    ja: Object.fromEntries(Object.entries(ART_MESSAGES).map(([code, m]) => [code, m.ja])),
  },
};

/** The parameter names a message reads, and its text, with every parameter present. */
function probe(message: (p: object) => string): { params: string[]; text: string } {
  const read = new Set<string>();
  const params = new Proxy(
    {},
    {
      get: (_target, name) => {
        if (typeof name === 'string') read.add(name);
        return 7;
      },
    },
  );
  const text = message(params);
  return { params: [...read].sort(), text };
}

const en = new Map<string, (p: object) => string>();
const ja = new Map<string, (p: object) => string>();
for (const [module, tables] of Object.entries(MODULES)) {
  for (const [k, v] of flatten(tables.en)) en.set(`${module}:${k}`, v);
  for (const [k, v] of flatten(tables.ja)) ja.set(`${module}:${k}`, v);
}

it('has every message of every strings module in both languages', () => {
  expect([...ja.keys()].sort()).toEqual([...en.keys()].sort());
  expect(en.size).toBeGreaterThan(150);
  for (const module of Object.keys(MODULES)) expect([...en.keys()].some((k) => k.startsWith(`${module}:`))).toBe(true);
});

it.each([...en.keys()])('%s reads the same parameters in Japanese and English', (key) => {
  const english = en.get(key);
  const japanese = ja.get(key);
  if (!english || !japanese) throw new Error(`${key} is missing a translation`);
  const a = probe(english);
  const b = probe(japanese);
  expect(b.params).toEqual(a.params);
  expect(a.text.trim()).not.toBe('');
  expect(b.text.trim()).not.toBe('');
  // Japanese puts no space between a number and the words around it (あと2秒, 天井まで11/90; every
  // ja table is also checked in japanese-spacing.test.ts).
  if (/^(i18n|rates-strings|history-strings):/.test(key)) {
    expect(b.text).not.toMatch(/[\u3040-\u30ff\u4e00-\u9fff] 7|7 [\u3040-\u30ff\u4e00-\u9fff]/);
  }
});

it('renders every error code with its details, bounded', () => {
  const codes = Object.keys(MESSAGES.en.errors) as GachaErrorCode[];
  for (const code of codes) {
    for (const locale of ['en', 'ja'] as const) {
      const text = errorText(
        new GachaError(code, 'x'.repeat(5_000), { bannerId: 'b'.repeat(500), cost: 100, balance: 3 }),
        locale,
      );
      expect(text).not.toMatch(/undefined/);
      expect(text).not.toContain('x'.repeat(400));
      expect(text.length).toBeLessThanOrEqual(2_000);
    }
  }
  expect(
    errorText(new GachaError('insufficient-currency', 'no', { cost: 1300, balance: 3 }), 'ja', {
      currencyName: 'ジェム',
      mention: (path) => `</${path}:123456789012345678>`,
    }),
  ).toBe('ジェムが足りません: 必要1,300、所持3。</daily:123456789012345678>で受け取れます。');
  expect(errorText(new Error('boom'), 'en')).toMatch(/Something went wrong/);
});

it('shows a validation problem in the admin’s language, the internal English only as a bounded detail', () => {
  const timezone = errorText(
    new GachaError('invalid-config', 'Unknown timezone "Mars/Base"', {
      reason: 'unknown-timezone',
      timezone: 'Mars/Base',
    }),
    'ja',
  );
  expect(timezone).toContain('「Mars/Base」はタイムゾーンではありません');
  expect(timezone).not.toMatch(/Unknown timezone/);
  const issues = errorText(
    new GachaError('invalid-config', 'Invalid gacha configuration: tiers: must sum', {
      issues: [{ path: ['tiers'], message: { en: 'rates must sum to 100%', ja: '確率の合計を100%にしてください' } }],
    }),
    'ja',
  );
  expect(issues).toContain('`tiers`: 確率の合計を100%にしてください');
  expect(issues).not.toMatch(/must sum/);
  const unknown = errorText(new GachaError('invalid-config', `internal ${'y'.repeat(3_000)}`), 'ja');
  expect(unknown).toMatch(/^受け付けられませんでした。/);
  expect(unknown).toContain('入力内容が正しくありません。');
  expect(unknown).toMatch(/\n-# 詳細: internal y+$/);
  expect(unknown.length).toBeLessThan(450);
});

it('formats numbers for the language and falls back to the server’s language', () => {
  expect(formatNumber('en', 1300)).toBe('1,300');
  expect(formatNumber('ja', 1300)).toBe('1,300');
  expect(messages('ja').cooldown({ seconds: 2 })).toBe('少し待ってください。あと2秒。');
  expect(messages('ja').dailyClaimed({ amount: 1300, streak: 1, balance: 2600, currency: 'コイン' })).toContain(
    '（1日連続）',
  );
  expect(messages('en').pullFooter({ cost: 1300, balance: 12000, pity: 11, cap: 90 })).toBe(
    'Cost 1,300 · Balance 12,000 · Pity 11/90',
  );
  expect(messages('ja').pullFooter({ cost: 1300, balance: 12000, pity: 11, cap: 90 })).toContain('天井まで11/90');
  expect(localeFrom('fr', 'en')).toBe('en');
  expect(localeFrom('fr', 'ja')).toBe('ja');
  expect(localeFrom('ja', 'en')).toBe('ja');
  expect(localeFrom('en-GB', 'ja')).toBe('en');
});

it('types the parameters of each message', () => {
  const t = messages('en');
  expect(t.pullTitle({ user: 'a', count: 10, banner: 'b' })).toBe("a's 10-pull on b");
  // @ts-expect-error a misspelt parameter does not compile
  t.pullTitle({ usr: 'a', count: 10, banner: 'b' });
  // @ts-expect-error a missing parameter does not compile
  t.cooldown({});
  // @ts-expect-error a parameter of the wrong type does not compile
  t.page({ page: 'one', pages: 2 });
  // @ts-expect-error an error message's parameters are typed too
  t.errors['unknown-banner']({ banner: 'x' });
});

it('has every admin flow string in both languages with the same parameters', () => {
  const adminEn = flattenStrings(ADMIN_STRINGS.en);
  const adminJa = flattenStrings(ADMIN_STRINGS.ja);
  expect(adminEn.size).toBeGreaterThan(20);
  expect([...adminJa.keys()].sort()).toEqual([...adminEn.keys()].sort());
  for (const [key, english] of adminEn) {
    const japanese = adminJa.get(key);
    if (!japanese) throw new Error(`${key} is missing in Japanese`);
    expect(probe(japanese).params).toEqual(probe(english).params);
    expect(probe(japanese).text.trim()).not.toBe('');
  }
});

/** Every entry of a strings module (plain strings and typed functions) by its path. */
function flattenStrings(tree: object, prefix = ''): Map<string, (p: object) => string> {
  const out = new Map<string, (p: object) => string>();
  for (const [key, value] of Object.entries(tree as Record<string, unknown>)) {
    if (typeof value === 'string') out.set(`${prefix}${key}`, () => value);
    else if (typeof value === 'function') out.set(`${prefix}${key}`, value as (p: object) => string);
    else if (typeof value === 'object' && value !== null)
      for (const [k, v] of flattenStrings(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

describe('strings modules of the pull view and card art', () => {
  type Entry = string | ((p: never) => string);
  const modules: Record<string, { en: Record<string, Entry>; ja: Record<string, Entry> }> = {
    PULL_RESULT_STRINGS: { en: { ...PULL_RESULT_STRINGS.en }, ja: { ...PULL_RESULT_STRINGS.ja } },
    ART_ADMIN_STRINGS: { en: { ...ART_ADMIN_STRINGS.en }, ja: { ...ART_ADMIN_STRINGS.ja } },
    BANNER_ANNOUNCEMENT_STRINGS: {
      en: { ...BANNER_ANNOUNCEMENT_STRINGS.en },
      ja: { ...BANNER_ANNOUNCEMENT_STRINGS.ja },
    },
    ART_MESSAGES: {
      en: Object.fromEntries(Object.entries(ART_MESSAGES).map(([code, byLocale]) => [code, byLocale.en])),
      ja: Object.fromEntries(Object.entries(ART_MESSAGES).map(([code, byLocale]) => [code, byLocale.ja])),
    },
  };
  const cases = Object.entries(modules).flatMap(([name, { en: english }]) =>
    Object.keys(english).map((key) => [name, key] as const),
  );

  it.each(cases)('%s.%s exists in both languages with the same parameters', (name, key) => {
    const entries = modules[name];
    const english = entries?.en[key];
    const japanese = entries?.ja[key];
    if (english === undefined || japanese === undefined) throw new Error(`${name}.${key} is missing a translation`);
    expect(typeof japanese).toBe(typeof english);
    const read = (entry: Entry) =>
      typeof entry === 'string' ? { params: [], text: entry } : probe(entry as (p: object) => string);
    const a = read(english);
    const b = read(japanese);
    expect(b.params).toEqual(a.params);
    expect(a.text.trim()).not.toBe('');
    expect(b.text.trim()).not.toBe('');
    // Translated, not copied (short badges such as NEW may read the same).
    if (a.text.length > 12) expect(b.text).not.toBe(a.text);
  });

  it('has the same keys in both languages', () => {
    for (const { en: english, ja: japanese } of Object.values(modules)) {
      expect(Object.keys(japanese).sort()).toEqual(Object.keys(english).sort());
    }
  });
});

describe('the social strings (shop, wishlists, trades, collection tools)', () => {
  const entries = (strings: (typeof SOCIAL_STRINGS)['en']) =>
    new Map(Object.entries(strings).map(([key, message]) => [key, message as (p: object) => string]));
  const socialEn = entries(SOCIAL_STRINGS.en);
  const socialJa = entries(SOCIAL_STRINGS.ja);
  it('has every entry in both languages', () => {
    expect([...socialJa.keys()].sort()).toEqual([...socialEn.keys()].sort());
  });
  it.each([...socialEn.keys()])('%s reads the same parameters in Japanese and English', (key) => {
    const english = socialEn.get(key);
    const japanese = socialJa.get(key);
    if (!english || !japanese) throw new Error(`${key} is missing a translation`);
    const a = probe(english);
    const b = probe(japanese);
    expect(b.params).toEqual(a.params);
    expect(a.text.trim()).not.toBe('');
    expect(b.text.trim()).not.toBe('');
    expect(b.text).not.toBe(a.text);
  });
});

describe('fairness strings (/gacha seed, verify, audit, history-export)', () => {
  type Leaf = string | ((p: object) => string);
  const entries = (tree: object, prefix = ''): Map<string, Leaf> => {
    const out = new Map<string, Leaf>();
    for (const [key, value] of Object.entries(tree)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (typeof value === 'string') out.set(path, value);
      else if (typeof value === 'function') out.set(path, (p: object) => String((value as (p: object) => unknown)(p)));
      else if (typeof value === 'object' && value !== null) {
        const inner: object = value as object;
        for (const [k, v] of entries(inner, path)) out.set(k, v);
      }
    }
    return out;
  };
  const fairEn = entries(FAIRNESS_STRINGS.en);
  const fairJa = entries(FAIRNESS_STRINGS.ja);

  it('has every entry in both languages', () => {
    expect([...fairJa.keys()].sort()).toEqual([...fairEn.keys()].sort());
    expect(fairEn.size).toBeGreaterThan(30);
  });

  it.each([...fairEn.keys()])('%s reads the same parameters in Japanese and English', (key) => {
    const english = fairEn.get(key);
    const japanese = fairJa.get(key);
    expect(typeof japanese).toBe(typeof english);
    if (typeof english === 'function' && typeof japanese === 'function') {
      const a = probe(english);
      const b = probe(japanese);
      expect(b.params).toEqual(a.params);
      expect(a.text.trim()).not.toBe('');
      expect(b.text.trim()).not.toBe('');
      expect(b.text).not.toBe(a.text);
    } else {
      expect(String(english).trim()).not.toBe('');
      expect(String(japanese).trim()).not.toBe('');
    }
  });
});
