/**
 * Every message exists in Japanese and English and reads the same parameters in both; and the
 * parameters are typed per message (the `@ts-expect-error` lines below are checked by
 * `npm run typecheck`: if a misspelt or missing parameter ever compiled, the typecheck would fail).
 */
import { GachaError, type GachaErrorCode } from '../../app/domain/errors';
import { errorText } from '../../app/discord/error-replies';
import { MESSAGES, messages } from '../../app/discord/i18n';
import { PULL_RESULT_STRINGS } from '../../app/discord/views/pull-result-strings';
import { ART_ADMIN_STRINGS, ART_MESSAGES } from '../../app/art/art-messages';

type MessageTree = { readonly [key: string]: MessageTree | ((p: never) => string) };

/** Every message of a locale by its path (`pullTitle`, `errors.busy`). */
function flatten(tree: MessageTree, prefix = ''): Map<string, (p: object) => string> {
  const out = new Map<string, (p: object) => string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'function') out.set(`${prefix}${key}`, value as (p: object) => string);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

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

const en = flatten(MESSAGES.en);
const ja = flatten(MESSAGES.ja);

it('has every message in both languages', () => {
  expect([...ja.keys()].sort()).toEqual([...en.keys()].sort());
  expect(en.size).toBeGreaterThan(40);
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
});

it('renders every error code with its details, bounded', () => {
  const codes = Object.keys(MESSAGES.en.errors) as GachaErrorCode[];
  for (const code of codes) {
    const text = errorText(
      new GachaError(code, 'x'.repeat(5_000), { bannerId: 'b'.repeat(500), cost: 100, balance: 3 }),
      messages('en'),
    );
    expect(text).not.toMatch(/undefined/);
    expect(text.length).toBeLessThanOrEqual(2_000);
  }
  expect(errorText(new GachaError('insufficient-currency', 'no', { cost: 100, balance: 3 }), messages('ja'))).toBe(
    '通貨が足りません: 必要 100、所持 3。/daily で受け取れます。',
  );
  expect(errorText(new Error('boom'), messages('en'))).toMatch(/Something went wrong/);
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

describe('strings modules of the pull view and card art', () => {
  type Entry = string | ((p: never) => string);
  const modules: Record<string, { en: Record<string, Entry>; ja: Record<string, Entry> }> = {
    PULL_RESULT_STRINGS: { en: { ...PULL_RESULT_STRINGS.en }, ja: { ...PULL_RESULT_STRINGS.ja } },
    ART_ADMIN_STRINGS: { en: { ...ART_ADMIN_STRINGS.en }, ja: { ...ART_ADMIN_STRINGS.ja } },
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
