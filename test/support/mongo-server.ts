/**
 * Starts a real MongoDB-wire server for tests and benchmarks.
 *
 * Order of preference:
 *  1. `MONGODB_URI` from the environment (a MongoDB service container, a local mongod, Atlas…);
 *  2. FerretDB built from the Go module proxy (offline CI machines have Go but no MongoDB);
 *  3. mongodb-memory-server (a real mongod, downloaded at run time: needs internet, no Go).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { ensureFerretdbBinary, goAvailable } from './ferretdb-build';

export interface RunningMongoServer {
  readonly uri: string;
  readonly kind: 'external' | 'ferretdb' | 'mongodb-memory-server';
  /** OS process id of the server when this process started it. */
  readonly pid?: number;
  stop(): Promise<void>;
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

async function waitForPing(uri: string, child: ChildProcess | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`database server exited with code ${child.exitCode}`);
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500 });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.close().catch(() => undefined);
    }
  }
  throw new Error(`database server did not answer ping within ${timeoutMs} ms: ${String(lastError)}`);
}

export interface RunningFerretdb extends RunningMongoServer {
  /** Where FerretDB keeps the data: SQLite files of its own, or a PostgreSQL server. */
  readonly storage: 'sqlite' | 'postgresql';
  /** Stops the server process but keeps its data and port (a database outage). */
  halt(): Promise<void>;
  /** Starts it again on the same port with the same data; resolves when it answers ping. */
  restart(): Promise<void>;
  /**
   * How the server process ended without being asked to (e.g. `signal SIGBUS`, seen once from
   * its storage under load), or undefined while it runs or after `halt`/`stop`.
   */
  readonly unexpectedExit: string | undefined;
}

export async function startFerretdb(
  log: (line: string) => void = () => undefined,
  options: { readonly postgresqlUrl?: string } = {},
): Promise<RunningFerretdb> {
  const binary = ensureFerretdbBinary(log);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gacha-ferretdb-'));
  const port = await freeLoopbackPort();
  const uri = `mongodb://127.0.0.1:${port}/`;
  // FERRETDB_POSTGRESQL_URL stores the data in PostgreSQL instead of SQLite files: FerretDB's
  // SQLite handler matches no index on `_id` lookups (a full scan each), its PostgreSQL handler
  // does, which is closer to what mongod does with large collections (used by the benchmarks).
  const postgresqlUrl = options.postgresqlUrl ?? process.env.FERRETDB_POSTGRESQL_URL;
  const storage = postgresqlUrl
    ? ['--handler=postgresql', `--postgresql-url=${postgresqlUrl}`]
    : ['--handler=sqlite', `--sqlite-url=file:${dataDir}/`];
  const spawnServer = (): ChildProcess =>
    spawn(
      binary,
      [
        ...storage,
        `--listen-addr=127.0.0.1:${port}`,
        '--telemetry=disable',
        // FERRETDB_DEBUG_ADDR (e.g. 127.0.0.1:28999) serves FerretDB's goroutine dumps and metrics
        // (/debug/pprof, /debug/metrics): how the update deadlock behind the bench:e2e stalls was found.
        `--debug-addr=${process.env.FERRETDB_DEBUG_ADDR ?? '-'}`,
        `--state-dir=${dataDir}`,
        '--log-level=error',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  let unexpectedExit: string | undefined;
  let halting = false;
  const watched = (server: ChildProcess): ChildProcess => {
    server.once('exit', (code, signal) => {
      if (!halting) unexpectedExit = signal ? `signal ${signal}` : `exit code ${code}`;
    });
    return server;
  };
  let child = watched(spawnServer());
  // Never leave the server behind when this process ends, however it ends.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const halt = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    halting = true;
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        resolve();
      });
    });
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    await halt();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const restart = async (): Promise<void> => {
    await halt();
    halting = false;
    child = watched(spawnServer());
    // Generous: a server (re)started on a loaded machine may take a while to answer its first ping.
    await waitForPing(uri, child, 60_000);
  };
  try {
    await waitForPing(uri, child, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    uri,
    kind: 'ferretdb',
    storage: postgresqlUrl ? 'postgresql' : 'sqlite',
    get pid() {
      return child.pid;
    },
    get unexpectedExit() {
      return unexpectedExit;
    },
    stop,
    halt,
    restart,
  };
}

async function startMemoryServer(): Promise<RunningMongoServer> {
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  const server = await MongoMemoryServer.create({ instance: { ip: '127.0.0.1' } });
  return {
    uri: server.getUri(),
    kind: 'mongodb-memory-server',
    stop: async () => {
      await server.stop();
    },
  };
}

export async function startMongoServer(log: (line: string) => void = () => undefined): Promise<RunningMongoServer> {
  const external = process.env.MONGODB_URI;
  if (external) {
    await waitForPing(external, undefined, 20_000);
    return { uri: external, kind: 'external', stop: () => Promise.resolve() };
  }
  if (goAvailable()) return startFerretdb(log);
  return startMemoryServer();
}
