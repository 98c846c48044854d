/**
 * Routes every interaction: slash commands, buttons and modal submits take the same path — admission (bounded
 * concurrency, "busy" beyond the line), a reply session (deferral when slow or waiting),
 * preconditions (admin rights, channels, cooldowns), the command, and errors turned into a private,
 * localized reply. Autocomplete cannot be deferred, so it never waits for a slot.
 */
import type { AutocompleteInteraction, Interaction } from 'discord.js';
import type { InteractionOutcome } from '../contracts/interaction-outcome';
import { isGachaError } from '../domain/errors';
import type { Logger } from '../observability/logger';
import { Admission } from './admission';
import type { BotCommand, CommandContext, CommandReply, CommandServices } from './command';
import { busyReply, errorReply, isAlreadyAcknowledged } from './error-replies';
import { CommandMentions } from './command-mentions';
import type { Locale } from '../domain/catalog';
import { currencyNameOf } from '../domain/guild-settings';
import { localeFrom, messages } from './i18n';
import { Cooldowns, refusal } from './preconditions';
import { type RepliableInteraction, ReplySession } from './reply-session';

/** Time autocomplete may take before it answers with no suggestions (Discord waits 3 s). */
const AUTOCOMPLETE_BUDGET_MS = 2_000;
/**
 * The waiting line's defaults. Every interaction in line was deferred, so its answer is an edit
 * (PATCH), which discord.js sends at most 50 per second: a line of 256 takes ~5 s of edits to
 * answer, and with at most 10 s of waiting the line drains in ~15 s after a load stops (a line of
 * 1,000 without a wait bound took minutes to drain at the database's pace).
 */
/** Command slots: interactions that do work at once (the stall warning in main.ts counts them too). */
export const DEFAULT_MAX_CONCURRENT = 32;
const DEFAULT_MAX_QUEUED = 256;
const DEFAULT_MAX_WAIT_MS = 10_000;

export interface InteractionHandlerOptions {
  /** Defer when no answer is ready after this long (Discord's deadline is 3 s). */
  readonly deferAfterMs?: number;
  /** Commands and buttons run at once; the rest wait their turn, deferred at once. */
  readonly maxConcurrent?: number;
  /**
   * Uses allowed to wait for a slot. Beyond that an interaction is answered at once with a
   * "busy, try again" error (nothing charged), so a burst cannot grow memory without bound.
   */
  readonly maxQueued?: number;
  /**
   * Longest wait in line for a slot: an interaction whose slot comes later than this is answered
   * "busy" (nothing charged) instead of running, so the line drains within about this time once
   * the load stops, however slow the database has become.
   */
  readonly maxWaitMs?: number;
  readonly now?: () => number;
  /** The registered commands' ids, for clickable mentions (learned at ready; text until then). */
  readonly mentions?: CommandMentions;
}

/** A slash command or button resolved to its command and the work to run. */
interface Route {
  readonly interaction: RepliableInteraction;
  readonly command: BotCommand;
  /** Name in the access log and metrics: the command, or `<command>:button`. */
  readonly label: string;
  run(ctx: CommandContext): Promise<CommandReply>;
}

export class InteractionHandler {
  private readonly commands: ReadonlyMap<string, BotCommand>;
  private readonly inFlight = new Set<Promise<unknown>>();
  private accepting = true;
  private readonly deferAfterMs: number;
  private readonly maxWaitMs: number;
  private readonly now: () => number;
  private readonly admission: Admission;
  private readonly cooldowns: Cooldowns;
  readonly mentions: CommandMentions;
  /** Called once per handled slash command or button (access log, metrics). */
  onOutcome: (outcome: InteractionOutcome, interaction: Interaction) => void = () => undefined;

  constructor(
    private readonly services: CommandServices,
    commands: readonly BotCommand[],
    private readonly log: Logger,
    options: InteractionHandlerOptions = {},
  ) {
    this.commands = new Map(commands.map((c) => [c.data.name, c]));
    this.deferAfterMs = options.deferAfterMs ?? 1_500;
    this.now = options.now ?? Date.now;
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.admission = new Admission(
      options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT,
      options.maxQueued ?? DEFAULT_MAX_QUEUED,
    );
    this.cooldowns = new Cooldowns(this.now);
    this.mentions = options.mentions ?? new CommandMentions();
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

  /** Interactions being handled, and the admission's slots and line (diagnostics). */
  stats(): { readonly inFlight: number; readonly running: number; readonly waiting: number; readonly pending: number } {
    return { inFlight: this.inFlight.size, ...this.admission.stats() };
  }

  /** Stops taking interactions and waits (bounded) for those in flight. */
  async drain(timeoutMs: number): Promise<number> {
    this.accepting = false;
    const pending = [...this.inFlight];
    await Promise.race([Promise.allSettled(pending), new Promise((r) => setTimeout(r, timeoutMs))]);
    return this.inFlight.size;
  }

  private async dispatch(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) {
      await this.autocomplete(interaction);
      return;
    }
    if (!interaction.isChatInputCommand() && !interaction.isButton() && !interaction.isModalSubmit()) return;
    const route = this.route(interaction);
    if (!route || !interaction.inGuild()) {
      const label = interaction.isChatInputCommand()
        ? interaction.commandName
        : `${interaction.customId.split(':')[0] ?? ''}:${interaction.isButton() ? 'button' : 'modal'}`;
      this.onOutcome({ command: label, outcome: 'ignored', latencyMs: 0 }, interaction);
      return;
    }
    await this.run(route);
  }

  private route(interaction: RepliableInteraction): Route | null {
    if (interaction.isChatInputCommand()) {
      const command = this.commands.get(interaction.commandName);
      if (!command) return null;
      return { interaction, command, label: command.data.name, run: (ctx) => command.execute(interaction, ctx) };
    }
    const [name = '', ...args] = interaction.customId.split(':');
    const command = this.commands.get(name);
    if (interaction.isModalSubmit()) {
      const modal = command?.modal?.bind(command);
      if (!command || !modal) return null;
      return { interaction, command, label: `${name}:modal`, run: (ctx) => modal(interaction, ctx, args) };
    }
    const button = command?.button?.bind(command);
    if (!command || !button) return null;
    return { interaction, command, label: `${name}:button`, run: (ctx) => button(interaction, ctx, args) };
  }

  private async context(interaction: RepliableInteraction | AutocompleteInteraction): Promise<CommandContext> {
    const guildId = interaction.guildId ?? '';
    const settingsSnapshot = await this.services.gacha.settingsFor(guildId);
    const { settings } = settingsSnapshot;
    const locale = localeFrom(interaction.locale, settings.locale);
    const ctx: CommandContext = {
      guildId,
      userId: interaction.user.id,
      locale,
      t: messages(locale),
      mention: this.mentions.mention,
      currencyName: currencyNameOf(settings, locale),
      settingsSnapshot,
      settings,
      gacha: this.services.gacha,
      admin: this.services.admin,
      trades: this.services.trades,
      exchange: this.services.exchange,
      art: this.services.art,
      social: this.services.social,
      fairness: this.services.fairness,
    };
    return ctx;
  }

  /** The one path of a slash command or button: admit, check, run, answer, report. */
  private async run(route: Route): Promise<void> {
    const { interaction } = route;
    const started = this.now();
    const session = new ReplySession(interaction, this.deferAfterMs, this.log);
    const report = (outcome: InteractionOutcome['outcome']): void => {
      session.close();
      const reported = session.superseded ? 'superseded' : outcome;
      if (reported === 'superseded') {
        this.log.info({ command: route.label }, 'interaction answered by another process (already acknowledged)');
      }
      this.onOutcome({ command: route.label, outcome: reported, latencyMs: this.now() - started }, interaction);
    };
    // Before the server's settings are read, a player of another language gets English.
    const fallback = (): Locale => localeFrom(interaction.locale, 'en');
    if (this.admission.full) {
      // Overloaded: say so now instead of queueing (no database work, nothing charged).
      await session.send(busyReply(fallback())).catch((error: unknown) => {
        this.log.warn({ err: error }, 'could not deliver the busy answer');
      });
      report('rejected');
      return;
    }
    // Waiting for a slot: acknowledge now (callbacks are not rate limited), answer when it frees.
    const queuedAt = this.now();
    const line = { waited: false };
    const release = await this.admission.enter(() => {
      line.waited = true;
      return session.defer();
    }, this.maxWaitMs);
    if (release === null) {
      // No slot within maxWaitMs (the database is behind, or work is stuck): say so, never silence.
      await session.send(busyReply(fallback())).catch((error: unknown) => {
        this.log.warn({ err: error }, 'could not deliver the busy answer');
      });
      report('rejected');
      return;
    }
    let outcome: InteractionOutcome['outcome'] = 'ok';
    try {
      // Another process acknowledged it while this one waited: it does the work and answers.
      if (session.superseded) return;
      if (line.waited && this.now() - queuedAt > this.maxWaitMs) {
        // Waited too long: the database is behind. Say so rather than add to its work.
        outcome = 'rejected';
        await session.send(busyReply(fallback())).catch((error: unknown) => {
          this.log.warn({ err: error }, 'could not deliver the busy answer');
        });
        return;
      }
      let reply: CommandReply;
      let ctx: CommandContext | undefined;
      try {
        ctx = await this.context(interaction);
        const refused = refusal(
          {
            // A modal submit is checked like a button: admin rights, no cooldown.
            kind: interaction.isChatInputCommand() ? 'command' : 'button',
            command: route.command,
            subcommand: interaction.isChatInputCommand() ? interaction.options.getSubcommand(false) : null,
            ...(interaction.isButton() ? { buttonArgs: interaction.customId.split(':').slice(1) } : {}),
            ctx,
            channelId: interaction.channelId ?? '',
            memberPermissions: interaction.memberPermissions,
          },
          this.cooldowns,
        );
        if (refused !== null) outcome = 'rejected';
        reply = refused !== null ? { content: refused, ephemeral: true } : await route.run(ctx);
      } catch (error) {
        outcome = isGachaError(error) ? 'rejected' : 'error';
        if (outcome === 'error') this.log.error({ err: error, command: route.label }, 'command failed');
        reply = errorReply(error, ctx?.locale ?? fallback(), {
          mention: this.mentions.mention,
          ...(ctx ? { currencyName: ctx.currencyName } : {}),
        });
      }
      if (reply.modal && session.deferred) {
        // A form can only be the first answer, and this interaction was acknowledged while its form
        // was prepared (a slow database): the member is asked privately to press again.
        outcome = 'rejected';
        reply = busyReply(ctx?.locale ?? fallback());
      }
      await session.send(reply).catch((error: unknown) => {
        outcome = 'error';
        this.log.warn({ err: error, command: route.label }, 'could not deliver the answer');
      });
    } finally {
      release();
      report(outcome);
    }
  }

  /**
   * Autocomplete must be answered within 3 s and cannot be deferred: it never waits for a command
   * slot (its work is a cached settings read), and if the suggestions are not ready within
   * AUTOCOMPLETE_BUDGET_MS it answers with none rather than miss the deadline.
   */
  private async autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const command = this.commands.get(interaction.commandName);
    if (!command?.autocomplete || !interaction.inGuild()) return;
    const suggest = command.autocomplete.bind(command);
    let timer: NodeJS.Timeout | undefined;
    const choices = await Promise.race([
      this.context(interaction).then((ctx) => suggest(interaction, ctx)),
      new Promise<[]>((resolve) => {
        timer = setTimeout(() => {
          resolve([]);
        }, AUTOCOMPLETE_BUDGET_MS);
      }),
    ]).finally(() => {
      clearTimeout(timer);
    });
    await interaction.respond(choices).catch((error: unknown) => {
      if (!isAlreadyAcknowledged(error)) throw error;
      this.log.debug({ command: command.data.name }, 'autocomplete answered by another process');
    });
  }
}
