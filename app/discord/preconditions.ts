/**
 * The checks every use passes before it runs, on the server whatever Discord's defaults say:
 * admin rights (from the member's resolved permissions), allowed channels, and cooldowns (slash
 * commands, and the buttons whose command names a group for them, e.g. the pull buttons; paging
 * and confirm buttons are not cooled down). Each returns the player's reason for a refusal, or null.
 */
import { PermissionFlagsBits, type PermissionsBitField } from 'discord.js';
import { LruCache } from '../shared/lru-cache';
import type { BotCommand, CommandContext, CooldownGroup } from './command';

/** One use of a command: a slash command or one of its buttons. */
export interface CommandUse {
  readonly kind: 'command' | 'button';
  readonly command: BotCommand;
  /** The slash command's subcommand, if it has one. */
  readonly subcommand?: string | null;
  /** A button's custom id after the command name (`[action, …]`). */
  readonly buttonArgs?: readonly string[];
  readonly ctx: CommandContext;
  readonly channelId: string;
  readonly memberPermissions: Readonly<PermissionsBitField> | null;
}

/** Admin commands need Manage Server; admins are not held to channels or cooldowns. */
export function adminRefusal(use: CommandUse): string | null {
  if (!use.command.adminOnly) return null;
  return use.memberPermissions?.has(PermissionFlagsBits.ManageGuild) === true ? null : use.ctx.t.adminOnly();
}

export function channelRefusal(use: CommandUse): string | null {
  const allowed = use.ctx.settings.allowedChannelIds;
  return allowed.length > 0 && !allowed.includes(use.channelId) ? use.ctx.t.notAllowedChannel() : null;
}

/** Per player, per cooldown group, the time of the last use (bounded memory). */
export class Cooldowns {
  private readonly lastUse = new LruCache<string, number>(20_000);

  constructor(private readonly now: () => number) {}

  /** Refuses a use inside the group's cooldown; otherwise records it. */
  refusal(use: CommandUse): string | null {
    const group = cooldownGroup(use);
    if (group === 'none') return null;
    const windowMs = use.ctx.settings.cooldownSeconds[group] * 1000;
    const key = `${use.ctx.guildId}:${use.ctx.userId}:${group}`;
    const last = this.lastUse.get(key);
    const now = this.now();
    if (last !== undefined && now - last < windowMs) {
      return use.ctx.t.cooldown({ seconds: Math.ceil((windowMs - (now - last)) / 1000) });
    }
    this.lastUse.set(key, now);
    return null;
  }
}

function cooldownGroup(use: CommandUse): CooldownGroup {
  const { command } = use;
  if (use.kind === 'button') return command.buttonCooldownOf?.(use.buttonArgs ?? [], use.ctx) ?? 'none';
  return use.subcommand && command.cooldownOf ? command.cooldownOf(use.subcommand) : command.cooldown;
}

/** Why this use is refused, or null: admin rights first, then (for others) channel and cooldown. */
export function refusal(use: CommandUse, cooldowns: Cooldowns): string | null {
  if (use.command.adminOnly) return adminRefusal(use);
  return channelRefusal(use) ?? cooldowns.refusal(use);
}
