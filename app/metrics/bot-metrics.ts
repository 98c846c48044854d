/**
 * Connects the bot's moving parts to the recorder: Discord REST responses (429s, invalid requests,
 * the lowest rate-limit headroom seen), gateway latency and reconnects, and handled interactions.
 */
import { type Client, Events, type Interaction, RESTEvents } from 'discord.js';
import type { InteractionOutcome } from '../contracts/interaction-outcome';
import type { MetricsRecorder } from './metrics-recorder';

/** The part of a fetch `Headers` object this needs. */
export interface HeaderReader {
  get(name: string): string | null;
  has(name: string): boolean;
}

/** Reads one REST response's status and X-RateLimit-* headers into the recorder. */
export function recordRestResponse(recorder: MetricsRecorder, status: number, headers: HeaderReader): void {
  if (status === 401 || status === 403 || status === 429) recorder.count('invalidRequests');
  if (status === 429) {
    recorder.count('rest429');
    if (headers.get('x-ratelimit-global') === 'true' || headers.get('x-ratelimit-scope') === 'global') {
      recorder.count('globalRateLimitHits');
    }
  }
  const limit = Number(headers.get('x-ratelimit-limit'));
  const remaining = Number(headers.get('x-ratelimit-remaining'));
  if (headers.has('x-ratelimit-limit') && limit > 0 && Number.isFinite(remaining)) {
    recorder.record('rateLimitHeadroom', (Math.max(0, remaining) / limit) * 100);
  }
}

/**
 * Gateway figures per shard for the log. The CloudWatch metrics stay aggregated over the shards
 * of a process (no Shard dimension): each extra series is billed, and a per-shard series would
 * multiply them as the bot grows, while one log line per period names the shard that lags.
 */
export class ShardGatewayStats {
  private readonly reconnects = new Map<number, number>();

  countReconnect(shardId: number): void {
    this.reconnects.set(shardId, (this.reconnects.get(shardId) ?? 0) + 1);
  }

  /** Reconnects per shard since the last call (the period's figures), then starts again. */
  takeReconnects(): Map<number, number> {
    const taken = new Map(this.reconnects);
    this.reconnects.clear();
    return taken;
  }
}

export function instrumentClient(client: Client, recorder: MetricsRecorder): ShardGatewayStats {
  const stats = new ShardGatewayStats();
  client.rest.on(RESTEvents.Response, (_request, response) => {
    recordRestResponse(recorder, response.status, response.headers);
  });
  client.on(Events.ShardResume, (shardId) => {
    recorder.count('gatewayReconnects');
    stats.countReconnect(shardId);
  });
  client.on(Events.ShardReconnecting, (shardId) => {
    recorder.count('gatewayReconnects');
    stats.countReconnect(shardId);
  });
  return stats;
}

/**
 * Samples values that are read rather than counted; call once per period before publishing. Each
 * owned shard's heartbeat latency is one sample of `gatewayLatency` (its maximum is the worst shard).
 */
export function sampleGateway(client: Client, recorder: MetricsRecorder): void {
  for (const shard of client.ws.shards.values()) if (shard.ping >= 0) recorder.record('gatewayLatency', shard.ping);
}

export function recordInteraction(
  recorder: MetricsRecorder,
  outcome: InteractionOutcome,
  _interaction: Interaction,
): void {
  // Not ours to answer: the process that won the acknowledgement records the latency.
  if (outcome.outcome === 'ignored' || outcome.outcome === 'superseded') return;
  // One series for every command (each series costs): per command, the access log has it.
  recorder.record('commandLatency', outcome.latencyMs);
  if (outcome.outcome === 'error') recorder.countError('command');
}
