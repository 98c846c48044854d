/** An admin change applied as a new settings revision (audited), answered with a localized confirmation. */
import type { ChatInputCommandInteraction } from 'discord.js';
import type { Locale } from '../../../domain/catalog';
import { currencyNameOf, type GuildSettings } from '../../../domain/guild-settings';
import type { SettingsChange } from '../../../services/admin-service';
import type { CommandContext, CommandReply } from '../../command';
import type { AdminDoneMessages } from '../../i18n';

export interface AdminEdit {
  /** The audit log's note (for operators, English, bounded): what changed. */
  readonly audit: string;
  readonly apply: SettingsChange;
  /** The admin's confirmation, from the settings as stored (so it names what is now in force). */
  readonly done: (t: AdminDoneMessages, after: GuildSettings, view: { locale: Locale; currency: string }) => string;
}

export async function applySettingsChange(
  interaction: ChatInputCommandInteraction,
  ctx: CommandContext,
  edit: AdminEdit,
): Promise<CommandReply> {
  const sub = interaction.options.getSubcommand();
  const audit = `${sub}: ${edit.audit}`.slice(0, 500);
  const { settings } = await ctx.admin.changeSettings(ctx.guildId, ctx.userId, audit, edit.apply);
  const view = { locale: ctx.locale, currency: currencyNameOf(settings, ctx.locale) };
  return { content: edit.done(ctx.t.adminDone, settings, view).slice(0, 2_000), ephemeral: true };
}
