/**
 * Clickable command mentions fall back to text until the ids are known; no player-visible message
 * names a command as plain text where a mention could be sent; the rates CSV is safe to open.
 */
import { ART_ADMIN_STRINGS, ART_MESSAGES } from '../../app/art/art-messages';
import { BANNER_ANNOUNCEMENT_STRINGS } from '../../app/discord/banner-announcement-strings';
import { CommandMentions } from '../../app/discord/command-mentions';
import { COMMANDS } from '../../app/discord/command-registry';
import { ADMIN_STRINGS } from '../../app/discord/commands/admin/admin-strings';
import { FAIRNESS_STRINGS } from '../../app/discord/commands/gacha/fairness-strings';
import { HISTORY_STRINGS } from '../../app/discord/commands/history-strings';
import { MESSAGES } from '../../app/discord/i18n';
import { SOCIAL_STRINGS } from '../../app/discord/social-strings';
import { PULL_RESULT_STRINGS } from '../../app/discord/views/pull-result-strings';
import { RATES_STRINGS } from '../../app/discord/commands/gacha/rates-strings';
import { ratesCsv } from '../../app/discord/commands/gacha/rates-subcommand';
import { defaultCatalog } from '../../app/domain/default-catalog';
import { discloseBanner } from '../../app/domain/disclosure';

it('mentions a command by its id once learned, as plain text before', () => {
  const mentions = new CommandMentions();
  expect(mentions.mention('gacha pull')).toBe('/gacha pull');
  expect(
    mentions.learn([
      { name: 'gacha', id: '123456789012345678' },
      { name: 'daily', id: 'not-a-snowflake' },
      { name: 'Bad Name', id: '123456789012345679' },
    ]),
  ).toBe(1);
  expect(mentions.mention('gacha pull')).toBe('</gacha pull:123456789012345678>');
  expect(mentions.mention('daily')).toBe('/daily');
});

/** Every message of every strings module, by `module:path`, in both languages. */
const MODULES: Record<string, { readonly en: object; readonly ja: object }> = {
  i18n: MESSAGES,
  'pull-result-strings': PULL_RESULT_STRINGS,
  'rates-strings': RATES_STRINGS,
  'history-strings': HISTORY_STRINGS,
  'social-strings': SOCIAL_STRINGS,
  'admin-strings': ADMIN_STRINGS,
  'fairness-strings': FAIRNESS_STRINGS,
  'banner-announcement-strings': BANNER_ANNOUNCEMENT_STRINGS,
  'art-admin-strings': ART_ADMIN_STRINGS,
  'art-messages': {
    en: Object.fromEntries(Object.entries(ART_MESSAGES).map(([code, m]) => [code, m.en])),
    ja: Object.fromEntries(Object.entries(ART_MESSAGES).map(([code, m]) => [code, m.ja])),
  },
};

/** Each message rendered with every parameter present (a parameter reads as `‹name›`), both branches of booleans. */
function renderings(message: unknown): string[] {
  if (typeof message === 'string') return [message];
  if (typeof message !== 'function') return [];
  return [true, false].map((flag) => {
    const params = new Proxy(
      {},
      {
        get: (_target, name) =>
          typeof name === 'string' && /^(on|already|live)$/.test(name) ? flag : `‹${String(name)}›`,
      },
    );
    return String((message as (p: object) => unknown)(params));
  });
}

function messagesOf(tree: object, prefix: string): [string, string[]][] {
  return Object.entries(tree).flatMap(([key, value]: [string, unknown]) =>
    typeof value === 'object' && value !== null && typeof value !== 'function'
      ? messagesOf(value, `${prefix}${key}.`)
      : [[`${prefix}${key}`, renderings(value)] as [string, string[]]],
  );
}

/**
 * Discord shows a command mention as a clickable command only in message content and embed
 * descriptions and fields, not in embed footers, titles or option descriptions: a message that
 * points to a command takes its mention as a parameter and is shown where mentions work. None is
 * exempt (/gacha seed's and /wish list's hints left their footers for the description).
 */
it('names no command as plain text in a player-visible message (a mention parameter instead)', () => {
  const names = COMMANDS.map((command) => command.data.name);
  expect(names).toEqual(expect.arrayContaining(['gacha', 'wish', 'trade', 'give', 'history', 'collection', 'profile']));
  // `/gacha pull`, `/wish`, `/gacha-admin export`: a slash, a command name, then no more name characters.
  const plain = new RegExp(`(^|[^<\\w])/(${names.map((n) => n.replace(/[-]/g, '\\-')).join('|')})(?![\\w-])`);
  const offenders: string[] = [];
  let checked = 0;
  for (const [module, tables] of Object.entries(MODULES)) {
    for (const locale of ['en', 'ja'] as const) {
      for (const [key, texts] of messagesOf(tables[locale], `${module}:`)) {
        checked++;
        const text = texts.find((t) => plain.test(t));
        if (text) offenders.push(`${locale} ${key}: ${text}`);
      }
    }
  }
  expect(checked).toBeGreaterThan(300);
  expect(offenders).toEqual([]);
  // The check itself catches a plain command name (and not a mention).
  expect(plain.test('Remove a wish with /wish remove first.')).toBe(true);
  expect(plain.test('（/gacha exchange）')).toBe(true);
  expect(plain.test('</gacha pull:123456789012345678>')).toBe(false);
  expect(plain.test('https://example.com/gacha')).toBe(false);
});

it('writes every item of a banner as CSV with a BOM, quoting names and defusing formulas', () => {
  const catalog = defaultCatalog();
  const first = catalog.items[0];
  if (!first) throw new Error('empty catalog');
  const odd = {
    ...catalog,
    items: [{ ...first, name: { ja: '=HYPERLINK("x")', en: 'A, "quoted" name' } }, ...catalog.items.slice(1)],
  };
  const d = discloseBanner(odd, 'standard');
  const en = ratesCsv(d, 'en', RATES_STRINGS.en);
  const lines = en.trimEnd().split('\r\n');
  expect(en.startsWith('\uFEFFitem_id,name,tier,featured,rate_per_pull,effective_rate')).toBe(true);
  expect(lines).toHaveLength(catalog.items.length + 1);
  expect(en).toContain(`${first.id},"A, ""quoted"" name",`);
  const ja = ratesCsv(d, 'ja', RATES_STRINGS.ja);
  expect(ja).toContain(`${first.id},"'=HYPERLINK(""x"")",`);
  expect(ja.split('\r\n')[0]).toBe('\uFEFFアイテムID,名前,レア度,ピックアップ,排出率,実質排出率');
  const sum = lines.slice(1).reduce((s, line) => s + Number(line.split(',').at(-2)), 0);
  expect(sum).toBeCloseTo(1, 6);
});
