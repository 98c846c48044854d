/**
 * Builds FerretDB (a MongoDB-wire server backed by SQLite) from the Go module proxy into a
 * git-ignored cache. Go's own build cache makes a rebuild in a fresh clone take seconds.
 *
 * The module is copied out of the read-only module cache so that build/version/version.txt can be
 * written: FerretDB refuses to start without it when built from its own module.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
export const FERRETDB_VERSION = 'v1.24.2';

const repoRoot = path.resolve(__dirname, '..', '..');

export function ferretdbCacheDir(): string {
  return process.env.GACHA_TEST_CACHE ?? path.join(repoRoot, '.cache');
}

export function ferretdbBinaryPath(): string {
  return path.join(ferretdbCacheDir(), 'ferretdb', `ferretdb-${FERRETDB_VERSION}`);
}

export function goAvailable(): boolean {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GOFLAGS: '-buildvcs=false', CGO_ENABLED: '0' };
}

/** Returns the path of a runnable FerretDB binary, building it first when it is not cached. */
export function ensureFerretdbBinary(log: (line: string) => void = () => undefined): string {
  const binary = ferretdbBinaryPath();
  if (existsSync(binary)) return binary;

  const workDir = path.join(ferretdbCacheDir(), 'ferretdb');
  mkdirSync(workDir, { recursive: true });
  log(`building FerretDB ${FERRETDB_VERSION} with Go (first run only)…`);

  const downloaded = execFileSync('go', ['mod', 'download', '-json', `${FERRETDB_MODULE}@${FERRETDB_VERSION}`], {
    env: goEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const moduleDir = (JSON.parse(downloaded) as { Dir?: string }).Dir;
  if (!moduleDir) throw new Error(`go mod download did not report a directory for ${FERRETDB_MODULE}`);

  const srcDir = path.join(workDir, `src-${FERRETDB_VERSION}`);
  rmSync(srcDir, { recursive: true, force: true });
  cpSync(moduleDir, srcDir, { recursive: true });
  makeWritable(srcDir);
  writeFileSync(path.join(srcDir, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);

  const tmpBinary = `${binary}.tmp-${process.pid}`;
  execFileSync('go', ['build', '-trimpath', '-o', tmpBinary, './cmd/ferretdb'], {
    cwd: srcDir,
    env: goEnv(),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  renameSync(tmpBinary, binary);
  rmSync(srcDir, { recursive: true, force: true });
  log(`FerretDB built at ${binary}`);
  return binary;
}

function makeWritable(dir: string): void {
  execFileSync('chmod', ['-R', 'u+w', dir]);
  chmodSync(dir, 0o755);
}
