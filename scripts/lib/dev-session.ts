/**
 * What `npm run dev`'s REPL and HTTP endpoint share: sends commands and button presses to the bot
 * through the Discord simulator as a chosen user and locale, and waits for the answer.
 */
import { readFileSync } from 'node:fs';
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import {
  type DiscordSimulator,
  PERMISSION_MANAGE_GUILD,
  PLAIN_MEMBER_PERMISSIONS,
  type SimGuild,
  simSnowflake,
} from '../../test/discord-simulator/discord-simulator';
import { DevInputError, type FormattedReply, devUserId, formatReply, parseCommandLine } from './dev-commands';

export interface Caller {
  /** A name; the same name is the same player in every session. */
  readonly user: string;
  /** Discord locale, e.g. `ja` or `en-US`. */
  readonly locale: string;
  /** Has Manage Server (may use /gacha-admin). */
  readonly admin: boolean;
}

export interface DevAnswer extends FormattedReply {
  readonly interactionId: string;
  /** The raw reply payload, as Discord would have received it. */
  readonly data: Record<string, unknown>;
}

const LOCALE = /^[a-z]{2}(-[A-Z]{2})?$/;

export class DevSession {
  private readonly lastButtons = new Map<string, readonly string[]>();

  constructor(
    private readonly sim: DiscordSimulator,
    private readonly guild: SimGuild,
    private readonly commands: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[],
    private readonly answerTimeoutMs = 15_000,
  ) {}

  /** Sends a command line (`/gacha pull count:10`) as `caller` and waits for what they see. */
  async command(line: string, caller: Caller): Promise<DevAnswer> {
    const parsed = parseCommandLine(line, this.commands, {
      userId: devUserId,
      readFile: (path) => readFileSync(path, 'utf8'),
      snowflake: simSnowflake,
    });
    const id = this.sim.sendInteraction({
      guildId: this.guild.id,
      member: this.member(caller),
      locale: this.locale(caller),
      commandName: parsed.commandName,
      ...(parsed.subcommand ? { subcommand: parsed.subcommand } : {}),
      options: parsed.options,
      ...(parsed.attachments.length > 0 ? { attachments: parsed.attachments } : {}),
    });
    return this.answer(id, caller);
  }

  /** Presses button `button` (1-based) of the caller's last reply, or the button with that custom id. */
  async press(button: string, caller: Caller): Promise<DevAnswer> {
    const buttons = this.lastButtons.get(caller.user) ?? [];
    const customId = /^\d+$/.test(button) ? buttons[Number(button) - 1] : button;
    if (!customId) throw new DevInputError(`no button ${button}; the last reply had ${buttons.length}`);
    const [commandName = ''] = customId.split(':');
    const id = this.sim.sendInteraction({
      guildId: this.guild.id,
      member: this.member(caller),
      locale: this.locale(caller),
      commandName,
      customId,
    });
    return this.answer(id, caller);
  }

  private member(caller: Caller) {
    return {
      userId: devUserId(caller.user),
      username: caller.user.slice(0, 32),
      permissions: caller.admin
        ? String(PERMISSION_MANAGE_GUILD | BigInt(PLAIN_MEMBER_PERMISSIONS))
        : PLAIN_MEMBER_PERMISSIONS,
    };
  }

  private locale(caller: Caller): string {
    if (!LOCALE.test(caller.locale)) throw new DevInputError(`"${caller.locale}" is not a Discord locale (ja, en-US…)`);
    return caller.locale;
  }

  private async answer(interactionId: string, caller: Caller): Promise<DevAnswer> {
    const reply = await this.sim.waitForAnswer(interactionId, this.answerTimeoutMs);
    const formatted = formatReply(reply.data);
    this.lastButtons.set(caller.user, formatted.buttons);
    return { interactionId, data: reply.data, ...formatted };
  }
}
