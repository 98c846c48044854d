/**
 * `npm run commands:deploy [-- --guild <id>]` — registers every slash command with one bulk
 * overwrite (idempotent): globally, or to one guild (staging). Needs DISCORD_TOKEN and
 * DISCORD_APPLICATION_ID; DISCORD_API_BASE points it at another Discord-compatible server.
 */
import { REST, Routes } from 'discord.js';
import { COMMANDS } from '../app/discord/command-registry';

async function main(): Promise<void> {
  const token = process.env.DISCORD_TOKEN;
  const applicationId = process.env.DISCORD_APPLICATION_ID;
  if (!token || !applicationId) throw new Error('DISCORD_TOKEN and DISCORD_APPLICATION_ID are required');
  const guildIndex = process.argv.indexOf('--guild');
  const guildId = guildIndex > 0 ? process.argv[guildIndex + 1] : undefined;
  const rest = new REST(process.env.DISCORD_API_BASE ? { api: process.env.DISCORD_API_BASE } : {}).setToken(token);
  const body = COMMANDS.map((c) => c.data);
  const route = guildId
    ? Routes.applicationGuildCommands(applicationId, guildId)
    : Routes.applicationCommands(applicationId);
  const result = (await rest.put(route, { body })) as unknown[];
  process.stdout.write(`registered ${result.length} commands ${guildId ? `in guild ${guildId}` : 'globally'}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
