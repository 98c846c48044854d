/**
 * /gacha-admin — server configuration. Hidden from non-admins by default_member_permissions AND
 * checked on the server for every use (see preconditions). Every change is audited. Each
 * subcommand is its own module in ./admin/; add one by writing its module and listing it here.
 */
import { InteractionContextType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { composeCommand } from '../subcommand';
import { artBannerSubcommand, artClearSubcommand, artItemSubcommand } from './admin/art-subcommands';
import {
  addItemSubcommand,
  createBannerSubcommand,
  editBannerSubcommand,
  editItemSubcommand,
  endBannerSubcommand,
  removeItemSubcommand,
  setRatesSubcommand,
} from './admin/catalog-subcommands';
import {
  channelSubcommand,
  cooldownSubcommand,
  setCostSubcommand,
  setDailySubcommand,
} from './admin/economy-subcommands';
import { setCurrencyNameSubcommand, setLanguageSubcommand, setTimezoneSubcommand } from './admin/language-subcommands';
import { economySubcommand, reverseMoveSubcommand } from './admin/economy-social-subcommands';
import { resetPlayerSubcommand } from './admin/reset-player-subcommand';
import { previewSetupSubcommand } from './admin/setup-subcommand';
import { statsSubcommand } from './admin/stats-subcommand';
import { exportSubcommand, importSubcommand } from './admin/transfer-subcommands';

export const adminCommand = composeCommand({
  builder: new SlashCommandBuilder()
    .setName('gacha-admin')
    .setNameLocalizations({ ja: 'ガチャ管理' })
    .setDescription('Configure the gacha for this server')
    .setDescriptionLocalizations({ ja: 'このサーバーのガチャ設定' })
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild),
  adminOnly: true,
  cooldown: 'none',
  subcommands: [
    setCostSubcommand,
    setDailySubcommand,
    cooldownSubcommand,
    channelSubcommand,
    setRatesSubcommand,
    addItemSubcommand,
    editItemSubcommand,
    removeItemSubcommand,
    createBannerSubcommand,
    editBannerSubcommand,
    endBannerSubcommand,
    importSubcommand,
    exportSubcommand,
    resetPlayerSubcommand,
    statsSubcommand,
    previewSetupSubcommand,
    setLanguageSubcommand,
    setTimezoneSubcommand,
    setCurrencyNameSubcommand,
    artItemSubcommand,
    artBannerSubcommand,
    artClearSubcommand,
    economySubcommand,
    reverseMoveSubcommand,
  ],
  unknownButton: (ctx) => ({ content: ctx.t.expired(), ephemeral: true }),
});
