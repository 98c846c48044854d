/**
 * Clickable command mentions (`</gacha pull:123…>`): each Discord client shows the command in its
 * own language. The application command ids are learned once (at ready, from Discord's list of the
 * registered commands); until then, or for a command Discord does not list, a mention is the plain
 * text `/gacha pull`.
 */

/** The commands replies point to (top-level name, then subcommand). */
export type CommandPath =
  | 'gacha pull'
  | 'gacha rates'
  | 'gacha spark'
  | 'gacha banners'
  | 'gacha exchange'
  | 'gacha seed'
  | 'gacha verify'
  | 'daily'
  | 'profile'
  | 'history'
  | 'collection'
  | 'wish add'
  | 'wish remove'
  | 'wish pings';

export type Mention = (path: CommandPath) => string;

const SNOWFLAKE = /^\d{17,20}$/;
/** Discord's command name rule (lowercase where the script has case). */
const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

export class CommandMentions {
  private readonly ids = new Map<string, string>();

  /** Records the ids of registered commands (ignores anything not a command name and snowflake). */
  learn(commands: Iterable<{ readonly name: string; readonly id: string }>): number {
    let learned = 0;
    for (const { name, id } of commands) {
      if (!NAME.test(name) || !SNOWFLAKE.test(id)) continue;
      this.ids.set(name, id);
      learned++;
    }
    return learned;
  }

  get known(): number {
    return this.ids.size;
  }

  /** `</gacha pull:ID>` when the command's id is known, else the text `/gacha pull`. */
  readonly mention: Mention = (path) => {
    const top = path.split(' ')[0] ?? path;
    const id = this.ids.get(top);
    return id ? `</${path}:${id}>` : `/${path}`;
  };
}
