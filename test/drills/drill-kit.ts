/**
 * Fault-drill harness: the bundled bot as child processes, the Discord simulator, a MongoDB-wire
 * server (a dedicated FerretDB when the drill stops the database), seeded players, load helpers
 * and the whole-database invariant check every drill ends with.
 */
import { randomBytes } from 'node:crypto';
import { type Db, MongoClient } from 'mongodb';
import { createServices } from '../../app/services/create-services';
import { collections } from '../../app/storage/collections';
import { auditLedger } from '../../app/storage/ledger-audit';
import { migrate } from '../../app/storage/schema';
import { SeedSealer } from '../../app/storage/seed-store';
import { createStores } from '../../app/storage/stores';
import { TEST_SEED_KEY } from '../support/seed-key';
import {
  DiscordSimulator,
  EDIT_ORIGINAL,
  FOLLOW_UP,
  type InteractionReply,
  type SimGuild,
  simSnowflake,
} from '../discord-simulator/discord-simulator';
import { type BotProcess, startBot } from '../e2e/bot-process';
import { type RunningFerretdb, startFerretdb } from '../support/mongo-server';
import { startPrivatePostgres } from '../support/private-postgres';
import { testMongoUri } from '../support/test-database';

export const EPHEMERAL = 64;

export interface Player {
  readonly guildId: string;
  readonly userId: string;
}

export interface DrillOptions {
  /**
   * A FerretDB of the drill's own (needed to stop and restart the database). Drills get one
   * anyway whenever the test database is FerretDB (see `openDrill`).
   */
  readonly dedicatedDatabase?: boolean;
  readonly broadcastInteractions?: boolean;
  readonly guilds?: number;
  /**
   * Where the drill's own FerretDB keeps its data (when it has one): SQLite files (default) or a
   * PostgreSQL server of the drill's own. FerretDB's SQLite storage answers a lookup by `_id` with
   * a scan of the collection, so a drill with a ledger of thousands of events measures those scans
   * (seconds per command with 32 running), not the bot. On PostgreSQL a `find` by `_id` is still a
   * scan (FerretDB 1.24 sends it as `_jsonb -> '_id' @> …`, which its btree index cannot answer:
   * scripts/lib/ferretdb-pg-lookups.ts), but PostgreSQL scans fast enough for the drill's sizes.
   */
  readonly storage?: 'sqlite' | 'postgresql';
}

export interface Drill {
  readonly sim: DiscordSimulator;
  readonly guilds: readonly SimGuild[];
  readonly db: Db;
  readonly uri: string;
  readonly database: string;
  readonly ferretdb?: RunningFerretdb;
  readonly bots: BotProcess[];
  startBot(): Promise<BotProcess>;
  close(): Promise<void>;
}

/**
 * A drill's database. When the test database is FerretDB, every drill gets a FerretDB of its own,
 * stopped (not dropped) at the end. FerretDB's storage crashed once under load with SIGBUS (the
 * signal a memory-mapped SQLite file that shrank or went away gives); the likely trigger is a
 * drop while the shared server still ran queries of a bot killed with SIGKILL, and a crash of the
 * shared server took every later test down with it. Own servers remove the drop, keep a crash to
 * one drill, and name it (`unexpectedExit`). A real mongod (MONGODB_URI) is shared, one database
 * per drill.
 */
export async function openDrill(options: DrillOptions = {}): Promise<Drill> {
  const ownServer = options.dedicatedDatabase === true || process.env.GACHA_TEST_MONGODB_KIND === 'ferretdb';
  const postgres = ownServer && options.storage === 'postgresql' ? await startPrivatePostgres() : undefined;
  const ferretdb = ownServer
    ? await startFerretdb(undefined, postgres ? { postgresqlUrl: postgres.url } : {})
    : undefined;
  const uri = ferretdb?.uri ?? testMongoUri();
  const database = `drill_${randomBytes(4).toString('hex')}`;
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 20_000 });
  const db = client.db(database);
  try {
    await client.connect();
    await migrate(db);
  } catch (error) {
    // A client left open keeps reconnecting and jest would never exit (seen when the test
    // database had died under load).
    await client.close().catch(() => undefined);
    await ferretdb?.stop();
    await postgres?.stop();
    throw error;
  }
  const sim = new DiscordSimulator({ broadcastInteractions: options.broadcastInteractions ?? false });
  await sim.start();
  const guilds = Array.from({ length: options.guilds ?? 2 }, (_, i) => sim.addGuild(`Drill ${i}`));
  const bots: BotProcess[] = [];
  return {
    sim,
    guilds,
    db,
    uri,
    database,
    ...(ferretdb ? { ferretdb } : {}),
    bots,
    async startBot() {
      const bot = await startBot({
        apiBase: sim.restBase,
        mongoUri: uri,
        database,
        extra: { METRICS_LOG: 'true', METRICS_PERIOD_SECONDS: '1' },
      });
      bots.push(bot);
      // Generous: a bot started on a loaded machine, next to a busy database, may take a while.
      await bot.waitForLog(/gateway ready/, 120_000);
      return bot;
    },
    async close() {
      for (const bot of bots) await bot.stop('SIGKILL');
      await sim.stop();
      const crashed = ferretdb?.unexpectedExit;
      // The drill's own server goes with its data directory; a shared server drops the database.
      if (!ferretdb) await db.dropDatabase().catch(() => undefined);
      await client.close();
      await ferretdb?.stop();
      await postgres?.stop();
      if (crashed) throw new Error(`drill: the drill's FerretDB ended by itself (${crashed}) during the drill`);
    },
  };
}

/** Players with enough currency for the drill's pulls (granted directly in the store). */
export async function seedPlayers(
  db: Db,
  guilds: readonly SimGuild[],
  count: number,
  amount = 50_000,
  options: { keepCooldowns?: boolean } = {},
): Promise<Player[]> {
  const { gacha, admin, upkeep } = createServices(
    // The key the bot processes get (bot-process.ts), so seeding also works outside jest (the benchmarks).
    createStores(db, { settingsCacheTtlMs: 0, seedSealer: new SeedSealer(Buffer.from(TEST_SEED_KEY, 'base64')) }),
  );
  // Load drills send many pulls per player per second; the default cooldowns would refuse them.
  for (const guild of options.keepCooldowns ? [] : guilds) {
    await admin.changeSettings(guild.id, 'drill', 'cooldown', (current) => ({
      ...current,
      cooldownSeconds: { pull: 0, other: 0 },
    }));
  }
  const players: Player[] = [];
  for (let i = 0; i < count; i += 1) {
    const guild = guilds[i % guilds.length];
    if (!guild) throw new Error('no guild');
    players.push({ guildId: guild.id, userId: simSnowflake() });
  }
  for (let i = 0; i < players.length; i += 8) {
    await Promise.all(players.slice(i, i + 8).map((p) => gacha.grant(p, 'drill-seed', amount, 'drill seed', null)));
  }
  await upkeep.flush();
  return players;
}

export function sendPull(sim: DiscordSimulator, player: Player, count: 1 | 10 = 1): string {
  return sim.sendInteraction({
    guildId: player.guildId,
    member: { userId: player.userId },
    commandName: 'gacha',
    subcommand: 'pull',
    ...(count === 10 ? { options: [{ name: 'count', type: 4, value: 10 }] } : {}),
  });
}

/** Sends `total` pulls spread over players at `perSecond`; resolves with the interaction ids. */
export async function pullStorm(
  sim: DiscordSimulator,
  players: readonly Player[],
  total: number,
  perSecond: number,
  onTick?: (sent: number) => void,
): Promise<string[]> {
  const ids: string[] = [];
  const interval = 1000 / perSecond;
  const started = Date.now();
  for (let i = 0; i < total; i += 1) {
    const player = players[i % players.length];
    if (!player) break;
    ids.push(sendPull(sim, player, i % 4 === 0 ? 10 : 1));
    onTick?.(i + 1);
    const wait = started + (i + 1) * interval - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return ids;
}

/**
 * Waits until `condition` holds, re-checking every 20 ms what the simulator and the bots recorded
 * (drills wait for events, never for a fixed time); fails with `what` after `timeoutMs`.
 */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() >= deadline) throw new Error(`drill: ${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Keeps sending pulls (spread over players, every fourth a 10-pull) into `ids` at up to
 * `perSecond`, with at most `maxInFlight` of them not yet answered (a closed loop: a slow bot on a
 * loaded machine gets fewer pulls, not a growing backlog), until `done()` holds; fails with `what`
 * after `timeoutMs`.
 */
export async function pullsUntil(
  sim: DiscordSimulator,
  players: readonly Player[],
  perSecond: number,
  ids: string[],
  done: () => boolean,
  what: string,
  timeoutMs = 120_000,
  maxInFlight = 40,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let nextSend = Date.now();
  while (!done()) {
    if (Date.now() >= deadline) throw new Error(`drill: ${what} did not happen within ${timeoutMs} ms`);
    const inFlight = ids.filter((id) => finalAnswers(sim, id) === 0).length;
    if (inFlight < maxInFlight && Date.now() >= nextSend) {
      const player = players[ids.length % players.length];
      if (!player) throw new Error('no players');
      ids.push(sendPull(sim, player, ids.length % 4 === 0 ? 10 : 1));
      nextSend = Math.max(nextSend + 1000 / perSecond, Date.now() - 1000);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(10, 1000 / perSecond)));
  }
}

/** Whether an interaction has been answered with success so far (a non-ephemeral final answer). */
export function succeeded(sim: DiscordSimulator, id: string): boolean {
  const replies = sim.repliesTo(id);
  const deferred = replies.some((r) => r.type === 5);
  const final = replies.find((r) =>
    deferred ? r.type === EDIT_ORIGINAL || r.type === FOLLOW_UP : r.type < EDIT_ORIGINAL,
  );
  return final !== undefined && (Number(final.data.flags ?? 0) & EPHEMERAL) !== EPHEMERAL;
}

export function successes(sim: DiscordSimulator, ids: readonly string[]): number {
  return ids.filter((id) => succeeded(sim, id)).length;
}

/** Callbacks sent again after a 429 on the same interaction, with the time since that 429. */
export function callbackRetries(sim: DiscordSimulator): { path: string; afterMs: number }[] {
  const lastByPath = new Map<string, { status: number; at: number }>();
  const retries: { path: string; afterMs: number }[] = [];
  for (const call of sim.calls) {
    if (!call.path.endsWith('/callback')) continue;
    const previous = lastByPath.get(call.path);
    if (previous?.status === 429) retries.push({ path: call.path, afterMs: call.at - previous.at });
    lastByPath.set(call.path, call);
  }
  return retries;
}

export interface Answer {
  readonly id: string;
  readonly reply: InteractionReply | undefined;
  readonly ok: boolean;
}

/** The final answer of each interaction (the edit after a deferral), or undefined after the timeout. */
export async function answers(sim: DiscordSimulator, ids: readonly string[], timeoutMs = 60_000): Promise<Answer[]> {
  return Promise.all(
    ids.map(async (id) => {
      const reply = await sim.waitForAnswer(id, timeoutMs).catch(() => undefined);
      const ephemeral = reply ? (Number(reply.data.flags ?? 0) & EPHEMERAL) === EPHEMERAL : true;
      return { id, reply, ok: reply !== undefined && !ephemeral };
    }),
  );
}

/** The answers that are not a success, with what the user saw (for assertion messages). */
export function unsuccessful(answered: readonly Answer[]): { id: string; type?: number; data?: unknown }[] {
  return answered
    .filter((a) => !a.ok)
    .map((a) => ({ id: a.id, ...(a.reply ? { type: a.reply.type, data: a.reply.data } : {}) }));
}

/** The "busy, try again" answer (nothing charged): the handler's line or the projection backlog is full. */
export const BUSY = /Too many requests at once|同時にリクエストが多すぎます/;

/** An initial callback's URL path (`/interactions/<id>/<token>/callback`), as in the bot's logs. */
const CALLBACK_PATH = /\/interactions\/(\d{17,20})\/[^/"?]+\/callback/;

/**
 * Interactions the bot did not acknowledge because Discord's 3 s window for the first answer would
 * have passed before its callback could go out. Discord refuses such a callback (10062), so the bot
 * sends none: its rate-limit hook (`callbackRetryIsFutile`) rejects a callback whose wait for
 * discord.js's limiter (50 requests/s for the whole bot, or a 429's Retry-After) ends past the
 * window, and the bot logs that RateLimitError, which names the callback's URL. On a loaded machine
 * an interaction reaches the bot late (the gateway and the bot are both starved of CPU), and a
 * storm keeps the limiter busy: then some interactions are past the window, as they would be on
 * Discord. The simulator does not enforce the window; only interactions with such a log line and
 * no callback in the simulator's record count here.
 */
export function pastAcknowledgementWindow(sim: DiscordSimulator, bots: readonly BotProcess[]): Set<string> {
  const ids = new Set<string>();
  for (const bot of bots) {
    for (const line of bot.lines) {
      if (!line.includes('"type":"RateLimitError"')) continue;
      const id = CALLBACK_PATH.exec(line)?.[1];
      if (id !== undefined && !sim.calls.some((c) => CALLBACK_PATH.exec(c.path)?.[1] === id)) ids.add(id);
    }
  }
  return ids;
}

/**
 * The answers that are neither a success nor "busy" (silence included), with what the user saw
 * and, to tell why, the bots' last warning and error log lines. A loaded machine may turn work away
 * as busy (nothing charged, the invariant check proves it), and may leave an interaction past
 * Discord's 3 s acknowledgement window unanswered (see `pastAcknowledgementWindow`; the invariant
 * check proves it is charged at most once); it must never leave any other pull unanswered or
 * answer "something went wrong".
 */
export function neitherSuccessNorBusy(
  answered: readonly Answer[],
  drill: Pick<Drill, 'sim' | 'bots'>,
): { id: string; type?: number; data?: unknown; botErrors?: string[] }[] {
  const late = pastAcknowledgementWindow(drill.sim, drill.bots);
  const wrong = unsuccessful(answered).filter((a) =>
    a.data === undefined ? !late.has(a.id) : !BUSY.test(JSON.stringify(a.data)),
  );
  if (wrong.length === 0) return [];
  const lines = drill.bots.flatMap((bot) => bot.lines);
  // Warnings (a callback or edit that failed) and errors (a command that failed), and what the
  // bots logged about the interaction itself.
  const botErrors = lines.filter((line) => /"level":"(warn|error|fatal)"/.test(line)).slice(-3);
  return wrong.map((a) => ({
    ...a,
    botErrors: [...lines.filter((line) => line.includes(a.id)).slice(-3), ...botErrors].map((line) =>
      line.slice(0, 600),
    ),
  }));
}

/** Accepted callbacks per interaction (the simulator refuses a second one with 40060). */
export function acceptedCallbacks(sim: DiscordSimulator, id: string): number {
  return sim.repliesTo(id).filter((r) => r.type < EDIT_ORIGINAL).length;
}

export function finalAnswers(sim: DiscordSimulator, id: string): number {
  const replies = sim.repliesTo(id);
  const deferred = replies.some((r) => r.type === 5);
  return deferred
    ? replies.filter((r) => r.type === EDIT_ORIGINAL || r.type === FOLLOW_UP).length
    : replies.filter((r) => r.type < EDIT_ORIGINAL).length;
}

export interface InvariantReport {
  readonly players: number;
  readonly events: number;
  readonly problems: string[];
}

/**
 * The whole-database check: currency = grants − charges, history matches charges one to one,
 * pity replays, no negative balance (auditLedger); every pull answered with success is in the
 * ledger exactly once; no interaction is in the ledger twice.
 */
export async function checkInvariants(db: Db, answered: readonly Answer[]): Promise<InvariantReport> {
  const audit = await auditLedger(db);
  const problems = [...audit.problems];
  const ledger = collections(db).ledger;
  const counts = new Map<string, number>();
  for (const event of await ledger
    .find({ interactionId: { $ne: null } }, { projection: { interactionId: 1 } })
    .toArray()) {
    if (event.interactionId) counts.set(event.interactionId, (counts.get(event.interactionId) ?? 0) + 1);
  }
  for (const [id, n] of counts) if (n > 1) problems.push(`interaction ${id} is in the ledger ${n} times`);
  for (const answer of answered) {
    if (answer.ok && counts.get(answer.id) !== 1) {
      problems.push(
        `interaction ${answer.id} was answered with success but is in the ledger ${counts.get(answer.id) ?? 0} times`,
      );
    }
  }
  return { players: audit.players, events: audit.events, problems };
}

/** Metric sums from the bot's METRICS_LOG lines (one per period). */
export function loggedMetricTotals(bot: BotProcess): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const line of bot.lines) {
    if (!line.includes('"metrics period"')) continue;
    const parsed = JSON.parse(line) as { metrics?: Record<string, { sum: number; count: number; min: number }> };
    for (const [name, v] of Object.entries(parsed.metrics ?? {})) {
      totals[name] = (totals[name] ?? 0) + v.sum;
      totals[`${name}:min`] = Math.min(totals[`${name}:min`] ?? Number.POSITIVE_INFINITY, v.min);
      totals[`${name}:count`] = (totals[`${name}:count`] ?? 0) + v.count;
    }
  }
  return totals;
}
