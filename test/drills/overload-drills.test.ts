/**
 * Overload drills (issue 22), end to end: the bundled bot as a process, the Discord simulator, the
 * MongoDB-wire test server. Both are driven by events (answers, log lines, the health document),
 * never by fixed sleeps, and end with the whole-database invariant check.
 *  1. kill -9 with a big projection backlog: ready within seconds, every command answered, drained.
 *  2. Sustained overload: every command answered within Discord's 3 s (success or busy), the
 *     backlog within its bound, drained within 60 s of the load stopping, bot RSS within budget.
 * `npm test` runs short forms; `npm run drills` runs the full ones (see the env knobs below).
 *
 * @long-running minutes by design (calibration, 20 s of overload, a 1,500-event backlog drained)
 */
import type { Db } from 'mongodb';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { BOT_MALLOC_ENV, botNodeFlags } from '../../lib/constructs/release/host-files';
import { createServices } from '../../app/services/create-services';
import { collections, playerKey } from '../../app/storage/collections';
import { type Stores, createStores } from '../../app/storage/stores';
import { type DiscordSimulator, simSnowflake } from '../discord-simulator/discord-simulator';
import { type BotProcess, startBot } from '../e2e/bot-process';
import { BulkLedger } from './bulk-ledger';
import {
  type Answer,
  type Drill,
  type Player,
  checkInvariants,
  finalAnswers,
  answers,
  openDrill,
  pullsUntil,
  seedPlayers,
  sendPull,
  successes,
} from './drill-kit';

/**
 * Drill 1: ledger events committed and not projected at the kill. The issue asks for ≥ 5,000: the
 * full form (`npm run drills`, `npm run drills:overload`) sets 5,200; `npm test` runs a short form
 * of 1,500 (the same path; the drain after it takes minutes on FerretDB at 5,200).
 */
const BACKLOG_EVENTS = Number(process.env.DRILL_BACKLOG_EVENTS ?? 1_500);
/** Drill 1: spawn → "gateway ready" bound asserted (the target is 10 s; CI machines get slack). */
const READY_BOUND_MS = Number(process.env.DRILL_READY_MS ?? 20_000);
/**
 * Drill 2: offered commands per second. Unset: 3 × the sustainable rate measured first on this
 * machine (a closed loop of pulls, see `sustainableRate`), so a loaded runner is not offered 3 ×
 * an idle machine's capacity; set: that fixed rate.
 */
const FIXED_OVERLOAD_RATE = process.env.DRILL_OVERLOAD_RATE ? Number(process.env.DRILL_OVERLOAD_RATE) : undefined;
/** Drill 2: seconds of the closed loop that measures the sustainable rate. */
const CALIBRATION_SECONDS = Number(process.env.DRILL_CALIBRATION_SECONDS ?? 8);
const OVERLOAD_SECONDS = Number(process.env.DRILL_OVERLOAD_SECONDS ?? 20);
/**
 * Drill 2: players the load is spread over (at most a command every few seconds each, so one
 * player's commands seldom wait for each other). The full form seeds 300; the short form 100: on
 * SQLite storage each grant scans the ledger, and seeding 300 was most of the 95 s before the short
 * form's calibration ended (a loaded CI run).
 */
const OVERLOAD_PLAYERS = Number(process.env.DRILL_OVERLOAD_PLAYERS ?? 100);
/**
 * Drill 2: the projection backlog bound given to the bot through its TEST-ONLY knob, so the short
 * form reaches it; 0 keeps the production bound (10,000 events), as the full form does.
 */
const OVERLOAD_BACKLOG = Number(process.env.DRILL_OVERLOAD_BACKLOG ?? 100);
const PRODUCTION_BACKLOG_ITEMS = 10_000;
/** Commits already in flight when the bound is reached (the handler's concurrency). */
const IN_FLIGHT = 32;
const DISCORD_ACK_MS = 3_000;
const DRAIN_BOUND_MS = 60_000;
const RSS_BUDGET_BYTES = ENVIRONMENTS.prod.tuning.botMemoryMaxMb * 1024 * 1024;

// Generous: building a 5,000-event ledger and seeding take minutes on a loaded shared runner.
jest.setTimeout(Math.max(900_000, (OVERLOAD_SECONDS + 600) * 1000));

const BUSY = /Too many requests at once|同時にリクエストが多すぎます/;
/** A /history answer (ephemeral by design, so not `ok` in the drill kit's sense). */
const HISTORY = /pulls \(\d+\)|ガチャ履歴（\d+件）/;

function progress(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

interface HealthDocument {
  readonly projectionBacklog: { readonly items: number; readonly bytes: number; readonly lagSeconds: number };
  readonly rssBytes: number;
}

/** A bot like `Drill.startBot`, with further environment variables (the test-only knob). */
async function startDrillBot(d: Drill, extra: Readonly<Record<string, string>> = {}): Promise<BotProcess> {
  const bot = await startBot({
    apiBase: d.sim.restBase,
    mongoUri: d.uri,
    database: d.database,
    // The systemd unit's V8 flags and glibc malloc settings, so RSS is measured against MemoryMax
    // as in production.
    extra: {
      METRICS_LOG: 'true',
      METRICS_PERIOD_SECONDS: '1',
      NODE_OPTIONS: botNodeFlags(ENVIRONMENTS.prod.tuning).join(' '),
      ...BOT_MALLOC_ENV,
      ...extra,
    },
  });
  d.bots.push(bot);
  await bot.waitForLog(/gateway ready/, 30_000);
  return bot;
}

async function healthPort(bot: BotProcess): Promise<number> {
  const line = await bot.waitForLog(/health endpoint on 127\.0\.0\.1/);
  return (JSON.parse(line) as { port: number }).port;
}

/**
 * The bot's health document. A reused keep-alive connection that the server closed as idle (a
 * sampler starved of CPU can sleep past its 5 s keep-alive) fails with ECONNRESET: that is the
 * probe's problem, not the bot's, so it asks again on a new connection — unless the bot has exited.
 */
async function health(port: number, bot?: BotProcess): Promise<HealthDocument> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`, { keepalive: false });
      return (await response.json()) as HealthDocument;
    } catch (error) {
      if (bot && bot.child.exitCode !== null)
        throw new Error(`the bot exited (${bot.child.exitCode})`, { cause: error });
      if (attempt >= 5) throw error;
    }
  }
}

/**
 * Store set of a process that committed and then died before projecting: a projection writer that
 * never writes and a ledger that stages its events for one bulk write (see BulkLedger).
 */
function heldStores(db: Db): Stores & { readonly ledger: BulkLedger } {
  const never = Number.MAX_SAFE_INTEGER;
  const stores = createStores(db, {
    settingsCacheTtlMs: 3_600_000,
    projectionDelayMs: 3_600_000,
    projectionBacklog: { items: never, bytes: never, seconds: never },
  });
  return { ...stores, ledger: new BulkLedger(db, stores.projections) };
}

/** Events in the ledger past each player's read model (committed, not yet projected). */
async function unprojectedEvents(db: Db): Promise<number> {
  const c = collections(db);
  const newest = new Map<string, number>();
  for await (const e of c.ledger.find({}, { projection: { guildId: 1, userId: 1, seq: 1 } })) {
    const key = playerKey(e.guildId, e.userId);
    newest.set(key, Math.max(newest.get(key) ?? 0, e.seq));
  }
  const projected = new Map<string, number>();
  for await (const u of c.users.find({}, { projection: { seq: 1 } })) projected.set(u._id, u.seq);
  let behind = 0;
  for (const [key, seq] of newest) behind += Math.max(0, seq - (projected.get(key) ?? 0));
  return behind;
}

function sendCommand(sim: DiscordSimulator, player: Player, commandName: string): string {
  return sim.sendInteraction({ guildId: player.guildId, member: { userId: player.userId }, commandName });
}

interface Timed extends Answer {
  /** The final answer's text (content and embeds), for busy / catching-up checks. */
  readonly text: string;
  /** Milliseconds from sending to the first callback (the acknowledgement Discord waits 3 s for). */
  readonly ackMs: number | undefined;
}

async function timedAnswers(
  sim: DiscordSimulator,
  sent: readonly { id: string; at: number }[],
  timeoutMs: number,
): Promise<Timed[]> {
  return Promise.all(
    sent.map(async ({ id, at }) => {
      const first = await sim.waitForReply(id, timeoutMs).catch(() => undefined);
      const reply = await sim.waitForAnswer(id, timeoutMs).catch(() => undefined);
      const ephemeral = reply ? (Number(reply.data.flags ?? 0) & 64) === 64 : true;
      return {
        id,
        reply,
        ok: reply !== undefined && !ephemeral,
        text: reply ? JSON.stringify(reply.data) : '',
        ackMs: first ? first.at - at : undefined,
      };
    }),
  );
}

describe('overload drills', () => {
  let drill: Drill | undefined;
  afterEach(async () => {
    await drill?.close();
    drill = undefined;
  });

  it(`kill -9 with ≥ ${BACKLOG_EVENTS} pulls not yet projected: restarted bot ready at once, every command answered, backlog drained`, async () => {
    // On PostgreSQL: with SQLite storage, FerretDB scans the ledger for every lookup by `_id`, and
    // 32 commands of players 26 events behind took longer than the drill's 30 s (see DrillOptions).
    drill = await openDrill({ storage: 'postgresql' });
    const d = drill;
    const players = await seedPlayers(d.db, d.guilds, 200);
    progress('drill 1: players seeded');

    // A process that committed BACKLOG_EVENTS pulls and projected none of them. The pulls are
    // decided by the gacha service on each player's real head (round the players, one at a time)
    // and written in bulk: one command at a time took 7 minutes on a loaded machine.
    const seedStarted = Date.now();
    const heldStoreSet = heldStores(d.db);
    const held = createServices(heldStoreSet);
    // Pull items per player (what a complete history lists), known from the seed: 30 scans of the
    // ledger (no index on FerretDB's SQLite) took minutes on a loaded machine.
    const pulled = new Map<string, number>();
    // Pull commands per player: what `/history`'s title counts (one entry per pull command).
    const pullCommands = new Map<string, number>();
    for (let i = 0; i < BACKLOG_EVENTS; i++) {
      const player = players[i % players.length];
      if (!player) break;
      const result = await held.gacha.pull(
        { ...player, interactionId: simSnowflake() },
        { count: i % 4 === 0 ? 10 : 1 },
      );
      const key = playerKey(player.guildId, player.userId);
      pulled.set(key, (pulled.get(key) ?? 0) + result.items.length);
      pullCommands.set(key, (pullCommands.get(key) ?? 0) + 1);
    }
    const written = await heldStoreSet.ledger.flush();
    expect(written).toBe(BACKLOG_EVENTS);
    expect(await unprojectedEvents(d.db)).toBeGreaterThanOrEqual(BACKLOG_EVENTS);
    progress(`drill 1: ${BACKLOG_EVENTS} events committed without projections in ${Date.now() - seedStarted} ms`);

    // The bot logs in with that backlog (its recovery starts in the background) and is killed.
    const first = await d.startBot();
    await first.stop('SIGKILL');
    const atKill = await unprojectedEvents(d.db);
    expect(atKill).toBeGreaterThanOrEqual(BACKLOG_EVENTS);

    progress(`drill 1: bot killed with ${atKill} events unprojected`);
    const spawned = Date.now();
    const second = await d.startBot();
    const readyMs = Date.now() - spawned;
    const port = await healthPort(second);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    // Right after the restart, while recovery runs: pulls, history, profile and leaderboard.
    const readers = players.slice(0, 30);
    const pullers = players.slice(30, 90);
    const expectedHistory = readers.map((p) => pullCommands.get(playerKey(p.guildId, p.userId)) ?? 0);
    const expectedItems = readers.map((p) => pulled.get(playerKey(p.guildId, p.userId)) ?? 0);
    const sentAt = Date.now();
    const historyIds = readers.map((p) => sendCommand(d.sim, p, 'history'));
    const profileIds = readers.map((p) => sendCommand(d.sim, p, 'profile'));
    const leaderboardIds = readers.slice(0, 5).map((p) => sendCommand(d.sim, p, 'leaderboard'));
    const pullIds = pullers.map((p) => sendPull(d.sim, p));
    const all = [...historyIds, ...profileIds, ...leaderboardIds, ...pullIds].map((id) => ({ id, at: sentAt }));
    const answered = await timedAnswers(d.sim, all, 30_000);
    const byId = new Map(answered.map((a) => [a.id, a]));
    const silent = answered.filter((a) => a.reply === undefined);
    if (silent.length > 0) {
      // Why, for the analysis: what the restarted bot logged (its warnings, errors and last lines).
      const lines = second.lines.filter((line) => /"level":"(warn|error|fatal)"/.test(line)).slice(-10);
      const acked = silent.filter((a) => a.ackMs !== undefined).length;
      progress(
        `drill 1: ${silent.length} without a final answer (${acked} of them acknowledged); restarted bot logged ${second.lines.length} lines; last:`,
      );
      progress(
        `drill 1: gateway ${d.sim.gatewayLog.join(',')}; REST calls ${d.sim.calls
          .slice(-8)
          .map((c) => `${c.path} ${c.status}`)
          .join(' | ')}`,
      );
      for (const line of [...lines, ...second.lines.slice(-40)]) progress(`  ${line.slice(0, 400)}`);
    }
    expect(silent.map((a) => a.id)).toEqual([]);
    // Pulls: success or the backlog's busy, never another error.
    for (const id of pullIds) {
      const a = byId.get(id);
      expect(a?.ok === true || BUSY.test(a?.text ?? '')).toBe(true);
    }
    // Players behind read their history from the ledger: complete, not an error. A read that
    // waited more than the handler's 10 s for a slot (a loaded machine) may be answered busy
    // instead; every other read is complete, and some must be.
    const busyRead = (id: string): boolean => BUSY.test(byId.get(id)?.text ?? '');
    historyIds.forEach((id, i) => {
      if (busyRead(id)) return;
      // Complete: every pull command listed, and the month's total counts every item pulled.
      expect(byId.get(id)?.text).toMatch(new RegExp(`pulls \\(${expectedHistory[i]}\\)`));
      const monthly = [...(byId.get(id)?.text ?? '').matchAll(/\((\d[\d,]*) pulls\)/g)];
      expect(monthly.reduce((sum, m) => sum + Number((m[1] ?? '0').replaceAll(',', '')), 0)).toBe(expectedItems[i]);
    });
    // Profiles (private by design) and leaderboards answer normally, or busy; the texts of any
    // other answer are shown.
    const isProfile = (id: string): boolean => /'s profile"/.test(byId.get(id)?.text ?? '');
    const notOk = [
      ...profileIds.filter((id) => !busyRead(id) && !isProfile(id)),
      ...leaderboardIds.filter((id) => !busyRead(id) && byId.get(id)?.ok !== true),
    ].map((id) => byId.get(id)?.text.slice(0, 300));
    expect(notOk).toEqual([]);
    expect(historyIds.filter((id) => !busyRead(id)).length).toBeGreaterThan(0);
    expect(profileIds.filter((id) => !busyRead(id)).length).toBeGreaterThan(0);

    progress(`drill 1: ${answered.length} commands answered after the restart`);
    // The backlog drains: the background recovery pass finishes and nothing is left behind.
    const finished = await second.waitForLog(/recovery pass finished/, 240_000);
    const recovered = (JSON.parse(finished) as { recovered: number }).recovered;
    for (let i = 0; i < 240 && (await health(port, second)).projectionBacklog.items > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(await unprojectedEvents(d.db)).toBe(0);
    // Only the pulls charge: a public leaderboard answer is a success that is rightly not in the ledger.
    const pullSet = new Set(pullIds);
    const report = await checkInvariants(
      d.db,
      answered.filter((a) => pullSet.has(a.id)),
    );
    expect(report.problems).toEqual([]);
    process.stdout.write(
      `overload drill 1: ${atKill} events unprojected at kill -9; restart to gateway ready ${readyMs} ms; ` +
        `${answered.length} commands answered (${answered.filter((a) => BUSY.test(a.text)).length} busy); ` +
        `recovery settled ${recovered} events\n`,
    );
    expect(readyMs).toBeLessThanOrEqual(READY_BOUND_MS);
  });

  it(`sustained overload (${FIXED_OVERLOAD_RATE !== undefined ? `${FIXED_OVERLOAD_RATE}/s` : '3 × the measured sustainable rate'} for ${OVERLOAD_SECONDS} s): every command answered within 3 s, backlog bounded and drained, RSS within budget`, async () => {
    // On SQLite storage (the shared test server's kind), where the database is what limits the
    // sustainable rate, so 3 × that rate overloads the bot however loaded the machine is. (On
    // PostgreSQL storage, inside a loaded suite run, the calibration measured 4.0/s, the bot then
    // served all of 12/s, and the short form never reached its bound.)
    drill = await openDrill();
    const d = drill;
    const players = await seedPlayers(d.db, d.guilds, OVERLOAD_PLAYERS, 1_000_000);
    progress('drill 2: players seeded');
    const bound = OVERLOAD_BACKLOG > 0 ? OVERLOAD_BACKLOG : PRODUCTION_BACKLOG_ITEMS;
    const bot = await startDrillBot(
      d,
      OVERLOAD_BACKLOG > 0 ? { NODE_ENV: 'test', GACHA_TEST_PROJECTION_BACKLOG_ITEMS: String(OVERLOAD_BACKLOG) } : {},
    );
    const port = await healthPort(bot);
    if (OVERLOAD_BACKLOG > 0) await bot.waitForLog(/TEST-ONLY projection backlog bound/);
    progress('drill 2: bot ready');

    // The health document sampled every 250 ms (bounded) until the load has stopped and drained:
    // drained means every command sent has its final answer (the handler's waiting line is empty)
    // AND the projection backlog is empty, both seen in the same sample.
    let maxItems = 0;
    let maxRss = 0;
    const load = { done: false };
    let loadEnd = 0;
    const sent: { id: string; at: number }[] = [];
    const allAnswered = (): boolean => sent.every(({ id }) => finalAnswers(d.sim, id) > 0);
    const sampler = (async (): Promise<number | undefined> => {
      const limit = Math.ceil(((OVERLOAD_SECONDS + CALIBRATION_SECONDS) * 1000 + DRAIN_BOUND_MS + 120_000) / 250);
      for (let i = 0; i < limit; i++) {
        const h = await health(port, bot);
        maxItems = Math.max(maxItems, h.projectionBacklog.items);
        maxRss = Math.max(maxRss, h.rssBytes);
        if (load.done && h.projectionBacklog.items === 0 && allAnswered()) return Date.now();
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return undefined;
    })();

    // The sustainable rate: pulls in a closed loop (at most 16 unanswered), the successes counted.
    const calibration: string[] = [];
    const calibrationStart = Date.now();
    await pullsUntil(
      d.sim,
      players,
      200,
      calibration,
      () => Date.now() - calibrationStart >= CALIBRATION_SECONDS * 1000,
      'calibration',
      CALIBRATION_SECONDS * 1000 + 30_000,
      16,
    );
    const calibrated = await answers(d.sim, calibration, 60_000);
    const sustainable = (successes(d.sim, calibration) * 1000) / (Date.now() - calibrationStart);
    const OVERLOAD_RATE = FIXED_OVERLOAD_RATE ?? Math.max(3, Math.round(3 * sustainable));
    progress(`drill 2: sustainable ${sustainable.toFixed(1)}/s measured; offering ${OVERLOAD_RATE}/s`);
    for (let i = 0; i < 240 && (await health(port, bot)).projectionBacklog.items > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    // The load: 4 pulls (one a 10-pull) to 1 history, spread over the players, at OVERLOAD_RATE.
    const total = OVERLOAD_RATE * OVERLOAD_SECONDS;
    const started = Date.now();
    for (let i = 0; i < total; i++) {
      const player = players[i % players.length];
      if (!player) break;
      const at = Date.now();
      const id = i % 5 === 4 ? sendCommand(d.sim, player, 'history') : sendPull(d.sim, player, i % 5 === 0 ? 10 : 1);
      sent.push({ id, at });
      const wait = started + ((i + 1) * 1000) / OVERLOAD_RATE - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    loadEnd = Date.now();
    load.done = true;
    const answered = await timedAnswers(d.sim, sent, DRAIN_BOUND_MS + 60_000);
    const drainedAt = await sampler;

    const silent = answered.filter((a) => a.reply === undefined).map((a) => a.id);
    const late = answered.filter((a) => a.ackMs === undefined || a.ackMs > DISCORD_ACK_MS);
    const ackTimes = answered.map((a) => a.ackMs ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
    const busy = answered.filter((a) => BUSY.test(a.text)).length;
    const succeeded = answered.filter((a) => a.ok || HISTORY.test(a.text)).length;
    const report = await checkInvariants(d.db, [...calibrated, ...answered]);
    process.stdout.write(
      `overload drill 2: ${answered.filter((a) => a.ackMs !== undefined).length} acknowledged, ${silent.length} without a final answer; offered ${OVERLOAD_RATE}/s for ${OVERLOAD_SECONDS} s (${sent.length} commands, ` +
        `${((sent.length * 1000) / (loadEnd - started)).toFixed(1)}/s achieved offering); ${succeeded} succeeded, ${busy} busy; ` +
        `first callback p99 ${ackTimes[Math.floor(ackTimes.length * 0.99)]} ms, max ${ackTimes.at(-1)} ms; ` +
        `backlog max ${maxItems} (bound ${bound}); every answer given and backlog empty ${drainedAt ? drainedAt - loadEnd : 'never'} ms after the load stopped; ` +
        `bot RSS max ${Math.round(maxRss / 1024 / 1024)} MiB (budget ${RSS_BUDGET_BYTES / 1024 / 1024} MiB)\n`,
    );
    expect(silent).toEqual([]);
    // Every answer is a success or busy (history may say it is catching up, which is a success).
    expect(
      answered.filter((a) => !a.ok && !BUSY.test(a.text) && !HISTORY.test(a.text)).map((a) => a.text.slice(0, 200)),
    ).toEqual([]);
    expect(late.map((a) => a.ackMs)).toEqual([]);
    expect(maxItems).toBeLessThanOrEqual(bound + IN_FLIGHT);
    expect(drainedAt).toBeDefined();
    expect((drainedAt ?? Number.POSITIVE_INFINITY) - loadEnd).toBeLessThanOrEqual(DRAIN_BOUND_MS);
    expect(await unprojectedEvents(d.db)).toBe(0);
    expect(report.problems).toEqual([]);
    expect(maxRss).toBeLessThanOrEqual(RSS_BUDGET_BYTES);
    // Reaching the bound (as sampled) means the charging commands after it were refused as busy.
    if (maxItems >= bound) expect(busy).toBeGreaterThan(0);
    expect(succeeded).toBeGreaterThan(0);
  });
});
