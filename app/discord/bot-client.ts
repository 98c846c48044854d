/** The discord.js client: Guilds intent only, bounded caches, optional REST base (the simulator). */
import { Client, GatewayIntentBits, Options } from 'discord.js';
import { callbackRetryIsFutile } from './interaction-deadline';

export function createBotClient(apiBase?: string): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      UserManager: 1_000,
      GuildMemberManager: { maxSize: 200, keepOverLimit: (member) => member.id === member.client.user.id },
      PresenceManager: 0,
      ReactionManager: 0,
      VoiceStateManager: 0,
    }),
    sweepers: {
      ...Options.DefaultSweeperSettings,
      users: { interval: 600, filter: () => (user) => user.id !== user.client.user.id },
    },
    rest: {
      ...(apiBase ? { api: apiBase } : {}),
      // Give up on an initial callback whose Retry-After ends past Discord's 3 s window.
      rejectOnRateLimit: (limit) => callbackRetryIsFutile(limit.url, limit.retryAfter, Date.now()),
    },
  });
}
