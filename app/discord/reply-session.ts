/**
 * The answer to one interaction (slash command or button): deferred when no answer is ready after
 * `deferAfterMs` or when it must wait for a slot, then delivered in the form that fits — a reply,
 * an edit of the deferral, or a private follow-up. A command's deferral is a public "thinking…"
 * message; a button's is a silent acknowledgement after which its message is edited in place.
 *
 * Discord's 40060 ("already acknowledged") means another bot process answered first (release
 * overlap): the session is then `superseded` and sends nothing more.
 */
import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { Logger } from '../observability/logger';
import type { CommandReply } from './command';
import { isAlreadyAcknowledged } from './error-replies';

export type RepliableInteraction = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

export class ReplySession {
  private deferral: Promise<void> | null = null;
  private deferralFailed = false;
  private answering = false;
  private readonly timer: NodeJS.Timeout;
  /** Another process acknowledged this interaction first; it answers, this one stays silent. */
  superseded = false;

  constructor(
    private readonly interaction: RepliableInteraction,
    deferAfterMs: number,
    private readonly log: Logger,
  ) {
    this.timer = setTimeout(() => {
      if (!this.answering) void this.defer();
    }, deferAfterMs);
  }

  /** Acknowledges the interaction now (callbacks are not rate limited); the answer follows. */
  defer(): Promise<void> {
    this.deferral ??= (
      this.interaction.isButton() ? this.interaction.deferUpdate() : this.interaction.deferReply()
    ).then(
      () => undefined,
      (error: unknown) => {
        if (isAlreadyAcknowledged(error)) {
          this.superseded = true;
        } else {
          this.deferralFailed = true;
          this.log.warn({ err: error }, 'defer failed');
        }
      },
    );
    return this.deferral;
  }

  /**
   * Delivers the answer once. A failed delivery is not retried with another message: that would be
   * one more request to a route that just failed (and, past the 3 s window, an invalid one).
   */
  async send(reply: CommandReply): Promise<void> {
    this.answering = true;
    clearTimeout(this.timer);
    if (this.deferral) await this.deferral;
    if (this.superseded) return;
    if (this.deferralFailed) throw new Error('the interaction could not be acknowledged; no answer is possible');
    try {
      await this.deliver(reply, this.deferral !== null);
    } catch (error) {
      if (!isAlreadyAcknowledged(error)) throw error;
      this.superseded = true;
    }
  }

  /** Acknowledged already (deferred): a form can no longer be the answer. */
  get deferred(): boolean {
    return this.deferral !== null;
  }

  /** Stops the deferral timer (the interaction is finished, answered or not). */
  close(): void {
    clearTimeout(this.timer);
  }

  private async deliver(
    { ephemeral, modal, componentsV2, asNewMessage, allowedMentions, ...rest }: CommandReply,
    deferred: boolean,
  ): Promise<void> {
    const interaction = this.interaction;
    if (modal) {
      // A form can only be the first answer, and a form cannot answer a form.
      if (deferred || interaction.isModalSubmit()) throw new Error('a modal must be the first answer to a command');
      await interaction.showModal(modal);
      return;
    }
    // Nobody is pinged unless the reply names exactly who may be (e.g. the wishers of a drop).
    const payload = { ...rest, allowedMentions: allowedMentions ?? { parse: [] } };
    const v2 = componentsV2 ? { flags: [MessageFlags.IsComponentsV2] as const } : {};
    const flags: (MessageFlags.IsComponentsV2 | MessageFlags.Ephemeral)[] = [];
    if (componentsV2) flags.push(MessageFlags.IsComponentsV2);
    if (ephemeral) flags.push(MessageFlags.Ephemeral);
    const withFlags = flags.length > 0 ? { flags } : {};
    // A button's answer edits its message, unless it asks for a new one (or is private).
    const editsButtonMessage = interaction.isButton() && !ephemeral && !asNewMessage;
    if (!deferred) {
      if (editsButtonMessage) await interaction.update({ ...payload, ...v2 });
      else await interaction.reply({ ...payload, ...withFlags });
    } else if (!ephemeral && (interaction.isChatInputCommand() || editsButtonMessage)) {
      await interaction.editReply({ ...payload, ...v2 });
    } else {
      await interaction.followUp({ ...payload, ...withFlags });
      // A command's public "thinking…" message is replaced; a button's deferral left no message.
      if (!interaction.isButton()) await interaction.deleteReply();
    }
  }
}
