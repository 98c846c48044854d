/**
 * `npm run dev` end to end: starts scripts/dev.ts (the bot from source, the Discord simulator, the
 * test database), sends `/daily` and `/gacha pull` through its loopback HTTP endpoint as a chosen
 * user and locale, reads the replies, and stops it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import readline from 'node:readline';
import { testMongoUri } from '../support/test-database';

const ROOT = path.resolve(__dirname, '../..');
const JAPANESE = /[\u3040-\u30ff]/;

interface DevAnswer {
  readonly text: string;
  readonly buttons: readonly string[];
  readonly data: { flags?: number; embeds?: unknown[] };
  readonly error?: string;
}

jest.setTimeout(240_000);

describe('npm run dev', () => {
  let dev: ChildProcess | undefined;
  const output: string[] = [];
  let base = '';

  beforeAll(async () => {
    dev = spawn(
      process.execPath,
      [
        require.resolve('tsx/cli'),
        'scripts/dev.ts',
        '--no-watch',
        '--no-repl',
        '--port',
        '0',
        '--database',
        `dev_${randomBytes(4).toString('hex')}`,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, MONGODB_URI: testMongoUri() },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const child = dev;
    base = await new Promise<string>((resolve, reject) => {
      for (const stream of [child.stdout, child.stderr]) {
        if (!stream) continue;
        readline.createInterface({ input: stream }).on('line', (line) => {
          output.push(line);
          const ready = /^dev: ready (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
          if (ready?.[1]) resolve(ready[1]);
        });
      }
      child.once('exit', (code) => {
        reject(new Error(`npm run dev exited (${code}) before it was ready:\n${output.join('\n')}`));
      });
    });
  });

  afterAll(async () => {
    if (!dev || dev.exitCode !== null) return;
    const exited = new Promise((resolve) => dev?.once('exit', resolve));
    dev.kill('SIGTERM');
    await exited;
  });

  const send = async (route: string, body: Record<string, unknown>): Promise<{ status: number; answer: DevAnswer }> => {
    const response = await fetch(`${base}${route}`, { method: 'POST', body: JSON.stringify(body) });
    return { status: response.status, answer: (await response.json()) as DevAnswer };
  };

  it('answers /daily and /gacha pull as a chosen user in their locale', async () => {
    const user = `alice-${randomBytes(2).toString('hex')}`;
    const daily = await send('/command', { command: '/daily', user, locale: 'ja' });
    expect(daily.status).toBe(200);
    expect(daily.answer.text).toMatch(JAPANESE);
    expect(daily.answer.text).toContain('300');

    const pull = await send('/command', { command: '/gacha pull', user, locale: 'ja' });
    expect(pull.status).toBe(200);
    expect((pull.answer.data.flags ?? 0) & 64).toBe(0); // a public result, not an error
    // A Components V2 result: its text, picture and buttons as the REPL shows them.
    expect((pull.answer.data.flags ?? 0) & (1 << 15)).toBe(1 << 15);
    expect(pull.answer.text).toContain('## 単発ガチャ・');
    expect(pull.answer.text).toContain('(picture: 1 item(s))');
    expect(pull.answer.text).toMatch(/\[1\] 単発\n\[2\] 10連\n\[3\] 排出率/);
    expect(pull.answer.text).toMatch(JAPANESE);

    // The same user again: the daily reward is taken, a private answer.
    const again = await send('/command', { command: '/daily', user, locale: 'ja' });
    expect((again.answer.data.flags ?? 0) & 64).toBe(64);
    expect(again.answer.text).toMatch(JAPANESE);

    // Another user, in English.
    const other = `bob-${randomBytes(2).toString('hex')}`;
    const english = await send('/command', { command: '/gacha pull', user: other, locale: 'en-US' });
    expect((english.answer.data.flags ?? 0) & 64).toBe(0);
    expect(english.answer.text).toContain(other);
    expect(english.answer.text).not.toMatch(JAPANESE);
  });

  it('rejects what it cannot send with a 400 and the reason', async () => {
    const bad = await send('/command', { command: '/gacha pull count:ten' });
    expect(bad.status).toBe(400);
    expect(bad.answer.error).toMatch(/count takes an integer/);
  });

  it('stops the bot, the simulator and the database on SIGTERM', async () => {
    const child = dev;
    if (!child) throw new Error('not started');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('bot: stopped');
    expect(output).toContain('dev: stopped');
  });
});
