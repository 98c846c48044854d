/** Builds the bot bundle and runs it as a child process against the simulator and test database. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { botBuildOptions, installRendererRuntime } from '../../scripts/bot-build-options';
import { TEST_SEED_KEY } from '../support/seed-key';

let bundlePath: Promise<string> | undefined;

/** Set by the e2e project's global setup (test/support/e2e-global-setup.ts) for its workers. */
export const SHARED_BUNDLE_ENV = 'GACHA_TEST_BUNDLE';

/**
 * Builds the bot into `dir` like `npm run bundle`: the card renderer's native module and font are
 * copied beside it, as in the release, so the bot runs far from the repository's node_modules the
 * way the host runs it. Returns the path of `index.js`.
 */
export async function buildBundleInto(dir: string): Promise<string> {
  const outfile = path.join(dir, 'index.js');
  await build({ ...botBuildOptions(outfile), logLevel: 'error' });
  installRendererRuntime(dir);
  return outfile;
}

/**
 * The bundle the bots run: under jest, the one the e2e project's global setup built once for the
 * whole run (every e2e file runs the same source; one build instead of one per file); elsewhere
 * (the benchmarks), one built on first use by this process.
 */
export function buildBundle(): Promise<string> {
  const shared = process.env[SHARED_BUNDLE_ENV];
  if (shared) return Promise.resolve(shared);
  bundlePath ??= buildBundleInto(mkdtempSync(path.join(os.tmpdir(), 'gacha-bundle-')));
  return bundlePath;
}

export interface BotProcess {
  readonly child: ChildProcess;
  readonly lines: string[];
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export const FAKE_TOKEN = `MTAw.simulated-token-for-tests-only.${'x'.repeat(40)}`;

export interface BotEnv {
  readonly apiBase: string;
  readonly mongoUri: string;
  readonly database: string;
  /** Further environment variables (METRICS_LOG, HEALTH_PORT…). */
  readonly extra?: Readonly<Record<string, string>>;
}

export async function startBot(env: BotEnv): Promise<BotProcess> {
  const bundle = await buildBundle();
  const child = spawn(
    process.execPath,
    [...(process.env.BOT_SOURCE_MAPS === 'false' ? [] : ['--enable-source-maps']), bundle],
    {
      env: {
        PATH: process.env.PATH ?? '',
        DISCORD_TOKEN: FAKE_TOKEN,
        MONGODB_URI: env.mongoUri,
        MONGODB_DATABASE: env.database,
        GACHA_FAIRNESS_SEED_KEY: TEST_SEED_KEY,
        DISCORD_API_BASE: env.apiBase,
        LOG_LEVEL: 'info',
        HEALTH_PORT: '0',
        ...env.extra,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      lines.push(line);
      for (const w of waiters.filter((x) => x.pattern.test(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
  });
  return {
    child,
    lines,
    waitForLog(pattern, timeoutMs = 20_000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`bot did not log ${pattern} in ${timeoutMs} ms:\n${lines.slice(-20).join('\n')}`));
        }, timeoutMs);
        // A bot that exits will never log it: fail at once rather than at the timeout.
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`bot exited (${code}) before logging ${pattern}:\n${lines.slice(-20).join('\n')}`));
        });
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
