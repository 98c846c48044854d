/** Clickable command mentions fall back to text until the ids are known; the rates CSV is safe to open. */
import { CommandMentions } from '../../app/discord/command-mentions';
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
