/** Builds and starts the bare reference bot (scripts/bench/bare-bot.ts) as its own process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { botBuildOptions } from '../bot-build-options';
import { FAKE_TOKEN } from '../../test/e2e/bot-process';

export interface BareBot {
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export async function startBareBot(apiBase: string, nodeOptions: string): Promise<BareBot> {
  const outfile = path.join(mkdtempSync(path.join(os.tmpdir(), 'gacha-bare-bot-')), 'bare-bot.js');
  await build({
    ...botBuildOptions(outfile),
    entryPoints: [path.resolve(__dirname, '..', 'bench', 'bare-bot.ts')],
    sourcemap: false,
    logLevel: 'error',
  });
  const child = spawn(process.execPath, [outfile], {
    env: {
      PATH: process.env.PATH ?? '',
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_API_BASE: apiBase,
      NODE_OPTIONS: nodeOptions,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error('bare bot did not get ready in 30 s'));
    }, 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('bare bot ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bare bot exited with ${code}`));
    });
  });
  return {
    child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
