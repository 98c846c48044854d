/** Embeds with rarity colours and emojis; a 10-pull puts the best result first and in the colour. */
import { EmbedBuilder } from 'discord.js';
import type { Catalog, Locale, TierDefinition } from '../domain/catalog';
import type { PulledItem } from '../domain/pull-engine';
import type { Messages } from './i18n';

export function tierOf(catalog: Catalog, tierId: string): TierDefinition | undefined {
  return catalog.tiers.find((t) => t.id === tierId);
}

export function itemName(catalog: Catalog, itemId: string, locale: Locale): string {
  return catalog.items.find((i) => i.id === itemId)?.name[locale] ?? itemId;
}

export function pullEmbed(args: {
  catalog: Catalog;
  locale: Locale;
  t: Messages;
  title: string;
  footer: string;
  items: readonly PulledItem[];
}): EmbedBuilder {
  const { catalog, locale, t, items } = args;
  const rank = (item: PulledItem) => tierOf(catalog, item.tierId)?.rank ?? 0;
  const best = items.reduce<PulledItem | undefined>((b, item) => (!b || rank(item) > rank(b) ? item : b), undefined);
  const bestTier = best ? tierOf(catalog, best.tierId) : undefined;
  const line = (item: PulledItem, emphasise: boolean) => {
    const tier = tierOf(catalog, item.tierId);
    const name = itemName(catalog, item.itemId, locale);
    const tags = [
      item.featured ? t.featured() : null,
      item.duplicate ? t.duplicate({ shards: item.shardsGained }) : t.newItem(),
    ].filter(Boolean);
    const label = emphasise ? `**${name}**` : name;
    return `${tier?.emoji ?? ''} ${tier?.id ?? ''} ${label} — ${tags.join(' · ')}`;
  };
  const embed = new EmbedBuilder()
    .setTitle(args.title)
    .setColor(bestTier?.color ?? 0x5865f2)
    .setFooter({ text: args.footer });
  if (items.length === 1 && best) {
    embed.setDescription(line(best, true));
  } else if (best) {
    const rest = items.filter((i) => i !== best).sort((a, b) => rank(b) - rank(a));
    embed.setDescription([`★ ${line(best, true)}`, '', ...rest.map((i) => line(i, rank(i) >= rank(best)))].join('\n'));
  }
  return embed;
}
