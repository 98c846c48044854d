/**
 * The discord.js client: Guilds intent only, bounded caches, optional REST base (the simulator),
 * and the gateway shards this process owns. Sharding is discord.js's own: it fetches GET
 * /gateway/bot, opens one session per owned shard (IDENTIFY with `shard: [id, count]`) and spaces
 * the IDENTIFYs by `session_start_limit.max_concurrency` (one per bucket `id % max_concurrency`
 * every 5 s). `ClientReady` fires once every owned shard is ready.
 */
import { Client, GatewayIntentBits, Options, type WebSocketOptions } from 'discord.js';
import type { ShardPlan } from '../config';
import type { CommandMentions } from './command-mentions';
import { callbackRetryIsFutile } from './interaction-deadline';

const SINGLE_SHARD: ShardPlan = { count: 1, ids: [0] };

/** discord.js's `shards` / `shardCount` options for a plan. */
export function shardOptions(plan: ShardPlan): { shards: number[] | 'auto'; shardCount: number } {
  if (plan.count === 'auto') return { shards: 'auto', shardCount: 1 };
  const shards = plan.ids === 'all' ? Array.from({ length: plan.count }, (_, i) => i) : [...plan.ids];
  return { shards, shardCount: plan.count };
}

/**
 * Waits until shard `shardId` may IDENTIFY: several processes share Discord's limit of
 * `maxConcurrency` IDENTIFYs per 5 s (one per bucket `shardId % maxConcurrency`), so they agree
 * through a shared store (app/storage/identify-leases.ts). Rejects when `signal` aborts.
 */
export type IdentifyGate = (shardId: number, maxConcurrency: number, signal: AbortSignal) => Promise<void>;

/** discord.js's identify throttler built on a gate (max_concurrency from GET /gateway/bot). */
export function identifyThrottler(gate: IdentifyGate): NonNullable<WebSocketOptions['buildIdentifyThrottler']> {
  return async (manager) => {
    const info = await manager.fetchGatewayInformation();
    const maxConcurrency = Math.max(1, info.session_start_limit.max_concurrency);
    return { waitForIdentify: (shardId, signal) => gate(shardId, maxConcurrency, signal) };
  };
}

export function createBotClient(
  apiBase?: string,
  sharding: ShardPlan = SINGLE_SHARD,
  identifyGate?: IdentifyGate,
): Client {
  // discord.js's ShardingManager protocol: a client also reads SHARDS and SHARD_COUNT from the
  // environment when its options look like the defaults (and `Number('auto')` is NaN). Our
  // SHARD_COUNT was read and validated by loadConfig; the options below are the only source.
  delete process.env.SHARD_COUNT;
  delete process.env.SHARDS;
  return new Client({
    ...shardOptions(sharding),
    intents: [GatewayIntentBits.Guilds],
    ...(identifyGate ? { ws: { buildIdentifyThrottler: identifyThrottler(identifyGate) } } : {}),
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

/**
 * Learns the ids of the registered commands once (at ready) for clickable mentions: global
 * commands, and `guildId`'s when commands are registered to one guild (staging). Returns how many
 * are known; on failure mentions stay plain `/name` text.
 */
export async function learnCommandIds(
  client: Client<true>,
  mentions: CommandMentions,
  guildId?: string,
): Promise<number> {
  const global = await client.application.commands.fetch();
  mentions.learn(global.values());
  if (guildId) mentions.learn((await client.application.commands.fetch({ guildId })).values());
  return mentions.known;
}
