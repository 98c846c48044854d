/**
 * The load the benchmarks offer to a running bot through the simulator: a realistic command mix
 * (of 21: 9 single pulls, 5 10-pulls, 2 daily, 2 profile, 2 collection, 1 confirmed gift) from many players
 * at a fixed rate or as a burst, and what each phase measured (latency to the first callback and to
 * the final answer, CPU per interaction from /proc, bot RSS).
 */
import { DiscordSimulator, EDIT_ORIGINAL, FOLLOW_UP } from '../../test/discord-simulator/discord-simulator';
import type { Player } from '../../test/drills/drill-kit';
import { messages } from '../../app/discord/i18n';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { cpuMs, percentile, rssMiB } from './process-stats';

export type Kind = 'pull1' | 'pull10' | 'daily' | 'profile' | 'collection' | 'gift';
export const MIX: readonly Kind[] = [
  ...Array<Kind>(9).fill('pull1'),
  ...Array<Kind>(5).fill('pull10'),
  ...Array<Kind>(2).fill('daily'),
  ...Array<Kind>(2).fill('profile'),
  ...Array<Kind>(2).fill('collection'),
  // A gift of 1 currency to a member, confirmed at once: two interactions (proposal + Confirm), the
  // Confirm is the one measured (it carries the two-party move: escrow, outcome, receipt).
  'gift',
];

const EPHEMERAL = 64;
/** The handler's "busy, try again" answer in both languages (app/discord/i18n.ts). */
const BUSY_TEXTS = [messages('en').errors.busy({}), messages('ja').errors.busy({})];

export function send(sim: DiscordSimulator, player: Player, kind: Kind): string {
  const base = { guildId: player.guildId, member: { userId: player.userId } };
  switch (kind) {
    case 'pull1':
      return sim.sendInteraction({ ...base, commandName: 'gacha', subcommand: 'pull' });
    case 'pull10':
      return sim.sendInteraction({
        ...base,
        commandName: 'gacha',
        subcommand: 'pull',
        options: [{ name: 'count', type: 4, value: 10 }],
      });
    case 'gift': {
      const proposal = sim.sendInteraction({
        ...base,
        commandName: 'give',
        options: [
          { name: 'member', type: 6, value: `${BigInt(player.userId) + 1n}` },
          { name: 'amount', type: 4, value: 1 },
        ],
      });
      return sim.sendInteraction({ ...base, commandName: '', customId: `give:confirm:gift:${proposal}` });
    }
    default:
      return sim.sendInteraction({ ...base, commandName: kind });
  }
}

export interface PhaseResult {
  readonly name: string;
  readonly sent: number;
  readonly seconds: number;
  /** Sorted latencies (ms) to the first callback; Infinity for an interaction never answered. */
  readonly first: number[];
  /** Sorted latencies (ms) to what the player finally sees. */
  readonly final: number[];
  readonly botCpuMs: number;
  readonly dbCpuMs: number;
  readonly peakRss: number;
  readonly medianRss: number;
  /** Items in the pulls sent. */
  readonly pulls: number;
  /** Items in the pulls answered with success (not an ephemeral "busy"/error). */
  readonly pulledOk: number;
  /** Interactions answered with an ephemeral message (busy, an error, or a private answer such as a daily already claimed). */
  readonly refused: number;
  /** Interactions answered "busy, try again" (overload shedding: nothing charged). */
  readonly busy: number;
  /** CPU of this process (load generator and simulator) during the phase, and its worst event-loop delay. */
  readonly driverCpuMs: number;
  readonly driverLoopMaxMs: number;
}

export interface PhasePids {
  readonly bot: number;
  dbCpuMs(): number;
}

/** Where successive phases continue in the player list (so cooldowns and pity spread). */
export class PlayerCursor {
  private offset: number;
  constructor(private readonly players: readonly Player[]) {
    this.offset = Math.floor(Math.random() * players.length);
  }
  next(): Player | undefined {
    const player = this.players[this.offset % this.players.length];
    this.offset += 1;
    return player;
  }
}

export async function phase(
  name: string,
  sim: DiscordSimulator,
  cursor: PlayerCursor,
  total: number,
  perSecond: number | 'burst',
  pids: PhasePids,
  answerTimeoutMs = 120_000,
): Promise<PhaseResult> {
  const sentAt = new Map<string, number>();
  const items = new Map<string, number>();
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(rssMiB(pids.bot)), 100);
  // This process plays Discord and the players: if it is starved, every latency it measures grows.
  const driverCpu0 = process.cpuUsage();
  const driverLoop = monitorEventLoopDelay({ resolution: 20 });
  driverLoop.enable();
  const botCpu0 = cpuMs(pids.bot);
  const dbCpu0 = pids.dbCpuMs();
  const started = Date.now();
  let pulls = 0;
  for (let i = 0; i < total; i += 1) {
    const player = cursor.next();
    const kind = MIX[i % MIX.length] ?? 'pull1';
    if (!player) continue;
    const count = kind === 'pull1' ? 1 : kind === 'pull10' ? 10 : 0;
    pulls += count;
    const id = send(sim, player, kind);
    sentAt.set(id, Date.now());
    if (count > 0) items.set(id, count);
    if (perSecond !== 'burst') {
      const wait = started + ((i + 1) * 1000) / perSecond - Date.now();
      if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
  const ids = [...sentAt.keys()];
  await Promise.all(ids.map((id) => sim.waitForAnswer(id, answerTimeoutMs).catch(() => undefined)));
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  driverLoop.disable();
  const driverCpu = process.cpuUsage(driverCpu0);
  const first: number[] = [];
  const final: number[] = [];
  let pulledOk = 0;
  let refused = 0;
  let busy = 0;
  for (const id of ids) {
    const at = sentAt.get(id) ?? 0;
    const replies = sim.repliesTo(id);
    const callback = replies.find((r) => r.type < EDIT_ORIGINAL);
    const answer =
      callback?.type === 5 ? replies.find((r) => r.type === EDIT_ORIGINAL || r.type === FOLLOW_UP) : callback;
    first.push(callback ? callback.at - at : Number.POSITIVE_INFINITY);
    final.push(answer ? answer.at - at : Number.POSITIVE_INFINITY);
    const ephemeral = answer ? (Number(answer.data.flags ?? 0) & EPHEMERAL) === EPHEMERAL : false;
    if (answer && ephemeral) refused += 1;
    const content = answer?.data.content;
    if (typeof content === 'string' && BUSY_TEXTS.some((text) => content.includes(text))) busy += 1;
    if (answer && !ephemeral) pulledOk += items.get(id) ?? 0;
  }
  first.sort((a, b) => a - b);
  final.sort((a, b) => a - b);
  const sortedRss = [...rss].sort((a, b) => a - b);
  return {
    name,
    sent: total,
    seconds,
    first,
    final,
    botCpuMs: cpuMs(pids.bot) - botCpu0,
    dbCpuMs: pids.dbCpuMs() - dbCpu0,
    peakRss: rss.length > 0 ? Math.max(...rss) : rssMiB(pids.bot),
    medianRss: percentile(sortedRss, 50, rssMiB(pids.bot)),
    pulls,
    pulledOk,
    refused,
    busy,
    driverCpuMs: (driverCpu.user + driverCpu.system) / 1000,
    driverLoopMaxMs: driverLoop.max / 1e6,
  };
}

/** CPU ms per second each process spends with no interactions (heartbeats, timers, the database's own work). */
export interface IdleCpu {
  readonly botPerSecond: number;
  readonly dbPerSecond: number;
}

export async function idleCpu(pids: PhasePids, ms: number): Promise<IdleCpu> {
  const bot0 = cpuMs(pids.bot);
  const db0 = pids.dbCpuMs();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { botPerSecond: ((cpuMs(pids.bot) - bot0) * 1000) / ms, dbPerSecond: ((pids.dbCpuMs() - db0) * 1000) / ms };
}

export const fmtMs = (n: number): string => (Number.isFinite(n) ? n.toFixed(0) : '∞');

/** Share of interactions whose first callback came within Discord's 3 s. */
export function withinDeadline(r: PhaseResult): number {
  return r.first.filter((l) => l <= 3_000).length / Math.max(1, r.first.length);
}

export function report(r: PhaseResult, idle: IdleCpu): string {
  const marginal =
    (r.botCpuMs - idle.botPerSecond * r.seconds + r.dbCpuMs - idle.dbPerSecond * r.seconds) / Math.max(1, r.pulls);
  return [
    `${r.name}: ${r.sent} interactions (${r.pulls} items pulled) in ${r.seconds.toFixed(1)} s → ${(r.sent / r.seconds).toFixed(0)}/s; ${r.busy} answered busy, ${r.refused} privately (busy, errors, daily already claimed)`,
    `  first callback ms p50 ${fmtMs(percentile(r.first, 50))} p95 ${fmtMs(percentile(r.first, 95))} p99 ${fmtMs(percentile(r.first, 99))}; within 3 s ${(withinDeadline(r) * 100).toFixed(1)} %`,
    `  final answer   ms p50 ${fmtMs(percentile(r.final, 50))} p95 ${fmtMs(percentile(r.final, 95))} p99 ${fmtMs(percentile(r.final, 99))}`,
    `  CPU per interaction: bot ${(r.botCpuMs / r.sent).toFixed(2)} ms, database ${(r.dbCpuMs / r.sent).toFixed(2)} ms; per item pulled (bot+db) ${((r.botCpuMs + r.dbCpuMs) / Math.max(1, r.pulls)).toFixed(2)} ms`,
    `  CPU per item pulled beyond idle (bot+db): ${marginal.toFixed(2)} ms`,
    `  bot RSS: median ${r.medianRss.toFixed(0)} MiB, peak ${r.peakRss.toFixed(0)} MiB`,
    `  load generator + simulator (this process): CPU ${(r.driverCpuMs / r.sent).toFixed(2)} ms per interaction, event-loop delay max ${fmtMs(r.driverLoopMaxMs)} ms`,
  ].join('\n');
}
