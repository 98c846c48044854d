/**
 * Japanese typography in every ja string table: no ASCII space between Japanese text and a number
 * (あと2秒, 天井まで11/90), whether the number is written in the string or comes from a placeholder;
 * and the pull result names commands through the mention helper, not as plain `/gacha …` text.
 *
 * Every function of a table is called with each parameter standing for a number ("12"), so a
 * space between Japanese text and any placeholder is caught too. Exceptions (not Japanese text on
 * the other side of the space, so not matched): ASCII punctuation and markdown (`未指定: 12`,
 * `**SSR** 12`), Latin words (`HTTP 12`), symbols (`◆ 12`).
 */
import { ADMIN_STRINGS } from '../../app/discord/commands/admin/admin-strings';
import { FAIRNESS_STRINGS } from '../../app/discord/commands/gacha/fairness-strings';
import { RATES_STRINGS } from '../../app/discord/commands/gacha/rates-strings';
import { HISTORY_STRINGS } from '../../app/discord/commands/history-strings';
import { MESSAGES } from '../../app/discord/i18n';
import { SOCIAL_STRINGS } from '../../app/discord/social-strings';
import { PULL_RESULT_STRINGS } from '../../app/discord/views/pull-result-strings';

const TABLES: Record<string, unknown> = {
  ADMIN_STRINGS: ADMIN_STRINGS.ja,
  FAIRNESS_STRINGS: FAIRNESS_STRINGS.ja,
  RATES_STRINGS: RATES_STRINGS.ja,
  HISTORY_STRINGS: HISTORY_STRINGS.ja,
  MESSAGES: MESSAGES.ja,
  SOCIAL_STRINGS: SOCIAL_STRINGS.ja,
  PULL_RESULT_STRINGS: PULL_RESULT_STRINGS.ja,
};

/** Hiragana, katakana, kanji, and full-width punctuation. */
const JAPANESE = '[\\u3000-\\u30ff\\u3400-\\u9fff\\uff00-\\uffef]';
const SPACED_NUMBER = new RegExp(`${JAPANESE} +\\d|\\d +${JAPANESE}`, 'u');
/** A command written as text instead of a mention (`</gacha spark:id>` is fine). */
const PLAIN_COMMAND = /(^|[^<\w])\/(gacha|daily|profile|history|collection|wish|admin)\b/u;

/**
 * Parameters that hold numbers (by name, across the tables) read as "12"; every other one as
 * "name" (a player, item, banner or id: Latin text next to which a space is fine).
 */
const NUMBER_PARAM =
  /^(count|seq|owners|max|min|points|threshold|shards|amount|price|more|hard|soft|expected|rate|longRun|share|kib|cost|balance|needed|owned|wanted|pity|pulls|days|hours|minutes|seconds|total|issued|spent|players|holders|revision|epoch|verified|pending|draws|sequence|single|ten|streakBonus|pull|other|observed|published|mean|p|n|kept|limit)$/u;
const numbers: Record<string, unknown> = new Proxy(
  {},
  {
    get: (_target, key) => (typeof key === 'string' && NUMBER_PARAM.test(key) ? '12' : 'name'),
  },
);

/** Every string of a table, by path (functions called with all-number parameters). */
function texts(value: unknown, path: string, out: [string, string][]): [string, string][] {
  if (typeof value === 'string') out.push([path, value]);
  else if (typeof value === 'function') {
    const result: unknown = (value as (p: unknown) => unknown)(numbers);
    texts(result, `${path}()`, out);
  } else if (value && typeof value === 'object')
    for (const [key, inner] of Object.entries(value)) texts(inner, `${path}.${key}`, out);
  return out;
}

const all = Object.entries(TABLES).flatMap(([name, table]) => texts(table, name, []));

describe('Japanese strings', () => {
  it('finds the strings of every table', () => {
    expect(all.length).toBeGreaterThan(200);
  });

  it('have no ASCII space between Japanese text and a number or a number placeholder', () => {
    const spaced = all.filter(([, text]) => SPACED_NUMBER.test(text)).map(([path, text]) => `${path}: ${text}`);
    expect(spaced).toEqual([]);
  });

  it('catch a space next to a number placeholder (the check itself)', () => {
    expect(SPACED_NUMBER.test('天井まで 12/12')).toBe(true);
    expect(SPACED_NUMBER.test('12 回')).toBe(true);
    expect(SPACED_NUMBER.test('天井まで12/12')).toBe(false);
    expect(SPACED_NUMBER.test('未指定: 12')).toBe(false);
  });

  it('name commands in the pull result through the mention helper, in both languages', () => {
    const plain = [...texts(PULL_RESULT_STRINGS.ja, 'ja', []), ...texts(PULL_RESULT_STRINGS.en, 'en', [])]
      .filter(([, text]) => PLAIN_COMMAND.test(text))
      .map(([path, text]) => `${path}: ${text}`);
    expect(plain).toEqual([]);
  });
});
