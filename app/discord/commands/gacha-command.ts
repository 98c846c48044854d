/**
 * /gacha — pull, rates, banners, spark, exchange. Each subcommand is its own module in ./gacha/; add one by
 * writing its module and listing it here.
 */
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { composeCommand } from '../subcommand';
import { auditSubcommand } from './gacha/audit-subcommand';
import { bannersSubcommand } from './gacha/banners-subcommand';
import { exchangeSubcommand } from './gacha/exchange-subcommand';
import { historyExportSubcommand } from './gacha/history-export-subcommand';
import { pullSubcommand } from './gacha/pull-subcommand';
import { ratesSubcommand } from './gacha/rates-subcommand';
import { seedSubcommand } from './gacha/seed-subcommand';
import { sparkSubcommand } from './gacha/spark-subcommand';
import { verifySubcommand } from './gacha/verify-subcommand';

export const gachaCommand = composeCommand({
  builder: new SlashCommandBuilder()
    .setName('gacha')
    .setNameLocalizations({ ja: 'ガチャ' })
    .setDescription('Pull, see the odds and banners')
    .setDescriptionLocalizations({ ja: 'ガチャを引く・提供割合・開催中のガチャ' })
    .setContexts(InteractionContextType.Guild),
  adminOnly: false,
  cooldown: 'pull',
  subcommands: [
    pullSubcommand,
    ratesSubcommand,
    bannersSubcommand,
    sparkSubcommand,
    seedSubcommand,
    verifySubcommand,
    auditSubcommand,
    historyExportSubcommand,
    exchangeSubcommand,
  ],
  unknownButton: (ctx) => ({ content: ctx.t.expired(), ephemeral: true }),
});
