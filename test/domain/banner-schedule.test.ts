import { formatAdminDate, parseAdminDate } from '../../app/domain/admin-input';
import { dueBannerEvents } from '../../app/domain/banner-schedule';
import { createLimitedBanner } from '../../app/domain/catalog-edits';
import { defaultCatalog } from '../../app/domain/default-catalog';

const T0 = new Date('2031-05-01T00:00:00Z');
const HOUR = 3_600_000;
const catalog = createLimitedBanner(defaultCatalog(), {
  id: 'fox-fest',
  name: { en: 'Fox Festival', ja: '狐祭' },
  featuredItemIds: ['amaterasu'],
  startsAt: new Date(T0.getTime() + HOUR),
  endsAt: new Date(T0.getTime() + 3 * HOUR),
  rateUpSharePpm: 500_000,
  sparkThreshold: 300,
});
const at = (ms: number) => new Date(T0.getTime() + ms);
const kinds = (now: Date, late?: number) => dueBannerEvents(catalog, now, late).map((e) => `${e.bannerId}:${e.kind}`);

describe('due banner events', () => {
  it('nothing before the start; the start once it has passed; then the end', () => {
    expect(kinds(at(HOUR - 1))).toEqual([]);
    expect(kinds(at(HOUR))).toEqual(['fox-fest:start']);
    expect(kinds(at(3 * HOUR))).toEqual(['fox-fest:end']);
  });

  it('never the standard banner; nothing later than the late limit', () => {
    expect(kinds(at(3 * HOUR + 2 * HOUR), HOUR)).toEqual([]);
    expect(kinds(at(HOUR + 2 * HOUR - 1), HOUR)).toEqual([]);
    expect(dueBannerEvents(defaultCatalog(), at(10 * HOUR))).toEqual([]);
  });
});

describe('admin dates shown back', () => {
  it.each(['Asia/Tokyo', 'America/New_York', 'UTC'])('formats to the minute in %s and reads back', (zone) => {
    const moment = new Date('2031-07-15T06:30:45Z');
    const shown = formatAdminDate(moment, zone);
    expect(shown).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(parseAdminDate(shown, zone).getTime()).toBe(Date.parse('2031-07-15T06:30:00Z'));
  });

  it('shows Tokyo wall-clock time', () => {
    expect(formatAdminDate(new Date('2099-12-31T14:00:00Z'), 'Asia/Tokyo')).toBe('2099-12-31 23:00');
  });
});
