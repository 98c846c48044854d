import { announcementText } from '../../app/discord/banner-announcer';
import { createLimitedBanner } from '../../app/domain/catalog-edits';
import { defaultCatalog } from '../../app/domain/default-catalog';
import type { BannerAnnouncement } from '../../app/services/banner-scheduler';

const mention = (path: string) => `</${path}:123456789012345678>`;

function announcement(kind: 'start' | 'end', featured: string[], locale: 'en' | 'ja' = 'en'): BannerAnnouncement {
  const catalog = createLimitedBanner(defaultCatalog(), {
    id: 'fox-fest',
    name: { en: 'F'.repeat(300), ja: '狐'.repeat(300) },
    featuredItemIds: featured,
    startsAt: new Date('2031-05-01T00:00:00Z'),
    endsAt: new Date('2031-05-08T00:00:00Z'),
    rateUpSharePpm: 500_000,
    sparkThreshold: 300,
  });
  const banner = catalog.banners.find((b) => b.id === 'fox-fest');
  if (!banner) throw new Error('no banner');
  return {
    guildId: '1',
    channelId: '2',
    locale,
    event: { bannerId: 'fox-fest', kind, at: new Date() },
    banner,
    catalog,
  };
}

describe('banner announcement text', () => {
  it('names the featured items, shows the end as a Discord timestamp and mentions /gacha pull', () => {
    const text = announcementText(announcement('start', ['amaterasu']), mention);
    expect(text).toContain('Amaterasu');
    expect(text).toContain(`<t:${Date.parse('2031-05-08T00:00:00Z') / 1000}:f>`);
    expect(text).toContain('</gacha pull:123456789012345678>');
    expect(announcementText(announcement('start', ['amaterasu'], 'ja'), mention)).toContain('天照大神');
  });

  it('stays within 2,000 characters with long names and many featured items', () => {
    const many = defaultCatalog().items.map((i) => i.id);
    for (const locale of ['en', 'ja'] as const) {
      const text = announcementText(announcement('start', many, locale), mention);
      expect(text.length).toBeLessThanOrEqual(2_000);
      expect(text).toMatch(locale === 'en' ? /and \d+ more/ : /ほか\d+件/);
      expect(announcementText(announcement('end', many, locale), mention).length).toBeLessThanOrEqual(2_000);
    }
  });
});
