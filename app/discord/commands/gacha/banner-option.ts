/** The `banner` option shared by /gacha subcommands, and its autocomplete over open banners. */
import type { AutocompleteInteraction, SlashCommandStringOption } from 'discord.js';
import { activeBanners } from '../../../domain/catalog';
import type { CommandContext } from '../../command';

export function bannerOption(
  o: SlashCommandStringOption,
  required: boolean,
  en: string,
  ja: string,
): SlashCommandStringOption {
  return o
    .setName('banner')
    .setNameLocalizations({ ja: 'バナー' })
    .setDescription(en)
    .setDescriptionLocalizations({ ja })
    .setRequired(required)
    .setAutocomplete(true)
    .setMaxLength(64);
}

/** Open banners whose id or name (in the player's language) contains what was typed. */
export function autocompleteOpenBanner(
  interaction: AutocompleteInteraction,
  ctx: CommandContext,
): Promise<{ name: string; value: string }[]> {
  const typed = interaction.options.getFocused().toLowerCase();
  const open = activeBanners(ctx.settings.catalog, new Date());
  return Promise.resolve(
    open
      .filter((b) => b.id.includes(typed) || b.name[ctx.locale].toLowerCase().includes(typed))
      .slice(0, 25)
      .map((b) => ({ name: b.name[ctx.locale].slice(0, 100), value: b.id })),
  );
}
