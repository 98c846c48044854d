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
import type { AdminService } from '../services/admin-service';
import type { ExchangeService } from '../services/exchange-service';
import type { FairnessService } from '../services/fairness-service';
import type { TradeService } from '../services/trade-service';
import type { GachaService, SettingsSnapshot } from '../services/gacha-service';
import type { Messages } from './i18n';

/** The use cases commands call: the only way they reach or change data. */
export interface CommandServices {
  readonly gacha: GachaService;
  readonly admin: AdminService;
  readonly trades: TradeService;
  readonly exchange: ExchangeService;
  readonly fairness: FairnessService;
}

export interface CommandContext extends CommandServices {
  readonly guildId: string;
  readonly userId: string;
  readonly locale: Locale;
  readonly t: Messages;
  /** The revision read once for this interaction: checks, use case and reply all use it. */
  readonly settingsSnapshot: SettingsSnapshot;
  /** `settingsSnapshot.settings`. */
  readonly settings: GuildSettings;
}

/** A reply: what to send, and whether only the caller sees it. */
export type CommandReply = Pick<InteractionReplyOptions, 'content' | 'embeds' | 'components' | 'files'> & {
  readonly ephemeral?: boolean;
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
  /** Buttons whose custom id starts with `<command name>:`. */
  button?(interaction: ButtonInteraction, ctx: CommandContext, args: readonly string[]): Promise<CommandReply>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<{ name: string; value: string }[]>;
}
