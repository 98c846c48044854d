/** Per-shard gateway state of this process, for the readiness check and the per-shard log. */
import { type Client, Status } from 'discord.js';

export interface ShardHealth {
  readonly id: number;
  readonly status: string;
  /** Last heartbeat round trip in ms; -1 before the first acknowledgement. */
  readonly pingMs: number;
}

export function shardHealth(client: Client): ShardHealth[] {
  return [...client.ws.shards.values()]
    .map((shard) => ({ id: shard.id, status: Status[shard.status], pingMs: shard.ping }))
    .sort((a, b) => a.id - b.id);
}

/**
 * Ready for traffic: the client has been ready once (every owned shard sent READY and its
 * guilds), and every owned shard is ready now (not reconnecting or resuming).
 */
export function allShardsReady(client: Client): boolean {
  const shards = [...client.ws.shards.values()];
  return client.isReady() && shards.length > 0 && shards.every((shard) => shard.status === Status.Ready);
}
