/**
 * `npm run db:migrate` as the operator runs it: the CLI itself (`tsx scripts/db-migrate.ts`, the
 * package script's command, taken from node_modules/.bin as npm does; npx in front of it cost every
 * one of the twelve runs about 0.6 s of CPU and proved nothing more) in a child process, between
 * two databases of the test server — `copy` while players keep pulling, then `final` — with its
 * output and exit codes; the target must pass the ledger audit.
 * Bad arguments are refused with a clear message and a non-zero exit, before any connection.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from 'mongodb';
import { COLLECTIONS } from '../../app/storage/collections';
import { auditLedger } from '../../app/storage/ledger-audit';
import { migrate } from '../../app/storage/schema';
import { snowflake, stack } from '../storage/store-fixture';
import { openTestDatabase, type TestDatabase, uniqueDatabaseName } from '../support/test-database';

const root = path.resolve(__dirname, '..', '..');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI; never rejects, the exit code is part of the result. */
function cli(args: readonly string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      path.join(root, 'node_modules', '.bin', 'tsx'),
      ['scripts/db-migrate.ts', ...args],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let source: TestDatabase;
let targetName: string;
let target: Db;
let dir: string;

beforeAll(async () => {
  source = await openTestDatabase();
  await migrate(source.db);
  targetName = uniqueDatabaseName('db-migrate-target');
  target = source.client.db(targetName);
  dir = mkdtempSync(path.join(os.tmpdir(), 'gacha-migrate-cli-'));
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await target.dropDatabase().catch(() => undefined);
  await source.close();
});

function envFor(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    SOURCE_MONGODB_URI: source.uri,
    TARGET_MONGODB_URI: source.uri,
    MONGODB_DATABASE: source.name,
    TARGET_MONGODB_DATABASE: targetName,
    // The bot's key (the test processes' one): final's recovery pass runs the bot's services.
    GACHA_FAIRNESS_SEED_KEY: process.env.GACHA_FAIRNESS_SEED_KEY ?? '',
    ...overrides,
  };
}

async function play(db: Db, players: readonly { guildId: string; userId: string }[], pulls: number): Promise<void> {
  const svc = stack(db, { projectionDelayMs: 0 });
  for (const p of players) {
    for (let i = 0; i < pulls; i++)
      await svc.gacha.pull({ ...p, interactionId: snowflake() }, { count: i % 2 ? 10 : 1 });
  }
  await svc.upkeep.flush();
}

const ledger = (db: Db) => db.collection(COLLECTIONS.ledger).countDocuments({});

it('copy, then final: prints what it did, exits 0, and leaves a target that passes the ledger audit', async () => {
  const guildId = snowflake();
  const players = Array.from({ length: 5 }, () => ({ guildId, userId: snowflake() }));
  const svc = stack(source.db, { projectionDelayMs: 0 });
  for (const p of players) await svc.gacha.grant(p, 'seed', 50_000, 'seed', null);
  await play(source.db, players, 3);
  const state = path.join(dir, 'state.json');

  const copy = await cli(['copy', '--state', state], envFor());
  expect(copy.stderr).not.toContain('db:migrate failed');
  expect(copy.code).toBe(0);
  const copied =
    /^copy: (\d+) documents \((\d+) ledger events\) in [\d.]+ s; bulk audit [\d.]+ s, 0 players flagged for the final audit; high-water mark \S+ in (.+)$/m.exec(
      copy.stdout,
    );
  expect(copied?.[2]).toBe(String(await ledger(source.db)));
  expect(copied?.[3]).toBe(state);
  expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ flaggedPlayers: [] });
  expect(copy.stdout).toContain('Now stop the bot, then run: npm run db:migrate -- final');
  expect(await ledger(target)).toBe(await ledger(source.db));

  // Players keep pulling after the copy (and one new player arrives): the delta.
  const late = [...players.slice(0, 2), { guildId, userId: snowflake() }];
  await svc.gacha.grant(late[2] ?? players[0]!, 'seed', 50_000, 'seed', null);
  await play(source.db, late, 2);
  expect(await ledger(target)).toBeLessThan(await ledger(source.db));

  const final = await cli(['final', '--state', state], envFor());
  expect(final.stderr).not.toContain('db:migrate failed');
  expect(final.code).toBe(0);
  const events = await ledger(source.db);
  // Only the delta's players are audited in the downtime: here every player, as all of them played
  // within the default 5-minute margin before the mark.
  expect(final.stdout).toMatch(
    new RegExp(
      `audit [\\d.]+ s: the delta players, ${players.length + 1} players, ${events} events audited; ledger ${events} events \\(source ${events}\\), 0 problems`,
    ),
  );
  expect(final.stdout).toMatch(/^downtime \(bot stopped → target verified\): [\d.]+ s$/m);
  expect(final.stdout).toContain('ready: write the target URI with npm run secrets:put -- --name mongodb-uri');
  // Nothing printed a URI.
  expect(`${copy.stdout}${final.stdout}`).not.toContain(source.uri);

  // The target, read directly: the audit is clean and every ledger event is there.
  const audit = await auditLedger(target);
  expect(audit.problems).toEqual([]);
  expect(audit.events).toBe(events);
  expect(audit.players).toBe(players.length + 1);
}, 300_000);

it('refuses a second copy into a target that already holds data (exit 1)', async () => {
  const again = await cli(['copy', '--state', path.join(dir, 'again.json')], envFor());
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/^db:migrate failed: .*is not empty/m);
}, 120_000);

it.each<[string[], Record<string, string>, RegExp]>([
  [[], {}, /no phase; usage: npm run db:migrate -- copy \[--state FILE\] \| final/],
  [['restore'], {}, /unknown phase restore; usage:/],
  [['copy', '--switch', 'prod'], {}, /--switch is not an option of copy; usage:/],
  [['final', '--state'], {}, /--state needs a value; usage:/],
  [['final', '--switch', 'production'], {}, /--switch takes staging or prod, not production/],
  [
    ['final', '--state', '/nonexistent/state.json'],
    {},
    /no state file \/nonexistent\/state\.json: run npm run db:migrate -- copy first/,
  ],
  [['copy'], { TARGET_MONGODB_URI: '' }, /TARGET_MONGODB_URI is not set/],
  [['copy'], { TARGET_MONGODB_DATABASE: '' }, /source and target are the same database/],
  [['copy'], { GACHA_FAIRNESS_SEED_KEY: '' }, /GACHA_FAIRNESS_SEED_KEY is not set/],
])(
  'bad arguments %j with %j: a clear error on stderr, exit 1, nothing on stdout',
  async (args, overrides, message) => {
    const result = await cli(args, envFor(overrides));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^db:migrate failed: ${message.source}`));
  },
  120_000,
);
