/**
 * One place where every interaction is checked, run and answered: admin rights (on the server,
 * not only Discord's defaults), allowed channels, cooldowns, a deferral if the work is slow, and
 * errors turned into a friendly, localized, ephemeral reply — never a stack trace.
 */
import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord.js';
import { GachaError, isGachaError } from '../domain/errors';
import type { Logger } from '../observability/logger';
import { LruCache } from '../storage/lru-cache';
import type { BotCommand, CommandContext, CommandReply, CommandServices } from './command';
import { localeFrom, messages, type Messages } from './i18n';

export interface InteractionHandlerOptions {
  /** Defer when no answer is ready after this long (Discord's deadline is 3 s). */
  readonly deferAfterMs?: number;
  /** Commands run at once; the rest wait their turn, deferred at once so Discord's deadline holds. */
  readonly maxConcurrent?: number;
  /**
   * Commands allowed to wait for a slot. Beyond that an interaction is answered at once with a
   * "busy, try again" error (nothing charged), so a burst cannot grow memory without bound.
   */
  readonly maxQueued?: number;
  readonly now?: () => number;
}

export interface InteractionOutcome {
  readonly command: string;
  readonly outcome: 'ok' | 'rejected' | 'error' | 'ignored';
  readonly latencyMs: number;
}

export class InteractionHandler {
  private readonly commands: ReadonlyMap<string, BotCommand>;
  private readonly cooldowns = new LruCache<string, number>(20_000);
  private readonly inFlight = new Set<Promise<unknown>>();
  private accepting = true;
  private readonly deferAfterMs: number;
  private readonly now: () => number;
  private readonly maxConcurrent: number;
  private readonly maxQueued: number;
  private running = 0;
  /** Interactions past the busy check that have no command slot yet. */
  private pending = 0;
  private readonly waiting: (() => void)[] = [];
  /** Called once per handled interaction (access log, metrics). */
  onOutcome: (outcome: InteractionOutcome, interaction: Interaction) => void = () => undefined;

  constructor(
    private readonly services: CommandServices,
    commands: readonly BotCommand[],
    private readonly log: Logger,
    options: InteractionHandlerOptions = {},
  ) {
    this.commands = new Map(commands.map((c) => [c.data.name, c]));
    this.deferAfterMs = options.deferAfterMs ?? 1_500;
    this.maxConcurrent = options.maxConcurrent ?? 32;
    this.maxQueued = options.maxQueued ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  /** Entry point for the client's interactionCreate event. */
  handle(interaction: Interaction): void {
    if (!this.accepting) return;
    const work = this.dispatch(interaction).catch((error: unknown) => {
      this.log.error({ err: error }, 'interaction failed');
    });
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** Stops taking interactions and waits (bounded) for those in flight. */
  async drain(timeoutMs: number): Promise<number> {
    this.accepting = false;
    const pending = [...this.inFlight];
    await Promise.race([Promise.allSettled(pending), new Promise((r) => setTimeout(r, timeoutMs))]);
    return this.inFlight.size;
  }

  private async dispatch(interaction: Interaction): Promise<void> {
    if (interaction.isChatInputCommand()) await this.chatInput(interaction);
    else if (interaction.isButton()) await this.button(interaction);
    else if (interaction.isAutocomplete()) await this.autocomplete(interaction);
  }

  private async context(interaction: ChatInputCommandInteraction | ButtonInteraction | AutocompleteInteraction) {
    const guildId = interaction.guildId ?? '';
    const settingsSnapshot = await this.services.gacha.settingsFor(guildId);
    const { settings } = settingsSnapshot;
    const locale = localeFrom(interaction.locale, settings.locale);
    const ctx: CommandContext = {
      guildId,
      userId: interaction.user.id,
      locale,
      t: messages(locale),
      settingsSnapshot,
      settings,
      gacha: this.services.gacha,
      admin: this.services.admin,
    };
    return ctx;
  }

  private async chatInput(interaction: ChatInputCommandInteraction): Promise<void> {
    const started = this.now();
    const command = this.commands.get(interaction.commandName);
    if (!command || !interaction.inGuild()) {
      this.onOutcome({ command: interaction.commandName, outcome: 'ignored', latencyMs: 0 }, interaction);
      return;
    }
    /** Set once the interaction is (being) deferred; answers wait for it to complete. */
    let deferral: Promise<unknown> | null = null;
    let answered = false;
    const defer = (): Promise<unknown> => {
      deferral ??= interaction.deferReply().catch((error: unknown) => {
        this.log.warn({ err: error }, 'defer failed');
      });
      return deferral;
    };
    const deferTimer = setTimeout(() => {
      if (!answered) void defer();
    }, this.deferAfterMs);
    const send = async (reply: CommandReply): Promise<void> => {
      answered = true;
      const deferred = deferral !== null;
      if (deferral) await deferral;
      clearTimeout(deferTimer);
      const { ephemeral, ...payload } = reply;
      if (!deferred) {
        await interaction.reply({ ...payload, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
      } else if (ephemeral) {
        // The deferral was public: replace it with a message only the caller sees.
        await interaction.followUp({ ...payload, flags: MessageFlags.Ephemeral });
        await interaction.deleteReply();
      } else {
        await interaction.editReply(payload);
      }
    };
    let outcome: InteractionOutcome['outcome'] = 'ok';
    let ctx: CommandContext | undefined;
    if (this.running >= this.maxConcurrent && this.pending >= this.maxQueued) {
      // Overloaded: say so now instead of queueing (no database work, nothing charged).
      const t = messages(localeFrom(interaction.locale, 'en'));
      await send({ content: errorText(new GachaError('busy', 'queue full'), t), ephemeral: true }).catch(
        (error: unknown) => {
          this.log.warn({ err: error }, 'could not deliver the busy answer');
        },
      );
      clearTimeout(deferTimer);
      this.onOutcome({ command: command.data.name, outcome: 'rejected', latencyMs: this.now() - started }, interaction);
      return;
    }
    // Counted from here until a slot is ours (including the deferral), so a burst sees the line.
    this.pending++;
    try {
      if (this.running >= this.maxConcurrent) {
        // Busy: acknowledge now (callbacks are not rate limited) and answer when a slot frees.
        await defer();
      }
      await this.acquire();
    } finally {
      this.pending--;
    }
    try {
      let reply: CommandReply;
      try {
        ctx = await this.context(interaction);
        const refusal = this.refusal(interaction, command, ctx);
        if (refusal) {
          outcome = 'rejected';
          reply = { content: refusal, ephemeral: true };
        } else {
          reply = await command.execute(interaction, ctx);
        }
      } catch (error) {
        outcome = isGachaError(error) ? 'rejected' : 'error';
        if (!isGachaError(error)) this.log.error({ err: error, command: command.data.name }, 'command failed');
        reply = {
          content: errorText(error, ctx?.t ?? messages(localeFrom(interaction.locale, 'en'))),
          ephemeral: true,
        };
      }
      // A failed delivery is not retried with another message: that would be one more request to a
      // route that just failed (and, past the 3 s window, an invalid one).
      await send(reply).catch((sendError: unknown) => {
        outcome = 'error';
        this.log.warn({ err: sendError, command: command.data.name }, 'could not deliver the answer');
      });
    } finally {
      this.release();
      clearTimeout(deferTimer);
      this.onOutcome({ command: command.data.name, outcome, latencyMs: this.now() - started }, interaction);
    }
  }

  private async acquire(): Promise<void> {
    if (this.running < this.maxConcurrent) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot to the next waiting command, or frees it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  /** Why this use is refused, or null. Admin rights come from the member's resolved permissions. */
  private refusal(interaction: ChatInputCommandInteraction, command: BotCommand, ctx: CommandContext): string | null {
    if (command.adminOnly) {
      return interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) === true ? null : ctx.t.adminOnly();
    }
    const allowed = ctx.settings.allowedChannelIds;
    if (allowed.length > 0 && !allowed.includes(interaction.channelId)) return ctx.t.notAllowedChannel();
    if (command.cooldown !== 'none') {
      const seconds = ctx.settings.cooldownSeconds[command.cooldown];
      const key = `${ctx.guildId}:${ctx.userId}:${command.cooldown}`;
      const last = this.cooldowns.get(key);
      const now = this.now();
      if (last !== undefined && now - last < seconds * 1000) {
        return ctx.t.cooldown({ seconds: Math.ceil((seconds * 1000 - (now - last)) / 1000) });
      }
      this.cooldowns.set(key, now);
    }
    return null;
  }

  private async button(interaction: ButtonInteraction): Promise<void> {
    const started = this.now();
    const [name = '', ...args] = interaction.customId.split(':');
    const command = this.commands.get(name);
    if (!command?.button || !interaction.inGuild()) return;
    let outcome: InteractionOutcome['outcome'] = 'ok';
    try {
      const ctx = await this.context(interaction);
      if (command.adminOnly && !interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
        outcome = 'rejected';
        await interaction.reply({ content: ctx.t.adminOnly(), flags: MessageFlags.Ephemeral });
        return;
      }
      const { ephemeral, ...payload } = await command.button(interaction, ctx, args);
      if (ephemeral) await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
      else await interaction.update(payload);
    } catch (error) {
      outcome = isGachaError(error) ? 'rejected' : 'error';
      if (!isGachaError(error)) this.log.error({ err: error, button: name }, 'button failed');
      const content = errorText(error, messages(localeFrom(interaction.locale, 'en')));
      await interaction.reply({ content, flags: MessageFlags.Ephemeral }).catch(() => undefined);
    } finally {
      this.onOutcome({ command: `${name}:button`, outcome, latencyMs: this.now() - started }, interaction);
    }
  }

  private async autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const command = this.commands.get(interaction.commandName);
    if (!command?.autocomplete || !interaction.inGuild()) return;
    const ctx = await this.context(interaction);
    await interaction.respond(await command.autocomplete(interaction, ctx));
  }
}

/** What a player reads for an error: the localized reason, or a generic apology (never a stack trace). */
function errorText(error: unknown, t: Messages): string {
  return isGachaError(error)
    ? t.errors[error.code]({ ...flatten(error.details), message: error.message })
    : t.internalError();
}

function flatten(details: Readonly<Record<string, unknown>>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(details)) {
    if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  }
  return out;
}
