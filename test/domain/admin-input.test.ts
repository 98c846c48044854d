import {
  formName,
  liveOddsChanges,
  parseAdminDate,
  parseColour,
  parseIdList,
  parseRateInput,
} from '../../app/domain/admin-input';
import { defaultCatalog } from '../../app/domain/default-catalog';
import { isGachaError } from '../../app/domain/errors';

describe('admin dates', () => {
  it('reads Discord timestamps in any style', () => {
    expect(parseAdminDate('<t:1767225600>', 'Asia/Tokyo').toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(parseAdminDate(' <t:1767225600:R> ', 'UTC').toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('reads YYYY-MM-DD HH:mm as wall-clock time in the server time zone, across daylight saving', () => {
    expect(parseAdminDate('2026-12-31 15:00', 'Asia/Tokyo').toISOString()).toBe('2026-12-31T06:00:00.000Z');
    expect(parseAdminDate('2026-07-01 12:00', 'Europe/Paris').toISOString()).toBe('2026-07-01T10:00:00.000Z');
    expect(parseAdminDate('2026-01-01 12:00', 'Europe/Paris').toISOString()).toBe('2026-01-01T11:00:00.000Z');
    expect(parseAdminDate('2026-12-31T15:00:00Z', 'Asia/Tokyo').toISOString()).toBe('2026-12-31T15:00:00.000Z');
  });

  it('refuses what is not a date', () => {
    for (const text of ['tomorrow', '2026-02-30 10:00', '2026-01-01 24:00', '<t:abc>']) {
      expect(() => parseAdminDate(text, 'UTC')).toThrow(/not a (calendar )?date/);
    }
  });
});

describe('admin rates, colours, names and lists', () => {
  it('reads percentages exactly and parts per million', () => {
    expect(parseRateInput('3.4%')).toBe(34_000);
    expect(parseRateInput('0.6')).toBe(6_000);
    expect(parseRateInput('6000ppm')).toBe(6_000);
    expect(parseRateInput('34000')).toBe(34_000);
    expect(() => parseRateInput('3.45678%')).toThrow(/not a rate/);
    expect(() => parseRateInput('1000001')).toThrow(/more than 100%/);
  });

  it('reads #rrggbb colours', () => {
    expect(parseColour('#ff8800')).toBe(0xff8800);
    expect(() => parseColour('orange')).toThrow(/not a colour/);
  });

  it('needs only the main-language name; the other falls back to it', () => {
    expect(formName('en', 'Sword', '')).toEqual({ en: 'Sword', ja: 'Sword' });
    expect(formName('ja', '剣', 'Sword')).toEqual({ ja: '剣', en: 'Sword' });
    expect(() => formName('en', '  ', 'x')).toThrow(/main language/);
  });

  it('splits id lists without repeats', () => {
    expect(parseIdList('a, b,,c a')).toEqual(['a', 'b', 'c']);
  });
});

describe('live banner odds changes', () => {
  const at = new Date('2026-06-01T00:00:00Z');

  it('a tier rate change touches every open banner; a future banner is not live', () => {
    const before = defaultCatalog();
    const tiers = before.tiers.map((t, i) =>
      i === 0 ? { ...t, ratePpm: t.ratePpm - 1 } : i === 1 ? { ...t, ratePpm: t.ratePpm + 1 } : t,
    );
    const future = {
      ...before.banners[0]!,
      id: 'later',
      kind: 'limited' as const,
      startsAt: new Date('2027-01-01'),
      endsAt: new Date('2027-02-01'),
    };
    const withFuture = { ...before, banners: [...before.banners, future] };
    const changes = liveOddsChanges(withFuture, { ...withFuture, tiers }, at);
    expect(changes.map((c) => c.bannerId)).toEqual(
      before.banners
        .filter((b) => !b.endsAt || b.endsAt > at)
        .filter((b) => !b.startsAt || b.startsAt <= at)
        .map((b) => b.id),
    );
    expect(changes.every((c) => c.fields.includes('tier-rates'))).toBe(true);
  });

  it('renaming a running banner is not an odds change', () => {
    const before = defaultCatalog();
    const after = { ...before, banners: before.banners.map((b) => ({ ...b, name: { en: 'x', ja: 'x' } })) };
    expect(liveOddsChanges(before, after, at)).toEqual([]);
  });

  it('errors are GachaErrors (shown to the admin)', () => {
    try {
      parseRateInput('lots');
    } catch (error) {
      expect(isGachaError(error, 'invalid-config')).toBe(true);
    }
    expect.assertions(1);
  });
});
