/**
 * `npm run dev` — the bot from source against the local Discord simulator and a local test
 * database, with a REPL and a loopback HTTP endpoint that send commands as a chosen user and
 * locale and print what that user sees. Edits under app/ restart the bot (tsx watch); the database
 * and the simulator stay up.
 *
 *   npm run dev [-- --port 8790 --database gacha_dev --no-watch --no-repl]
 *
 * MONGODB_URI set: that server instead of a FerretDB of its own (GACHA_TEST_CACHE as for tests).
 *
 *   alice (en-US)> /daily
 *   alice (en-US)> /gacha pull count:10
 *   alice (en-US)> .locale ja        .user bob        .admin on        .press 1        .help
 *
 *   curl -s localhost:8790/command -d '{"command":"/gacha pull","user":"alice","locale":"ja"}'
 */
import { randomBytes } from 'node:crypto';
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { COMMANDS } from '../app/discord/command-registry';
import { DiscordSimulator } from '../test/discord-simulator/discord-simulator';
import { FAKE_TOKEN } from '../test/e2e/bot-process';
import { startMongoServer } from '../test/support/mongo-server';
import { DevInputError } from './lib/dev-commands';
import { type Caller, type DevAnswer, DevSession } from './lib/dev-session';

const ROOT = path.resolve(__dirname, '..');
const MAX_BODY_BYTES = 1_048_576;

interface Options {
  readonly port: number;
  readonly database: string;
  readonly watch: boolean;
  readonly repl: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  let port = 8790;
  let database = 'gacha_dev';
  let watch = true;
  let repl = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--no-watch') watch = false;
    else if (arg === '--no-repl') repl = false;
    else if (arg === '--port') port = Number(argv[++i]);
    else if (arg === '--database') database = argv[++i] ?? '';
    else throw new Error(`unknown argument ${arg ?? ''}; use --port N, --database NAME, --no-watch, --no-repl`);
  }
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('--port takes 0–65535 (0 = any free port)');
  if (!/^[A-Za-z0-9_-]{1,60}$/.test(database)) throw new Error('--database takes letters, digits, _ and -');
  return { port, database, watch, repl };
}

const say = (line: string): void => {
  process.stdout.write(`dev: ${line}\n`);
};
// Whoever reads our output may go first (a closed pipe): still shut down cleanly.
process.stdout.on('error', () => undefined);

/** The bot from source (tsx), restarted by tsx watch on edits; its JSON log goes to `logFile`. */
function startBotProcess(env: Record<string, string>, watch: boolean, logFile: string) {
  const tsxCli = require.resolve('tsx/cli');
  const args = [tsxCli, ...(watch ? ['watch', '--clear-screen=false'] : []), 'app/main.ts'];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile, { flags: 'a' });
  let readyWaiter: (() => void) | undefined;
  const onLine = (line: string): void => {
    log.write(`${line}\n`);
    let entry: { level?: number; msg?: string; err?: { message?: string } } | undefined;
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      process.stdout.write(`bot: ${line}\n`); // tsx watch's own lines, stack traces
      return;
    }
    const message = entry?.msg ?? '';
    if ((entry?.level ?? 0) >= 40 || /database ready|gateway ready|shutting down|stopped/.test(message)) {
      process.stdout.write(`bot: ${message}${entry?.err?.message ? ` (${entry.err.message})` : ''}\n`);
    }
    if (message === 'gateway ready') readyWaiter?.();
  };
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) readline.createInterface({ input: stream }).on('line', onLine);
  }
  const ready = new Promise<void>((resolve, reject) => {
    readyWaiter = resolve;
    child.once('exit', (code) => {
      reject(new Error(`the bot exited (${code ?? 'signal'}) before it was ready; see ${logFile}`));
    });
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    log.end();
  };
  return { ready, stop };
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new DevInputError('request body over 1 MiB'));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', reject);
  });
}

function callerFrom(body: Record<string, unknown>): Caller {
  return {
    user: typeof body.user === 'string' && body.user.trim() !== '' ? body.user.trim() : 'alice',
    locale: typeof body.locale === 'string' ? body.locale : 'en-US',
    admin: body.admin === true,
  };
}

const HTTP_HELP = `POST /command {"command": "/gacha pull count:10", "user": "alice", "locale": "ja", "admin": false}
POST /press   {"button": "1", "user": "alice"}   (a button of that user's last reply, or its custom id)
Answers {"interactionId", "text", "buttons", "data"}.
`;

/** The loopback endpoint: one JSON request per command, answered with what the user sees. */
function startHttp(session: DevSession, port: number): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const reply = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST') {
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(HTTP_HELP);
      return;
    }
    void (async () => {
      try {
        const body = JSON.parse((await readBody(request)) || '{}') as Record<string, unknown>;
        const caller = callerFrom(body);
        let answer: DevAnswer;
        if (request.url === '/command' && typeof body.command === 'string') {
          answer = await session.command(body.command, caller);
        } else if (request.url === '/press' && typeof body.button === 'string') {
          answer = await session.press(body.button, caller);
        } else {
          reply(404, { error: HTTP_HELP });
          return;
        }
        reply(200, answer);
      } catch (error) {
        const known = error instanceof DevInputError || error instanceof SyntaxError;
        reply(known ? 400 : 500, { error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve(server);
    });
  });
}

const REPL_HELP = `/command sub name:value …   send a command (quotes for spaces: name:"two words"; files: file:@pool.json)
.user NAME    act as another user          .locale ja|en-US   change your Discord locale
.admin on|off Manage Server for this user  .press N           press button N of your last reply
.help         this text                    .quit              stop everything (or Ctrl-D)`;

/** Reads lines one after another (piped input too: `printf '/daily\n' | npm run dev`). */
async function runRepl(session: DevSession): Promise<void> {
  let caller: Caller = { user: 'alice', locale: 'en-US', admin: false };
  const admins = new Set<string>();
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  const prompt = (): void => {
    rl.setPrompt(`${caller.user}${caller.admin ? ' [admin]' : ''} (${caller.locale})> `);
    rl.prompt();
  };
  const print = (answer: DevAnswer): void => {
    process.stdout.write(`${answer.text.replace(/^/gm, '  ')}\n`);
  };
  prompt();
  for await (const input of rl) {
    const line = input.trim();
    const [word, argument = ''] = line.split(/\s+/, 2);
    if (word === '.quit') break;
    try {
      if (line === '') {
        // nothing
      } else if (word === '.help') process.stdout.write(`${REPL_HELP}\n`);
      else if (word === '.user' && argument) caller = { ...caller, user: argument, admin: admins.has(argument) };
      else if (word === '.locale' && argument) caller = { ...caller, locale: argument };
      else if (word === '.admin' && (argument === 'on' || argument === 'off')) {
        if (argument === 'on') admins.add(caller.user);
        else admins.delete(caller.user);
        caller = { ...caller, admin: argument === 'on' };
      } else if (word === '.press' && argument) print(await session.press(argument, caller));
      else if (line.startsWith('/')) print(await session.command(line, caller));
      else process.stdout.write(`${REPL_HELP}\n`);
    } catch (error) {
      process.stdout.write(`  ! ${error instanceof Error ? error.message : String(error)}\n`);
    }
    prompt();
  }
  rl.close();
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'gacha-dev-'));
  const database = await startMongoServer(say);
  say(`database: ${database.kind} at ${database.uri.replace(/\/\/[^@/]*@/, '//***@')}`);
  const sim = new DiscordSimulator();
  await sim.start();
  const guild = sim.addGuild('Dev server');
  const logFile = path.join(workDir, 'bot.log');
  const bot = startBotProcess(
    {
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_API_BASE: sim.restBase,
      MONGODB_URI: database.uri,
      MONGODB_DATABASE: options.database,
      // One key per dev run (its database lives as long): seeds sealed before a restart still open.
      GACHA_FAIRNESS_SEED_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'info',
      HEALTH_PORT: '0',
      METRICS_LOG: 'true',
      GACHA_ENV: 'dev',
    },
    options.watch,
    logFile,
  );
  /** Closes what started after the bot (the HTTP endpoint), newest first. */
  const closers: (() => void)[] = [];
  let stopping = false;
  const shutdown = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    for (const close of closers.reverse()) close();
    await bot.stop();
    await sim.stop();
    await database.stop();
    say('stopped');
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
  try {
    await bot.ready;
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    await shutdown(1);
    return;
  }
  const session = new DevSession(
    sim,
    guild,
    COMMANDS.map((c) => c.data),
  );
  const server = await startHttp(session, options.port);
  closers.push(() => {
    server.close();
    server.closeAllConnections();
  });
  const { port } = server.address() as AddressInfo;
  say(`bot log: ${logFile}`);
  say(
    `ready http://127.0.0.1:${port} (POST /command, /press)${options.watch ? '; edits under app/ restart the bot' : ''}`,
  );
  if (options.repl) {
    process.stdout.write(`${REPL_HELP}\n`);
    await runRepl(session);
    await shutdown(0);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`dev: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
