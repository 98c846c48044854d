/**
 * Every catalog edit shows its consequences before it applies: the admin's edit is staged by the
 * admin service, and this module turns the preview into a private message (what is added,
 * removed and changed; which items, owned by how many players, would become unobtainable; each
 * open or scheduled banner's published top-tier rate, expected pulls and cost to the top tier; the
 * dailies-budget warning; the live-banner rule) with Confirm / Cancel buttons only its author can
 * use. Lists are cut to stay within Discord's 2,000 characters.
 */
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, type ChatInputCommandInteraction } from 'discord.js';
import type { Catalog, Locale } from '../../../domain/catalog';
import type { EntityDiff } from '../../../domain/catalog-diff';
import { formatPercent } from '../../../domain/rates';
import type { CatalogChange, ChangePreview, LiveChangePolicy } from '../../../services/admin-service';
import type { CommandContext, CommandReply } from '../../command';
import type { ButtonHandler } from '../../subcommand';
import { type AdminStrings, adminStrings } from './admin-strings';

const CONTENT_LIMIT = 2_000;
const IDS_PER_LINE = 8;
const LIST_LINES = 8;

/** Cuts user-provided text for display. */
export function clip(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function idList(ids: readonly string[], s: AdminStrings): string {
  const shown = ids.slice(0, IDS_PER_LINE).map((id) => `\`${clip(id, 40)}\``);
  const rest = ids.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} ${s.more({ count: rest })}` : shown.join(', ');
}

function entityLines(diff: EntityDiff, what: string, s: AdminStrings): string[] {
  const lines: string[] = [];
  if (diff.added.length > 0) lines.push(s.added({ what, ids: idList(diff.added, s) }));
  if (diff.removed.length > 0) lines.push(s.removed({ what, ids: idList(diff.removed, s) }));
  if (diff.changed.length > 0) {
    const ids = diff.changed.map((c) => `${c.id} (${c.fields.join(', ')})`);
    lines.push(s.changed({ what, ids: idList(ids, s) }));
  }
  return lines;
}

function itemName(catalog: Catalog, itemId: string, locale: Locale): string {
  const item = catalog.items.find((i) => i.id === itemId);
  return item ? `${clip(item.name[locale], 40)} (\`${clip(itemId, 40)}\`)` : `\`${clip(itemId, 40)}\``;
}

function bannerName(catalog: Catalog, bannerId: string, locale: Locale): string {
  const banner = catalog.banners.find((b) => b.id === bannerId);
  return banner ? clip(banner.name[locale], 40) : clip(bannerId, 40);
}

function capped(lines: readonly string[], s: AdminStrings): string[] {
  if (lines.length <= LIST_LINES) return [...lines];
  return [...lines.slice(0, LIST_LINES), s.more({ count: lines.length - LIST_LINES })];
}

/** Joins sections, dropping whole lines from the end of the longest ones until it fits. */
function fit(sections: string[][]): string {
  const text = (): string =>
    sections
      .filter((x) => x.length > 0)
      .map((x) => x.join('\n'))
      .join('\n\n');
  let out = text();
  while (out.length > CONTENT_LIMIT) {
    const longest = sections.reduce((a, b) => (b.length > a.length ? b : a));
    if (longest.length <= 1) return out.slice(0, CONTENT_LIMIT - 1) + '…';
    longest.splice(longest.length - 2, 1);
    out = text();
  }
  return out;
}

const number = (value: number, locale: Locale): string =>
  Math.round(value).toLocaleString(locale === 'ja' ? 'ja-JP' : 'en-US');

/** The preview message of a staged change. */
export function previewReply(preview: ChangePreview, action: string, ctx: CommandContext): CommandReply {
  const s = adminStrings(ctx.locale);
  const { diff, after, before } = preview;
  const locale = ctx.locale;
  const head = [s.previewTitle({ action: clip(action, 120) })];
  const changes = [
    ...entityLines(diff.tiers, s.kinds.tiers, s),
    ...entityLines(diff.items, s.kinds.items, s),
    ...entityLines(diff.banners, s.kinds.banners, s),
    ...(diff.settings.length > 0 ? [s.settingsChanged({ fields: diff.settings.join(', ') })] : []),
  ];
  if (diff.unchanged) changes.push(s.unchanged);
  const lost = diff.unobtainable.map((u) =>
    s.unobtainable({ item: itemName(before, u.itemId, locale), owners: preview.owners.get(u.itemId) ?? 0 }),
  );
  const odds = diff.consequences.map((c) => {
    const top = c.after.disclosure.tiers.reduce((a, b) => (b.rank > a.rank ? b : a));
    const was = c.before
      ? c.before.expectedPullsToTop.toFixed(1) !== c.after.expectedPullsToTop.toFixed(1)
        ? ` ← ${c.before.expectedPullsToTop.toFixed(1)}`
        : ''
      : s.newBanner;
    return s.odds({
      banner: bannerName(after, c.bannerId, locale),
      topRate: formatPercent(top.baseProbability, 4),
      pulls: c.after.expectedPullsToTop.toFixed(1),
      cost: number(c.after.expectedCostToTop, locale),
      was,
    });
  });
  const warnings = diff.warnings.map((w) =>
    s.budgetWarning({
      banner: bannerName(after, w.bannerId, locale),
      cost: number(w.expectedCost, locale),
      days: w.days,
      earned: number(w.dailyIncome, locale),
    }),
  );
  const liveBanners = preview.live.map((l) => bannerName(before, l.bannerId, locale)).join(', ');
  const live =
    preview.live.length === 0
      ? []
      : [
          (preview.token ? s.liveAnnounced : s.liveRefused)({
            banners: liveBanners,
            rates: ctx.mention('gacha rates'),
          }),
        ];
  const content = fit([
    head,
    capped(changes, s),
    lost.length > 0 ? [s.unobtainableTitle, ...capped(lost, s)] : [],
    odds.length > 0 ? [s.oddsTitle, ...capped(odds, s)] : [],
    capped(warnings, s),
    live,
  ]);
  if (!preview.token) return { content, ephemeral: true };
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(`gacha-admin:apply:${preview.token}:${ctx.userId}`)
      .setLabel(s.confirm)
      .setStyle(ButtonStyle.Danger),
    new ButtonBuilder()
      .setCustomId(`gacha-admin:discard:${preview.token}:${ctx.userId}`)
      .setLabel(s.cancel)
      .setStyle(ButtonStyle.Secondary),
  );
  return { content, components: [row], ephemeral: true };
}

/** The `live` option of edits that may touch running banners: refused by default. */
export function livePolicy(interaction: ChatInputCommandInteraction): LiveChangePolicy {
  return interaction.options.getString('live') === 'announce' ? 'announce' : 'refuse';
}

/** Stages `change` and answers with its preview. */
export async function stageCatalogChange(
  ctx: CommandContext,
  action: string,
  change: CatalogChange,
  live: LiveChangePolicy,
): Promise<CommandReply> {
  const preview = await ctx.admin.stageChange({ guildId: ctx.guildId, actorId: ctx.userId, action, change, live });
  return previewReply(preview, action, ctx);
}

/** Confirm and Cancel of a staged change (`gacha-admin:apply|discard:<token>:<author>`). */
export const CHANGE_BUTTONS: Readonly<Record<string, ButtonHandler>> = {
  async apply(_interaction, ctx, [token = '', actorId = '']) {
    const s = adminStrings(ctx.locale);
    if (actorId !== ctx.userId) return { content: s.expired, ephemeral: true };
    const result = await ctx.admin.confirmChange(ctx.guildId, ctx.userId, token);
    if (result.kind === 'expired') return { content: s.expired, components: [] };
    if (result.kind === 'stale') return { content: s.stale, components: [] };
    return {
      content: s.applied({ action: clip(result.action, 200), revision: result.snapshot.revision }),
      components: [],
    };
  },
  discard(_interaction, ctx, [token = '', actorId = '']) {
    const s = adminStrings(ctx.locale);
    if (actorId !== ctx.userId) return Promise.resolve({ content: s.expired, ephemeral: true });
    ctx.admin.dropChange(ctx.guildId, ctx.userId, token);
    return Promise.resolve({ content: s.cancelled, components: [] });
  },
};
