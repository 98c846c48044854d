/**
 * `npm run bench:store` — throughput and latency of the exactly-once store against a real
 * MongoDB-wire server (MONGODB_URI, else FerretDB as in the tests), next to a bare-driver baseline
 * that does the minimum writes a charged pull needs (one conditional update + one insert).
 *
 * Each scenario: N concurrent players, each pulling back to back for a fixed count.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { MongoClient, type Db } from 'mongodb';
import { createServices } from '../app/services/create-services';
import { SeedSealer } from '../app/storage/seed-store';
import { createStores } from '../app/storage/stores';
import { migrate } from '../app/storage/schema';
import { startMongoServer } from '../test/support/mongo-server';
import { percentile } from './lib/process-stats';

/** Operations per scenario, split over its players (BENCH_OPS overrides). */
const OPS_PER_SCENARIO = Number(process.env.BENCH_OPS ?? 256);

interface Figures {
  errors: number;
  pullsPerSecond: number;
  p50: number;
  p99: number;
}

async function runPlayers(
  players: number,
  opsPerPlayer: number,
  drawsPerOp: number,
  op: (player: number, i: number) => Promise<void>,
  finish: () => Promise<void> = () => Promise.resolve(),
): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: players }, async (_, player) => {
      for (let i = 0; i < opsPerPlayer; i++) {
        const t = performance.now();
        try {
          await op(player, i);
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  // Writes still queued behind the replies (history and read model) count in the time.
  await finish();
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    errors,
    pullsPerSecond: (latencies.length * drawsPerOp) / seconds,
    p50: percentile(latencies, 50, 0),
    p99: percentile(latencies, 99, 0),
  };
}

/** BENCH_PROJECTION_DELAY_MS=0 measures the store with history and read model written before each reply. */
const PROJECTION_DELAY_MS = process.env.BENCH_PROJECTION_DELAY_MS;

async function benchStore(db: Db, players: number, count: 1 | 10, ops: number): Promise<Figures> {
  const { gacha, upkeep } = createServices(
    createStores(db, {
      seedSealer: new SeedSealer(randomBytes(32)),
      ...(PROJECTION_DELAY_MS ? { projectionDelayMs: Number(PROJECTION_DELAY_MS) } : {}),
    }),
  );
  const guildId = `10${randomBytes(6).readUIntBE(0, 6)}`.padEnd(18, '0');
  const userIds = Array.from({ length: players }, (_, p) => `20${p}`.padEnd(18, '7'));
  await Promise.all(userIds.map((userId) => gacha.grant({ guildId, userId }, 'bench', 100_000_000, 'bench', null)));
  await upkeep.flush();
  let n = 0;
  return runPlayers(
    players,
    ops,
    count,
    async (p) => {
      await gacha.pull({ guildId, userId: userIds[p] ?? '', interactionId: `${Date.now()}${n++}` }, { count });
    },
    () => upkeep.flush(),
  );
}

async function benchBaseline(db: Db, players: number, count: 1 | 10, ops: number): Promise<Figures> {
  const wallets = db.collection<{ _id: string; balance: number }>('baseline_wallets');
  const history = db.collection('baseline_history');
  const ids = Array.from({ length: players }, () => randomBytes(8).toString('hex'));
  await wallets.insertMany(ids.map((_id) => ({ _id, balance: 1_000_000_000 })));
  return runPlayers(players, ops, count, async (p) => {
    const _id = ids[p] ?? '';
    await wallets.updateOne({ _id, balance: { $gte: 100 * count } }, { $inc: { balance: -100 * count } });
    await history.insertOne({
      wallet: _id,
      items: Array.from({ length: count }, (_, i) => ({ i, itemId: 'x' })),
      at: new Date(),
    });
  });
}

async function main(): Promise<void> {
  const server = await startMongoServer((line) => process.stderr.write(`${line}\n`));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void server.stop().finally(() => process.exit(130));
    });
  }
  const client = new MongoClient(server.uri, { maxPoolSize: 100 });
  await client.connect();
  // A fresh database per run keeps scenarios comparable (FerretDB's SQLite handler scans tables).
  const freshDb = async (): Promise<Db> => {
    const db = client.db(`bench_${randomBytes(4).toString('hex')}`);
    await migrate(db);
    return db;
  };
  const lines: string[] = [];
  lines.push(
    `server: ${server.kind}${server.kind === 'ferretdb' && process.env.FERRETDB_POSTGRESQL_URL ? ' on PostgreSQL' : ''}; ${OPS_PER_SCENARIO} operations per scenario; projection delay ${PROJECTION_DELAY_MS ?? 'default (50)'} ms; node ${process.version}; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'})`,
  );
  lines.push(
    '| pull | players | store pulls/s | store p50 ms | store p99 ms | baseline pulls/s | baseline p50 ms | baseline p99 ms | store/baseline | errors store/baseline |',
  );
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const opsFor = (players: number) => Math.max(4, Math.floor(OPS_PER_SCENARIO / players));
  for (const count of [1, 10] as const) {
    for (const players of [1, 16, 64]) {
      const ops = opsFor(players);
      const storeDb = await freshDb();
      const store = await benchStore(storeDb, players, count, ops);
      const baseDb = await freshDb();
      const base = await benchBaseline(baseDb, players, count, ops);
      await Promise.all([storeDb.dropDatabase(), baseDb.dropDatabase()]);
      const row = [
        count === 1 ? 'single' : '10-pull',
        players,
        store.pullsPerSecond.toFixed(0),
        store.p50.toFixed(2),
        store.p99.toFixed(2),
        base.pullsPerSecond.toFixed(0),
        base.p50.toFixed(2),
        base.p99.toFixed(2),
        `${((store.pullsPerSecond / base.pullsPerSecond) * 100).toFixed(0)}%`,
        `${store.errors}/${base.errors}`,
      ];
      lines.push(`| ${row.join(' | ')} |`);
      process.stderr.write(`${lines[lines.length - 1] ?? ''}\n`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  await client.close();
  await server.stop();
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
