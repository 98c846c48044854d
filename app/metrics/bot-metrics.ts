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

export function instrumentClient(client: Client, recorder: MetricsRecorder): void {
  client.rest.on(RESTEvents.Response, (_request, response) => {
    recordRestResponse(recorder, response.status, response.headers);
  });
  client.on(Events.ShardResume, () => {
    recorder.count('gatewayReconnects');
  });
  client.on(Events.ShardReconnecting, () => {
    recorder.count('gatewayReconnects');
  });
}

/** Samples values that are read rather than counted; call once per period before publishing. */
export function sampleGateway(client: Client, recorder: MetricsRecorder): void {
  const ping = client.ws.ping;
  if (ping >= 0) recorder.record('gatewayLatency', ping);
}

export function recordInteraction(
  recorder: MetricsRecorder,
  outcome: InteractionOutcome,
  _interaction: Interaction,
): void {
  // Not ours to answer: the process that won the acknowledgement records the latency.
  if (outcome.outcome === 'ignored' || outcome.outcome === 'superseded') return;
  recorder.record('commandLatency', outcome.latencyMs, outcome.command);
  if (outcome.outcome === 'error') recorder.countError('command');
}
