/**
 * Loopback-only health endpoint for the deploy smoke check and local probes:
 *  GET /healthz — the process is up: gateway status, last metrics flush, uptime, the projection backlog
 *                 (events committed and not yet projected, their bytes and the oldest one's age) and the
 *                 process's resident memory, and what it is waiting on (interaction slots and line,
 *                 database pool) (always 200 while running);
 *  GET /readyz  — ready for traffic: every gateway shard this process owns is ready and the database
 *                 answers a ping (200, else 503).
 * Both list the owned shards with their status and heartbeat latency.
 * It binds 127.0.0.1 only, so nothing outside the instance can reach it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One owned gateway shard as the probe reports it. */
export interface ShardState {
  readonly id: number;
  readonly status: string;
  readonly pingMs: number;
}

export interface HealthProbe {
  /** True only when every shard this process owns is ready. */
  gatewayReady(): boolean;
  gatewayStatus(): string;
  /** The owned shards (omit for a probe without shard detail). */
  gatewayShards?(): readonly ShardState[];
  pingDatabase(): Promise<boolean>;
  lastMetricsFlush(): Date | undefined;
  /** The projection writer's backlog (drills and operators watch it stay bounded and drain). */
  projectionBacklog?(): {
    readonly items: number;
    readonly bytes: number;
    readonly lagSeconds: number;
    readonly bound?: number;
    readonly saturated?: boolean;
  };
  /** What the process is waiting on (interaction slots, database pool): see diagnostics.ts. */
  waitingOn?(): Record<string, unknown>;
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startHealthServer(probe: HealthProbe, port: number): Promise<HealthServer> {
  const started = Date.now();
  const server = http.createServer((req, res) => {
    const reply = (status: number, body: Record<string, unknown>): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const common = () => ({
      gateway: probe.gatewayStatus(),
      ...(probe.gatewayShards ? { shards: probe.gatewayShards() } : {}),
      lastMetricsFlush: probe.lastMetricsFlush()?.toISOString() ?? null,
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
      ...(probe.projectionBacklog ? { projectionBacklog: probe.projectionBacklog() } : {}),
      rssBytes: process.memoryUsage.rss(),
      ...(probe.waitingOn ? { waitingOn: probe.waitingOn() } : {}),
    });
    if (req.method !== 'GET') {
      reply(405, { error: 'method not allowed' });
    } else if (req.url === '/healthz') {
      reply(200, { status: 'ok', ...common() });
    } else if (req.url === '/readyz') {
      void probe
        .pingDatabase()
        .catch(() => false)
        .then((database) => {
          const ready = database && probe.gatewayReady();
          reply(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', database, ...common() });
        });
    } else {
      reply(404, { error: 'not found' });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
