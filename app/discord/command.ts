/** What every slash command module provides, and what it is given to run. */
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  InteractionReplyOptions,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Locale } from '../domain/catalog';
import type { GuildSettings } from '../domain/guild-settings';
import type { GachaService } from '../services/gacha-service';
import type { Messages } from './i18n';

export interface CommandContext {
  readonly guildId: string;
  readonly userId: string;
  readonly locale: Locale;
  readonly t: Messages;
  readonly settings: GuildSettings;
  readonly gacha: GachaService;
}

/** A reply: what to send, and whether only the caller sees it. */
export type CommandReply = Pick<InteractionReplyOptions, 'content' | 'embeds' | 'components' | 'files'> & {
  readonly ephemeral?: boolean;
};

export interface BotCommand {
  readonly data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** Checked on the server for every use, whatever Discord's default permissions say. */
  readonly adminOnly: boolean;
  readonly cooldown: 'pull' | 'other' | 'none';
  execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<CommandReply>;
  /** Buttons whose custom id starts with `<command name>:`. */
  button?(interaction: ButtonInteraction, ctx: CommandContext, args: readonly string[]): Promise<CommandReply>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<{ name: string; value: string }[]>;
}
