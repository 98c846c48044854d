/**
 * A PostgreSQL server of the benchmark's own (initdb into a temporary directory, loopback only,
 * trust authentication for the local bench user), so that FerretDB's storage can be measured and
 * capped together with the bot. The machine's system PostgreSQL is never touched.
 *
 * PostgreSQL refuses to run as root: when this process is root, the server runs as the `postgres`
 * system user (Debian's package creates it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeLoopbackPort } from './mongo-server';

export interface PrivatePostgres {
  readonly url: string;
  /** The postmaster; its backends are forked from it (and so share its cgroup). */
  readonly pid: number;
  stop(): Promise<void>;
}

function binDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (!newest) throw new Error('PostgreSQL server binaries not found (apt-get install postgresql)');
  return path.join(base, newest, 'bin');
}

function asPostgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (id.status !== 0) throw new Error('running as root needs the postgres system user');
  return { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function waitReady(bin: string, port: number, socketDir: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`postgres exited with code ${child.exitCode}`);
    const ready = spawnSync(path.join(bin, 'pg_isready'), ['-h', socketDir, '-p', String(port)]);
    if (ready.status === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('postgres did not become ready within 30 s');
}

/**
 * Starts the server with settings sized for a 1 GiB host (small shared buffers, no fsync wait on
 * commit beyond what MongoDB's journal would do: synchronous_commit stays on).
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const user = asPostgresUser();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gacha-bench-pg-'));
  chmodSync(dir, 0o700);
  if (user) chownSync(dir, user.uid, user.gid);
  const dataDir = path.join(dir, 'data');
  const runOpts = user ? { uid: user.uid, gid: user.gid } : {};
  const init = spawnSync(
    path.join(bin, 'initdb'),
    ['-D', dataDir, '-U', 'bench', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'],
    { ...runOpts, encoding: 'utf8' },
  );
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freeLoopbackPort();
  const child = spawn(
    path.join(bin, 'postgres'),
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'shared_buffers=64MB',
      '-c',
      'max_connections=60',
      '-c',
      'logging_collector=off',
    ],
    { ...runOpts, stdio: ['ignore', 'ignore', 'ignore'] },
  );
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  await waitReady(bin, port, dir, child);
  const created = spawnSync(path.join(bin, 'createdb'), ['-h', dir, '-p', String(port), '-U', 'bench', 'ferretdb'], {
    ...runOpts,
    encoding: 'utf8',
  });
  if (created.status !== 0) throw new Error(`createdb failed: ${created.stderr}`);
  return {
    url: `postgres://bench@127.0.0.1:${port}/ferretdb`,
    pid: child.pid ?? 0,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGINT'); // fast shutdown
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
