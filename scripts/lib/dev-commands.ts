/**
 * `npm run dev`'s command language: turns a line like `/gacha pull count:10` into the interaction
 * the Discord simulator sends (options typed from the bot's own command definitions), names into
 * stable user ids, and the bot's reply into readable text.
 */
import { createHash } from 'node:crypto';
import {
  ApplicationCommandOptionType as OPTION,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

export class DevInputError extends Error {
  override readonly name = 'DevInputError';
}

export interface ParsedOption {
  readonly name: string;
  readonly type: number;
  readonly value: string | number | boolean;
}

export interface ParsedCommand {
  readonly commandName: string;
  readonly subcommand?: string;
  readonly options: readonly ParsedOption[];
  readonly attachments: readonly { id: string; filename: string; content: string }[];
}

export interface ParseEnvironment {
  /** The user id behind a name (for user options). */
  readonly userId: (name: string) => string;
  /** The content of a file given as `option:@path` (attachment options). */
  readonly readFile: (path: string) => string;
  /** A fresh snowflake for an attachment id. */
  readonly snowflake: () => string;
}

/** A stable 18-digit user id for a name, so `alice` is the same player in every session. */
export function devUserId(name: string): string {
  const hash = BigInt(`0x${createHash('sha256').update(name).digest('hex').slice(0, 15)}`);
  return String(100_000_000_000_000_000n + (hash % 800_000_000_000_000_000n));
}

/** Splits on spaces, keeping "double" or 'single' quoted parts together (quotes removed). */
export function tokenize(line: string): string[] {
  const tokens = line.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
  return tokens.map((token) =>
    token.replace(/"([^"]*)"|'([^']*)'/g, (_match, double?: string, single?: string) => double ?? single ?? ''),
  );
}

type OptionDefinition = NonNullable<RESTPostAPIChatInputApplicationCommandsJSONBody['options']>[number];

function names(options: readonly { name: string }[]): string {
  return options.map((o) => o.name).join(', ') || '(none)';
}

function optionValue(definition: OptionDefinition, raw: string, env: ParseEnvironment): string | number | boolean {
  switch (definition.type) {
    case OPTION.Integer: {
      if (!/^-?\d+$/.test(raw)) throw new DevInputError(`${definition.name} takes an integer, not "${raw}"`);
      return Number(raw);
    }
    case OPTION.Number: {
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value)) throw new DevInputError(`${definition.name} takes a number`);
      return value;
    }
    case OPTION.Boolean: {
      if (raw !== 'true' && raw !== 'false') throw new DevInputError(`${definition.name} takes true or false`);
      return raw === 'true';
    }
    case OPTION.User:
      return /^\d{17,19}$/.test(raw) ? raw : env.userId(raw.replace(/^@/, ''));
    default:
      return raw;
  }
}

/**
 * Parses `/command [subcommand] name:value …` against the bot's command definitions. An attachment
 * option takes `@path` (the file is read and attached).
 */
export function parseCommandLine(
  line: string,
  commands: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[],
  env: ParseEnvironment,
): ParsedCommand {
  const [head, ...rest] = tokenize(line.trim());
  if (!head?.startsWith('/')) throw new DevInputError('a command starts with /, e.g. /gacha pull');
  const command = commands.find((c) => c.name === head.slice(1));
  if (!command) throw new DevInputError(`unknown command ${head}; commands: ${names(commands)}`);
  let definitions: readonly OptionDefinition[] = command.options ?? [];
  let subcommand: string | undefined;
  const subcommands = definitions.filter((o) => o.type === OPTION.Subcommand || o.type === OPTION.SubcommandGroup);
  if (subcommands.length > 0) {
    const name = rest.shift();
    const chosen = subcommands.find((o) => o.name === name);
    if (!chosen) throw new DevInputError(`${head} needs a subcommand: ${names(subcommands)}`);
    if (chosen.type === OPTION.SubcommandGroup) throw new DevInputError('subcommand groups are not supported');
    subcommand = chosen.name;
    definitions = chosen.options ?? [];
  }
  const options: ParsedOption[] = [];
  const attachments: { id: string; filename: string; content: string }[] = [];
  for (const token of rest) {
    const colon = token.indexOf(':');
    if (colon <= 0) throw new DevInputError(`options are written name:value, not "${token}"`);
    const name = token.slice(0, colon);
    const raw = token.slice(colon + 1);
    const definition = definitions.find((o) => o.name === name);
    if (!definition) throw new DevInputError(`unknown option ${name}; options: ${names(definitions)}`);
    if (definition.type === OPTION.Attachment) {
      if (!raw.startsWith('@')) throw new DevInputError(`${name} takes a file: ${name}:@path/to/file.json`);
      const id = env.snowflake();
      const filePath = raw.slice(1);
      attachments.push({ id, filename: filePath.split('/').pop() ?? 'file', content: env.readFile(filePath) });
      options.push({ name, type: definition.type, value: id });
    } else {
      options.push({ name, type: definition.type, value: optionValue(definition, raw, env) });
    }
  }
  const missing = definitions.filter((o) => 'required' in o && o.required && !options.some((p) => p.name === o.name));
  if (missing.length > 0) throw new DevInputError(`missing required option(s): ${names(missing)}`);
  return { commandName: command.name, ...(subcommand ? { subcommand } : {}), options, attachments };
}

export interface FormattedReply {
  readonly text: string;
  /** Custom ids of the reply's buttons, in order (`.press 1` presses the first). */
  readonly buttons: readonly string[];
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** The reply as the player would read it: ephemeral mark, content, embeds, buttons. */
export function formatReply(data: Record<string, unknown>): FormattedReply {
  const lines: string[] = [];
  if ((Number(data.flags ?? 0) & 64) === 64) lines.push('(only you can see this)');
  if (text(data.content)) lines.push(text(data.content));
  for (const embed of list(data.embeds).map(record)) {
    const author = text(record(embed.author).name);
    if (author) lines.push(author);
    if (text(embed.title)) lines.push(`== ${text(embed.title)} ==`);
    if (text(embed.description)) lines.push(text(embed.description));
    for (const field of list(embed.fields).map(record)) lines.push(`- ${text(field.name)}: ${text(field.value)}`);
    const footer = text(record(embed.footer).text);
    if (footer) lines.push(`(${footer})`);
  }
  const buttons: string[] = [];
  // Classic rows and Components V2 (containers, text displays, galleries), at any depth, in order.
  const walk = (components: unknown): void => {
    for (const component of list(components).map(record)) {
      if (component.type === 10 && text(component.content)) lines.push(text(component.content));
      if (component.type === 12) lines.push(`(picture: ${list(component.items).length} item(s))`);
      const customId = text(component.custom_id);
      if (customId) {
        buttons.push(customId);
        const disabled = component.disabled === true ? ' (disabled)' : '';
        lines.push(`[${buttons.length}] ${text(component.label) || customId}${disabled}`);
      }
      walk(component.components);
    }
  };
  walk(data.components);
  const attachments = list(data.attachments).length;
  if (attachments > 0) lines.push(`(${attachments} file${attachments === 1 ? '' : 's'} attached)`);
  return { text: lines.join('\n'), buttons };
}
