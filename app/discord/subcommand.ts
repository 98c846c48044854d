/**
 * A command made of subcommands, each in its own module: the subcommand declares its options, runs,
 * and may own buttons (by the action after the command name in the custom id) and autocomplete.
 * `composeCommand` turns the list into one BotCommand, so adding a subcommand is one new file and
 * one line in the command's list.
 */
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  ModalSubmitInteraction,
  SlashCommandBuilder,
  SlashCommandSubcommandBuilder,
} from 'discord.js';
import type { BotCommand, CommandContext, CommandReply, CooldownGroup } from './command';

export type ButtonHandler = (
  interaction: ButtonInteraction,
  ctx: CommandContext,
  args: readonly string[],
) => Promise<CommandReply>;

export type ModalHandler = (
  interaction: ModalSubmitInteraction,
  ctx: CommandContext,
  args: readonly string[],
) => Promise<CommandReply>;

export interface Subcommand {
  readonly name: string;
  /** Name, localisations, description and options (the name is set from `name`). */
  build(sc: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder;
  /** Overrides the command's cooldown group for this subcommand. */
  readonly cooldown?: CooldownGroup;
  execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<CommandReply>;
  /** Buttons `<command>:<action>:…`, by action; `args` are the parts after the action. */
  readonly buttons?: Readonly<Record<string, ButtonHandler>>;
  /**
   * The cooldown group a press of one of its buttons counts against (default 'none'), e.g. a pull
   * button counts like a pull; `args` are the parts after the action.
   */
  buttonCooldown?(action: string, args: readonly string[], ctx: CommandContext): CooldownGroup;
  /** Modal submits `<command>:<action>:…`, by action (a form this subcommand showed). */
  readonly modals?: Readonly<Record<string, ModalHandler>>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<{ name: string; value: string }[]>;
}

export interface ComposedCommandSpec {
  /** The command with its name, localisations, permissions and contexts, without subcommands. */
  readonly builder: SlashCommandBuilder;
  readonly adminOnly: boolean;
  readonly cooldown: CooldownGroup;
  readonly subcommands: readonly Subcommand[];
  /** Answer for a button whose action no subcommand owns (e.g. a message from an older build). */
  readonly unknownButton: (ctx: CommandContext) => CommandReply;
}

/** Finds the subcommand of a name and the button handler of an action (each has one owner). */
export interface SubcommandRouter {
  subcommand(name: string): Subcommand | undefined;
  button(action: string): ButtonHandler | undefined;
  /** The subcommand that owns a button action. */
  buttonOwner(action: string): Subcommand | undefined;
  modal(action: string): ModalHandler | undefined;
}

export function routeSubcommands(subcommands: readonly Subcommand[]): SubcommandRouter {
  const byName = new Map<string, Subcommand>();
  const buttons = new Map<string, ButtonHandler>();
  const owners = new Map<string, Subcommand>();
  const modals = new Map<string, ModalHandler>();
  for (const sub of subcommands) {
    if (byName.has(sub.name)) throw new Error(`duplicate subcommand ${sub.name}`);
    byName.set(sub.name, sub);
    for (const [action, handler] of Object.entries(sub.buttons ?? {})) {
      if (buttons.has(action)) throw new Error(`duplicate button action ${action}`);
      buttons.set(action, handler);
      owners.set(action, sub);
    }
    for (const [action, handler] of Object.entries(sub.modals ?? {})) {
      if (modals.has(action)) throw new Error(`duplicate modal action ${action}`);
      modals.set(action, handler);
    }
  }
  return {
    subcommand: (name) => byName.get(name),
    button: (action) => buttons.get(action),
    buttonOwner: (action) => owners.get(action),
    modal: (action) => modals.get(action),
  };
}

export function composeCommand(spec: ComposedCommandSpec): BotCommand {
  const router = routeSubcommands(spec.subcommands);
  for (const sub of spec.subcommands) spec.builder.addSubcommand((sc) => sub.build(sc).setName(sub.name));
  const subcommandOf = (name: string): Subcommand => {
    const sub = router.subcommand(name);
    if (!sub) throw new Error(`unknown subcommand ${name}`);
    return sub;
  };
  return {
    data: spec.builder.toJSON(),
    adminOnly: spec.adminOnly,
    cooldown: spec.cooldown,
    cooldownOf: (subcommand) => router.subcommand(subcommand)?.cooldown ?? spec.cooldown,
    buttonCooldownOf([action = '', ...rest], ctx) {
      return router.buttonOwner(action)?.buttonCooldown?.(action, rest, ctx) ?? 'none';
    },
    execute: (interaction, ctx) => subcommandOf(interaction.options.getSubcommand()).execute(interaction, ctx),
    button(interaction, ctx, args) {
      const [action = '', ...rest] = args;
      const handler = router.button(action);
      return handler ? handler(interaction, ctx, rest) : Promise.resolve(spec.unknownButton(ctx));
    },
    modal(interaction, ctx, args) {
      const [action = '', ...rest] = args;
      const handler = router.modal(action);
      return handler ? handler(interaction, ctx, rest) : Promise.resolve(spec.unknownButton(ctx));
    },
    autocomplete(interaction, ctx) {
      const sub = router.subcommand(interaction.options.getSubcommand());
      return sub?.autocomplete ? sub.autocomplete(interaction, ctx) : Promise.resolve([]);
    },
  };
}
