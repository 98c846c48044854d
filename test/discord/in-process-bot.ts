/**
 * The interaction handler in-process with the real discord.js client against the simulator and a
 * test database — for tests that tune the handler (deferral, overload) without a child process.
 * `addProcess` connects one more client and handler to the same simulator and database, like a
 * second bot process during a release overlap.
 */
import { Events, type Client } from 'discord.js';
import pino from 'pino';
import { createBotClient, learnCommandIds } from '../../app/discord/bot-client';
import { COMMANDS } from '../../app/discord/command-registry';
import { InteractionHandler, type InteractionHandlerOptions } from '../../app/discord/interaction-handler';
import type { Logger } from '../../app/observability/logger';
import { createServices } from '../../app/services/create-services';
import type { GachaServiceOptions } from '../../app/services/gacha-service';
import { migrate } from '../../app/storage/schema';
import { createStores, type StoreOptions } from '../../app/storage/stores';
import { DiscordSimulator, type SimulatorOptions } from '../discord-simulator/discord-simulator';
import { FAKE_TOKEN } from '../e2e/bot-process';
import { openTestDatabase, type TestDatabase } from '../support/test-database';

export interface InProcessSetup {
  readonly gacha?: GachaServiceOptions;
  /** Store options (fault injection, projection timing). */
  readonly stores?: StoreOptions;
  /** The handlers' logger (silent by default). */
  readonly log?: Logger;
  readonly simulator?: SimulatorOptions;
  /** Register COMMANDS with the simulator first, and learn their ids for mentions (like the bot at ready). */
  readonly registerCommands?: boolean;
}

export interface BotInstance {
  readonly client: Client;
  readonly handler: InteractionHandler;
}

export interface InProcessBot extends BotInstance {
  readonly sim: DiscordSimulator;
  readonly database: TestDatabase;
  /** Another bot process on the same simulator and database. */
  addProcess(options: InteractionHandlerOptions): Promise<BotInstance>;
  close(): Promise<void>;
}

export async function startInProcessBot(
  guildName: string,
  options: InteractionHandlerOptions,
  setup: InProcessSetup = {},
): Promise<InProcessBot> {
  const database = await openTestDatabase();
  await migrate(database.db);
  const sim = new DiscordSimulator(setup.simulator);
  await sim.start();
  sim.addGuild(guildName);
  const clients: Client[] = [];
  const connect = async (handlerOptions: InteractionHandlerOptions): Promise<BotInstance> => {
    const client = createBotClient(sim.restBase);
    clients.push(client);
    const handler = new InteractionHandler(
      createServices(createStores(database.db, setup.stores), setup.gacha),
      COMMANDS,
      setup.log ?? pino({ level: 'silent' }),
      handlerOptions,
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
    if (setup.registerCommands && client.isReady()) {
      await client.application.commands.set(COMMANDS.map((c) => c.data));
      await learnCommandIds(client, handler.mentions);
    }
    return { client, handler };
  };
  const first = await connect(options);
  return {
    ...first,
    sim,
    database,
    addProcess: connect,
    close: async () => {
      for (const client of clients) await client.destroy();
      await sim.stop();
      await database.close();
    },
  };
}
