/**
 * The interaction handler in-process with the real discord.js client against the simulator and a
 * test database — for tests that tune the handler (deferral, overload) without a child process.
 */
import { Events, type Client } from 'discord.js';
import pino from 'pino';
import { createBotClient } from '../../app/discord/bot-client';
import { COMMANDS } from '../../app/discord/command-registry';
import { InteractionHandler, type InteractionHandlerOptions } from '../../app/discord/interaction-handler';
import { createServices } from '../../app/services/create-services';
import { migrate } from '../../app/storage/schema';
import { createStores } from '../../app/storage/stores';
import { DiscordSimulator } from '../discord-simulator/discord-simulator';
import { FAKE_TOKEN } from '../e2e/bot-process';
import { openTestDatabase, type TestDatabase } from '../support/test-database';

export interface InProcessBot {
  readonly sim: DiscordSimulator;
  readonly client: Client;
  readonly database: TestDatabase;
  close(): Promise<void>;
}

export async function startInProcessBot(guildName: string, options: InteractionHandlerOptions): Promise<InProcessBot> {
  const database = await openTestDatabase();
  await migrate(database.db);
  const sim = new DiscordSimulator();
  await sim.start();
  sim.addGuild(guildName);
  const client = createBotClient(sim.restBase);
  const handler = new InteractionHandler(
    createServices(createStores(database.db)),
    COMMANDS,
    pino({ level: 'silent' }),
    options,
  );
  client.on(Events.InteractionCreate, (interaction) => {
    handler.handle(interaction);
  });
  const ready = new Promise<void>((resolve) => {
    client.once(Events.ClientReady, () => {
      resolve();
    });
  });
  await client.login(FAKE_TOKEN);
  await ready;
  return {
    sim,
    client,
    database,
    close: async () => {
      await client.destroy();
      await sim.stop();
      await database.close();
    },
  };
}
