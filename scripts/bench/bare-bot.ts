/**
 * The reference for the bot's own cost: the same discord.js client (same intents, caches and REST
 * options as the bot) that answers every slash command at once with a short text and touches no
 * database. The load benchmark runs it against the same simulator load and compares CPU per
 * interaction. Reads DISCORD_TOKEN and DISCORD_API_BASE like the bot.
 */
import { Events } from 'discord.js';
import { createBotClient } from '../../app/discord/bot-client';

const client = createBotClient(process.env.DISCORD_API_BASE);
client.on(Events.InteractionCreate, (interaction) => {
  // Slash commands and buttons (the mix's gift Confirm) alike.
  if (!interaction.isChatInputCommand() && !interaction.isButton()) return;
  const label = interaction.isButton() ? 'button' : interaction.commandName;
  void interaction.reply({ content: `ok ${label}` }).catch(() => undefined);
});
client.once(Events.ClientReady, () => {
  process.stdout.write('bare bot ready\n');
});
process.once('SIGTERM', () => {
  void client.destroy().then(() => process.exit(0));
});
void client.login(process.env.DISCORD_TOKEN);
