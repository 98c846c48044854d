/**
 * Every message exists in Japanese and English and reads the same parameters in both; and the
 * parameters are typed per message (the `@ts-expect-error` lines below are checked by
 * `npm run typecheck`: if a misspelt or missing parameter ever compiled, the typecheck would fail).
 */
import { GachaError, type GachaErrorCode } from '../../app/domain/errors';
import { errorText } from '../../app/discord/error-replies';
import { MESSAGES, messages } from '../../app/discord/i18n';
import { FAIRNESS_STRINGS } from '../../app/discord/commands/gacha/fairness-strings';

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
