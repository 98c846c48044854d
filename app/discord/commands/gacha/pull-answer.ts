/**
 * The answer to a pull (command or button) and the pull result's buttons: [Pull ×1] [Pull ×10]
 * charge like the command (the button's own interaction id is the operation key, so each press is
 * charged at most once) and count against the pull cooldown; [Odds] answers privately. Only the
 * player who pulled may use them; anyone else gets a private refusal.
 */
import type { PullResult } from '../../../services/gacha-service';
import type { RepliableInteraction } from '../../reply-session';
import { dropNotes } from './drop-notes';
import type { CommandContext, CommandReply, CooldownGroup } from '../../command';
import type { ButtonHandler } from '../../subcommand';
import { parsePullButtonId } from '../../views/pull-button-ids';
import { PULL_RESULT_STRINGS } from '../../views/pull-result-strings';
import { oddsReply, pullReply } from '../../views/pull-reply';

/**
 * The Components V2 result, with the picture when it can be drawn (text only otherwise); `notes`
 * are lines other features add below the status (already localised and safe to show).
 */
export async function pullAnswer(
  ctx: CommandContext,
  interaction: RepliableInteraction,
  result: PullResult,
): Promise<CommandReply> {
  const image = await ctx.art.pullImage(ctx.guildId, result.settings.catalog, result.items, ctx.locale);
  const owner = { id: ctx.userId, name: interaction.user.displayName };
  // Wishers of what dropped are named (and may be pinged: exactly them), and the shop's next step.
  const notes = await dropNotes(ctx, result);
  const reply = pullReply(result, owner, ctx.locale, image, notes.text ? [notes.text.slice(0, 900)] : [], ctx.mention);
  if (notes.mentionUserIds.length === 0) return reply;
  return { ...reply, allowedMentions: { parse: [], users: [...notes.mentionUserIds] } };
}

function refusal(ctx: CommandContext): CommandReply {
  return {
    content: PULL_RESULT_STRINGS[ctx.locale].notYours({ command: ctx.mention('gacha pull') }),
    allowedMentions: { parse: [] },
    ephemeral: true,
  };
}

function pullButton(count: 1 | 10): ButtonHandler {
  return async (interaction, ctx) => {
    const button = parsePullButtonId(interaction.customId);
    if (!button) return { content: ctx.t.expired(), ephemeral: true };
    if (button.ownerId !== ctx.userId) return refusal(ctx);
    const result = await ctx.gacha.pull(
      { guildId: ctx.guildId, userId: ctx.userId, interactionId: interaction.id },
      { count, bannerId: button.bannerId },
      ctx.settingsSnapshot,
    );
    return { ...(await pullAnswer(ctx, interaction, result)), asNewMessage: true };
  };
}

export const pullButtons: Readonly<Record<string, ButtonHandler>> = {
  p1: pullButton(1),
  p10: pullButton(10),
  odds: (interaction, ctx) => {
    const button = parsePullButtonId(interaction.customId);
    if (!button) return Promise.resolve({ content: ctx.t.expired(), ephemeral: true });
    if (button.ownerId !== ctx.userId) return Promise.resolve(refusal(ctx));
    return Promise.resolve(oddsReply(ctx.settings, button.bannerId, ctx.locale, ctx.mention));
  },
};

/** A pull button pressed by its owner counts like a pull; other presses are refused, not cooled down. */
export function pullButtonCooldown(action: string, args: readonly string[], ctx: CommandContext): CooldownGroup {
  return (action === 'p1' || action === 'p10') && args[0] === ctx.userId ? 'pull' : 'none';
}
