/**
 * The public odds changelog of a banner as an embed field for `/gacha rates`: the newest changes
 * of odds or pity made while the banner was running (recorded when an admin chose to announce
 * them), with Discord timestamps so each player reads them in their own time zone.
 */
import type { APIEmbedField } from 'discord.js';
import type { CommandContext } from '../../command';
import { adminStrings } from './admin-strings';

const SHOWN = 5;

export async function oddsChangelogField(ctx: CommandContext, bannerId: string): Promise<APIEmbedField | null> {
  const entries = await ctx.admin.oddsChangelog(ctx.guildId, SHOWN, bannerId);
  if (entries.length === 0) return null;
  const s = adminStrings(ctx.locale);
  const banner = ctx.settings.catalog.banners.find((b) => b.id === bannerId)?.name[ctx.locale] ?? bannerId;
  const value = entries
    .map((e) =>
      s.changelogEntry({
        when: `<t:${Math.floor(e.at.getTime() / 1000)}:f>`,
        banner: banner.slice(0, 60),
        fields: e.fields.join(', ').slice(0, 100),
      }),
    )
    .join('\n')
    .slice(0, 1024);
  return { name: s.changelogTitle, value };
}
