/** Every command the bot offers, listed explicitly (a static list survives bundling). */
import type { BotCommand } from './command';
import { adminCommand } from './commands/admin-command';
import { gachaCommand } from './commands/gacha-command';
import { giveCommand } from './commands/give-command';
import { historyCommand } from './commands/history-command';
import { collectionCommand, dailyCommand, leaderboardCommand, profileCommand } from './commands/player-commands';
import { tradeCommand } from './commands/trade-command';
import { wishCommand } from './commands/wish-command';

export const COMMANDS: readonly BotCommand[] = [
  gachaCommand,
  dailyCommand,
  profileCommand,
  historyCommand,
  collectionCommand,
  leaderboardCommand,
  adminCommand,
  giveCommand,
  wishCommand,
  tradeCommand,
];
