/**
 * `npm run bench:host` — what one t3.micro serves. The bundled bot (with the systemd unit's V8
 * flags) and its database (FerretDB on a PostgreSQL server of the benchmark's own) run inside one
 * Linux cgroup that has the t3.micro's budget: 1 GiB of memory for everything together, and a CPU
 * quota of 0.2 CPU (a t3.micro with no CPU credits left: 10 % of each of its 2 vCPUs) or 2 CPUs
 * (while credits last). This process plays Discord (the simulator) and the players, outside the
 * group.
 *
 * For each case it searches the highest offered rate (the bench:e2e command mix) that is
 * sustainable: p99 first callback ≤ 500 ms, every interaction answered within 3 s, ≤ 1 % answered
 * "busy" (overload shedding; private answers such as a daily already claimed do not count), and the history/read-model backlog drained within 60 s after the phase. It prints each
 * step, then the sustainable rate, bot RSS, database RSS and the group's peak memory.
 *
 * Needs root and the cgroup v1 cpu + memory controllers (present on this project's machines) and
 * PostgreSQL's server binaries (Debian `postgresql`). Nothing else may run during a measurement:
 * the load average and a CPU-bound reference job are printed before and after.
 *
 *   BENCH_CASES=0.2,2 BENCH_SECONDS=30 BENCH_PLAYERS=2000 npm run bench:host
 */
import { randomBytes } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { COLLECTIONS } from '../app/storage/collections';
import { migrate } from '../app/storage/schema';
import { ENVIRONMENTS } from '../lib/config/environments';
import { botNodeFlags } from '../lib/constructs/release/host-files';
import { DiscordSimulator } from '../test/discord-simulator/discord-simulator';
import { seedPlayers } from '../test/drills/drill-kit';
import { startBot, type BotProcess } from '../test/e2e/bot-process';
import { startFerretdb, type RunningFerretdb } from '../test/support/mongo-server';
import { BenchCgroup, descendants } from './lib/cgroup';
import { loadAverage, machineLine, referenceJobMs } from './lib/calibration';
import {
  fmtMs,
  idleCpu,
  phase,
  PlayerCursor,
  report,
  withinDeadline,
  type PhasePids,
  type PhaseResult,
} from './lib/load-phases';
import { startPrivatePostgres, type PrivatePostgres } from '../test/support/private-postgres';
import { cpuMs, percentile, rssMiB } from './lib/process-stats';

const GIB = 2 ** 30;
const P99_TARGET_MS = 500;
const DRAIN_LIMIT_MS = 60_000;
const MAX_REFUSED_SHARE = 0.01;

interface Step {
  readonly rate: number;
  readonly result: PhaseResult;
  readonly drainMs: number;
  readonly pass: boolean;
  readonly why: string;
}

interface Stack {
  readonly pg: PrivatePostgres;
  readonly db: RunningFerretdb;
  readonly bot: BotProcess;
  readonly client: MongoClient;
  readonly database: Db;
  readonly sim: DiscordSimulator;
  readonly cursor: PlayerCursor;
  readonly group: BenchCgroup;
}

function databaseRssMiB(stack: Stack): number {
  const pids = [stack.db.pid ?? 0, stack.pg.pid, ...descendants(stack.pg.pid)];
  let total = 0;
  for (const pid of pids) {
    try {
      total += rssMiB(pid);
    } catch {
      // A backend ended meanwhile.
    }
  }
  return total;
}

function databaseCpuMs(stack: { db: RunningFerretdb; pg: PrivatePostgres }): number {
  let total = cpuMs(stack.db.pid);
  for (const pid of [stack.pg.pid, ...descendants(stack.pg.pid)]) {
    try {
      total += cpuMs(pid);
    } catch {
      // A backend ended meanwhile.
    }
  }
  return total;
}

/** Waits until the history holds `expected` documents; returns how long that took (Infinity past the limit). */
async function drainTime(database: Db, expected: number): Promise<number> {
  const started = Date.now();
  const history = database.collection(COLLECTIONS.history);
  while (Date.now() - started < DRAIN_LIMIT_MS) {
    if ((await history.estimatedDocumentCount()) >= expected) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return Number.POSITIVE_INFINITY;
}

async function startStack(cpus: number, playersWanted: number): Promise<Stack> {
  const group = BenchCgroup.create(`gacha-bench-${process.pid}-${String(cpus).replace('.', '_')}`, {
    cpus: 2,
    memoryBytes: GIB,
  });
  const pg = await startPrivatePostgres();
  group.add(pg.pid);
  process.env.FERRETDB_POSTGRESQL_URL = pg.url;
  const db = await startFerretdb();
  group.add(db.pid ?? 0);
  const client = new MongoClient(db.uri);
  await client.connect();
  const database = client.db(`bench_host_${randomBytes(3).toString('hex')}`);
  await migrate(database);
  const sim = new DiscordSimulator();
  await sim.start();
  const guilds = Array.from({ length: 20 }, (_, i) => sim.addGuild(`Host ${i}`));
  // Seeding and start-up happen at the full 2 CPUs; the case's quota applies to the load only.
  const players = await seedPlayers(database, guilds, playersWanted, 1_000_000, { keepCooldowns: true });
  const bot = await startBot({
    apiBase: sim.restBase,
    mongoUri: db.uri,
    database: database.databaseName,
    extra: { NODE_OPTIONS: botNodeFlags(ENVIRONMENTS.prod.tuning).join(' ') },
  });
  group.add(bot.child.pid ?? 0);
  await bot.waitForLog(/gateway ready/, 900_000);
  // The start-up recovery pass runs in the background after login; measure once it is done.
  await bot.waitForLog(/recovery pass finished/, 900_000);
  group.setLimits({ cpus, memoryBytes: GIB });
  return { pg, db, bot, client, database, sim, cursor: new PlayerCursor(players), group };
}

async function stopStack(stack: Stack): Promise<void> {
  await stack.bot.stop().catch(() => undefined);
  await stack.sim.stop().catch(() => undefined);
  await stack.client.close().catch(() => undefined);
  await stack.db.stop().catch(() => undefined);
  await stack.pg.stop().catch(() => undefined);
  stack.group.remove();
}

async function step(stack: Stack, rate: number, seconds: number, pids: PhasePids): Promise<Step> {
  const historyBefore = await stack.database.collection(COLLECTIONS.history).estimatedDocumentCount();
  const result = await phase(
    `${rate}/s`,
    stack.sim,
    stack.cursor,
    Math.max(1, Math.round(rate * seconds)),
    rate,
    pids,
    30_000,
  );
  const drainMs = await drainTime(stack.database, historyBefore + result.pulledOk);
  const p99 = percentile(result.first, 99);
  const reasons: string[] = [];
  if (p99 > P99_TARGET_MS) reasons.push(`p99 ${fmtMs(p99)} ms > ${P99_TARGET_MS}`);
  if (withinDeadline(result) < 1) reasons.push(`${((1 - withinDeadline(result)) * 100).toFixed(1)} % past 3 s`);
  if (result.busy > result.sent * MAX_REFUSED_SHARE) reasons.push(`${result.busy} busy`);
  if (!Number.isFinite(drainMs)) reasons.push('backlog not drained in 60 s');
  return { rate, result, drainMs, pass: reasons.length === 0, why: reasons.join(', ') || 'ok' };
}

/** Doubles the rate until a step fails, then bisects twice between the last pass and the first failure. */
async function searchSustainable(stack: Stack, start: number, seconds: number, pids: PhasePids): Promise<Step[]> {
  const steps: Step[] = [];
  const run = async (rate: number): Promise<Step> => {
    stack.group.resetPeak();
    const s = await step(stack, rate, seconds, pids);
    steps.push(s);
    const group = stack.group.usage();
    process.stdout.write(
      `  ${rate}/s → ${s.pass ? 'PASS' : 'FAIL'} (${s.why}); drained in ${fmtMs(s.drainMs)} ms; ` +
        `database RSS ${databaseRssMiB(stack).toFixed(0)} MiB; group peak ${(group.peakMemoryBytes / 2 ** 20).toFixed(0)} MiB, ` +
        `limit hits ${group.memoryLimitHits}, throttled periods ${group.throttledPeriods}\n`,
    );
    process.stdout.write(`${report(s.result, { botPerSecond: 0, dbPerSecond: 0 })}\n`);
    return s;
  };
  let low = 0;
  let high = 0;
  let rate = start;
  for (let i = 0; i < 8; i += 1) {
    const s = await run(rate);
    if (!s.pass) {
      high = rate;
      break;
    }
    low = rate;
    rate *= 2;
  }
  for (let i = 0; i < 2 && high > 0 && high - low > 1; i += 1) {
    const mid = Math.round((low + high) / 2);
    if ((await run(mid)).pass) low = mid;
    else high = mid;
  }
  return steps;
}

async function runCase(cpus: number, seconds: number, playersWanted: number): Promise<string> {
  process.stdout.write(`\n== ${cpus} CPU, 1 GiB for bot + database ==\n`);
  const stack = await startStack(cpus, playersWanted);
  try {
    const pids: PhasePids = { bot: stack.bot.child.pid ?? 0, dbCpuMs: () => databaseCpuMs(stack) };
    const idle = await idleCpu(pids, 10_000);
    process.stdout.write(
      `idle: bot ${idle.botPerSecond.toFixed(1)} ms CPU/s, database ${idle.dbPerSecond.toFixed(1)} ms CPU/s; ` +
        `bot RSS ${rssMiB(pids.bot).toFixed(0)} MiB, database RSS ${databaseRssMiB(stack).toFixed(0)} MiB\n`,
    );
    const steps = await searchSustainable(stack, cpus < 1 ? 2 : 16, seconds, pids);
    const best = steps.filter((s) => s.pass).sort((a, b) => b.rate - a.rate)[0];
    const peakRss = Math.max(...steps.map((s) => s.result.peakRss));
    const summary = best
      ? `${cpus} CPU: sustainable ${best.rate}/s (p99 first callback ${fmtMs(percentile(best.result.first, 99))} ms, ` +
        `drained ${fmtMs(best.drainMs)} ms) = ${(best.rate * 86_400).toLocaleString('en-US')} interactions/day at that rate; ` +
        `bot RSS peak ${peakRss.toFixed(0)} MiB, database RSS ${databaseRssMiB(stack).toFixed(0)} MiB, ` +
        `group peak ${(stack.group.usage().peakMemoryBytes / 2 ** 20).toFixed(0)} MiB`
      : `${cpus} CPU: no tested rate was sustainable (lowest tried ${steps[0]?.rate ?? '?'}/s)`;
    return summary;
  } finally {
    await stopStack(stack);
  }
}

async function main(): Promise<void> {
  if (!BenchCgroup.available()) {
    throw new Error('bench:host needs root and the cgroup v1 cpu and memory controllers');
  }
  process.env.BOT_SOURCE_MAPS = 'false';
  const cases = (process.env.BENCH_CASES ?? '0.2,2')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  const seconds = Number(process.env.BENCH_SECONDS ?? 30);
  const playersWanted = Number(process.env.BENCH_PLAYERS ?? 2_000);
  process.stdout.write(
    `${machineLine()}\nload average before: ${loadAverage()}; reference job (SHA-256 of 256 MiB): ${referenceJobMs().toFixed(0)} ms\n`,
  );
  const summaries: string[] = [];
  for (const cpus of cases) summaries.push(await runCase(cpus, seconds, playersWanted));
  process.stdout.write(
    `\nload average after: ${loadAverage()}; reference job: ${referenceJobMs().toFixed(0)} ms\n${summaries.join('\n')}\n`,
  );
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
