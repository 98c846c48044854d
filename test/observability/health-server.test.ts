import { startHealthServer } from '../../app/observability/health-server';

describe('health server', () => {
  it('reports not ready (503) when the database does not answer, and binds loopback only', async () => {
    let databaseUp = false;
    const server = await startHealthServer(
      {
        gatewayReady: () => true,
        gatewayStatus: () => 'Ready',
        pingDatabase: () => (databaseUp ? Promise.resolve(true) : Promise.reject(new Error('connection refused'))),
        lastMetricsFlush: () => new Date('2026-11-28T00:00:00Z'),
        projectionBacklog: () => ({ items: 42, bytes: 4_200, lagSeconds: 1.5 }),
        waitingOn: () => ({ interactions: { running: 32, waiting: 7 }, databasePool: { checkedOut: 20, waiting: 3 } }),
      },
      0,
    );
    try {
      const down = await fetch(`http://127.0.0.1:${server.port}/readyz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({
        status: 'not ready',
        database: false,
        lastMetricsFlush: '2026-11-28T00:00:00.000Z',
      });
      const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      expect(health.status).toBe(200);
      const body = (await health.json()) as { projectionBacklog: unknown; rssBytes: number; waitingOn: unknown };
      expect(body.projectionBacklog).toEqual({ items: 42, bytes: 4_200, lagSeconds: 1.5 });
      expect(body.waitingOn).toEqual({
        interactions: { running: 32, waiting: 7 },
        databasePool: { checkedOut: 20, waiting: 3 },
      });
      expect(body.rssBytes).toBeGreaterThan(1_000_000);
      databaseUp = true;
      expect((await fetch(`http://127.0.0.1:${server.port}/readyz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${server.port}/healthz`, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
  });
});

describe('health server with shards', () => {
  it('lists the owned shards and is not ready while one of them is not', async () => {
    const shards = [
      { id: 2, status: 'Ready', pingMs: 12 },
      { id: 3, status: 'Resuming', pingMs: 40 },
    ];
    const server = await startHealthServer(
      {
        gatewayReady: () => shards.every((s) => s.status === 'Ready'),
        gatewayStatus: () => 'Ready',
        gatewayShards: () => shards,
        pingDatabase: () => Promise.resolve(true),
        lastMetricsFlush: () => undefined,
      },
      0,
    );
    try {
      const resuming = await fetch(`http://127.0.0.1:${server.port}/readyz`);
      expect(resuming.status).toBe(503);
      expect(await resuming.json()).toMatchObject({ database: true, shards });
      shards[1] = { id: 3, status: 'Ready', pingMs: 15 };
      expect((await fetch(`http://127.0.0.1:${server.port}/readyz`)).status).toBe(200);
      expect(await (await fetch(`http://127.0.0.1:${server.port}/healthz`)).json()).toMatchObject({ shards });
    } finally {
      await server.close();
    }
  });
});
