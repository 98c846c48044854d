/** An admin change applied as a new settings revision (audited), answered with a confirmation. */
import type { ChatInputCommandInteraction } from 'discord.js';
import type { SettingsChange } from '../../../services/admin-service';
import type { CommandContext, CommandReply } from '../../command';

export async function applySettingsChange(
  interaction: ChatInputCommandInteraction,
  ctx: CommandContext,
  what: string,
  change: SettingsChange,
): Promise<CommandReply> {
  const sub = interaction.options.getSubcommand();
  await ctx.admin.changeSettings(ctx.guildId, ctx.userId, `${sub}: ${what}`, change);
  return { content: ctx.t.adminDone({ what }), ephemeral: true };
}
