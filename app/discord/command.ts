/** What every slash command module provides, and what it is given to run. */
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  InteractionReplyOptions,
  ModalBuilder,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Locale } from '../domain/catalog';
import type { GuildSettings } from '../domain/guild-settings';
import type { AdminService } from '../services/admin-service';
import type { ArtService } from '../services/art-service';
import type { ExchangeService } from '../services/exchange-service';
import type { SocialService } from '../services/social-service';
import type { FairnessService } from '../services/fairness-service';
import type { TradeService } from '../services/trade-service';
import type { GachaService, SettingsSnapshot } from '../services/gacha-service';
import type { Mention } from './command-mentions';
import type { Messages } from './i18n';

/** The use cases commands call: the only way they reach or change data. */
export interface CommandServices {
  readonly gacha: GachaService;
  readonly admin: AdminService;
  readonly trades: TradeService;
  readonly exchange: ExchangeService;
  readonly art: ArtService;
  readonly social: SocialService;
  readonly fairness: FairnessService;
}

export interface CommandContext extends CommandServices {
  readonly guildId: string;
  readonly userId: string;
  readonly locale: Locale;
  readonly t: Messages;
  /** A clickable mention of another command (plain `/name` text when its id is unknown). */
  readonly mention: Mention;
  /** The currency's name in the reply's language (the server's, or the default). */
  readonly currencyName: string;
  /** The revision read once for this interaction: checks, use case and reply all use it. */
  readonly settingsSnapshot: SettingsSnapshot;
  /** `settingsSnapshot.settings`. */
  readonly settings: GuildSettings;
}

/**
 * A reply: what to send, and whether only the caller sees it — or a form (`modal`) to open, which
 * must be the first answer to a slash command or button (never after a deferral or to a form).
 */
export type CommandReply = Pick<
  InteractionReplyOptions,
  'content' | 'embeds' | 'components' | 'files' | 'allowedMentions'
> & {
  readonly ephemeral?: boolean;
  readonly modal?: ModalBuilder;
  /** A Components V2 message (no content or embeds; the flag is set on every send of it). */
  readonly componentsV2?: boolean;
  /** From a button: post a new message instead of editing the button's message. */
  readonly asNewMessage?: boolean;
};

/** Which cooldown a use counts against (the windows are the server's settings). */
export type CooldownGroup = 'pull' | 'other' | 'none';

export interface BotCommand {
  readonly data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** Checked on the server for every use, whatever Discord's default permissions say. */
  readonly adminOnly: boolean;
  readonly cooldown: CooldownGroup;
  /** The cooldown group of one subcommand, when they differ (default: `cooldown`). */
  cooldownOf?(subcommand: string): CooldownGroup;
  execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<CommandReply>;
  /**
   * The cooldown group of one press of a button (`args`: the custom id after the command name);
   * absent or 'none': buttons are not cooled down.
   */
  buttonCooldownOf?(args: readonly string[], ctx: CommandContext): CooldownGroup;
  /** Buttons whose custom id starts with `<command name>:`. */
  button?(interaction: ButtonInteraction, ctx: CommandContext, args: readonly string[]): Promise<CommandReply>;
  /** Modal submits whose custom id starts with `<command name>:`. */
  modal?(interaction: ModalSubmitInteraction, ctx: CommandContext, args: readonly string[]): Promise<CommandReply>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<{ name: string; value: string }[]>;
}
