/**
 * The load the benchmarks offer to a running bot through the simulator: a realistic command mix
 * (of 22: 9 single pulls, 5 10-pulls, 2 daily, 2 profile, 2 collection, 1 gift proposed and
 * confirmed, 1 trade in which both sides put something in and both accept) from many players at a
 * fixed rate or as a burst, and what each phase measured (latency to the first callback and to the
 * final answer, in total and per step of the mix; CPU per interaction from /proc, bot RSS).
 */
import {
  DiscordSimulator,
  type InteractionOptions,
  type InteractionReply,
} from '../../test/discord-simulator/discord-simulator';
import type { Player } from '../../test/drills/drill-kit';
import { messages } from '../../app/discord/i18n';
import { socialStrings } from '../../app/discord/social-strings';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type Answered, answered, breakdown, breakdownLines, outcomeOf, type StepFigures } from './phase-breakdown';
import { cpuMs, percentile, rssMiB } from './process-stats';

export type Kind = 'pull1' | 'pull10' | 'daily' | 'profile' | 'collection' | 'gift' | 'trade';
/**
 * Of 22: 9 single pulls, 5 10-pulls, 2 daily, 2 profile, 2 collection, 1 gift, 1 trade, interleaved
 * so that even a short phase has some of each (the gift and the trade within its first 11).
 *
 * The gift is 1 currency to a member: two interactions, /give and, once it is answered, the Confirm
 * button of its answer (which carries the two-party move: escrow, outcome, receipt). Sent together
 * with the proposal (the mix before the trade was added), the Confirm reached the bot first and was
 * refused.
 *
 * The trade is with another player of the same server, each step sent once the previous one is
 * answered, through the bot's buttons and form: /trade offering 1 currency; the other player presses
 * "Change my side" and sends the form putting in 1 currency (a new version of the offer); the
 * proposer accepts, then the other player accepts and the swap is carried out.
 */
export const MIX: readonly Kind[] = [
  'pull1',
  'pull10',
  'trade',
  'pull1',
  'daily',
  'pull1',
  'profile',
  'pull10',
  'pull1',
  'collection',
  'gift',
  'pull1',
  'pull10',
  'pull1',
  'daily',
  'pull1',
  'profile',
  'pull10',
  'pull1',
  'collection',
  'pull1',
  'pull10',
];

/**
 * The mix a phase sends: `MIX`, or with `BENCH_SOCIAL=off` the same without the gift and the trade
 * (of 20), to see what the social moves cost the pulls in the same run conditions.
 */
export function activeMix(social: boolean = process.env.BENCH_SOCIAL !== 'off'): readonly Kind[] {
  return social ? MIX : MIX.filter((kind) => kind !== 'gift' && kind !== 'trade');
}

/** The steps of the mix as the per-step report lists them. */
export const STEPS = [
  'single pull',
  '10-pull',
  'daily',
  'profile',
  'collection',
  'gift: proposal',
  'gift: confirm',
  'trade: proposal',
  'trade: change-side button',
  'trade: side form',
  'trade: first accept',
  'trade: second accept',
] as const;
export type Step = (typeof STEPS)[number];

const STEP_OF: Record<Exclude<Kind, 'gift' | 'trade'>, Step> = {
  pull1: 'single pull',
  pull10: '10-pull',
  daily: 'daily',
  profile: 'profile',
  collection: 'collection',
};

/** The handler's "busy, try again" answer in both languages (app/discord/i18n.ts). */
const BUSY_TEXTS = [messages('en').errors.busy({}), messages('ja').errors.busy({})];
/** How a settled trade's answer starts, in both languages (app/discord/social-strings.ts). */
const TRADE_DONE = (['en', 'ja'] as const).map(
  (locale) => socialStrings(locale).tradeDone({ from: '\0', to: '\0', gives: '\0', wants: '\0' }).split('\0')[0] ?? '',
);
const MODAL = 9;
const USER_OPTION = 6;
const INTEGER_OPTION = 4;

/** Records an interaction as sent (its step and when). */
type RecordSent = (id: string, step: Step) => void;

/** Sends one entry of the mix that is a single interaction (all but the gift and the trade). */
export function send(
  sim: DiscordSimulator,
  player: Player,
  kind: Exclude<Kind, 'gift' | 'trade'>,
  record: RecordSent,
): void {
  const base = { guildId: player.guildId, member: { userId: player.userId } };
  switch (kind) {
    case 'pull1':
      record(sim.sendInteraction({ ...base, commandName: 'gacha', subcommand: 'pull' }), STEP_OF[kind]);
      return;
    case 'pull10':
      record(
        sim.sendInteraction({
          ...base,
          commandName: 'gacha',
          subcommand: 'pull',
          options: [{ name: 'count', type: INTEGER_OPTION, value: 10 }],
        }),
        STEP_OF[kind],
      );
      return;
    default:
      record(sim.sendInteraction({ ...base, commandName: kind }), STEP_OF[kind]);
  }
}

function buttonIds(reply: InteractionReply): string[] {
  const rows = (reply.data.components ?? []) as { components?: { custom_id?: string }[] }[];
  return rows.flatMap((r) => (r.components ?? []).flatMap((c) => (c.custom_id ? [c.custom_id] : [])));
}

/**
 * Sends one step of a gift or trade in `guildId` and waits for its answer: the answer when it is a
 * success (what lets the next step go ahead), else undefined.
 */
function stepper(sim: DiscordSimulator, guildId: string, record: RecordSent, timeoutMs: number) {
  return async (
    name: Step,
    by: Player,
    what: Omit<InteractionOptions, 'guildId' | 'member'>,
  ): Promise<InteractionReply | undefined> => {
    const id = sim.sendInteraction({ guildId, member: { userId: by.userId }, ...what });
    record(id, name);
    const answer = await sim.waitForAnswer(id, timeoutMs).catch(() => undefined);
    return outcomeOf(answer, BUSY_TEXTS) === 'ok' ? answer : undefined;
  };
}

/**
 * One gift of 1 currency from `player` to a member: the proposal, then (once answered) its Confirm
 * button, which carries the two-party move (escrow, outcome, receipt).
 */
export async function gift(
  sim: DiscordSimulator,
  player: Player,
  record: RecordSent,
  timeoutMs: number,
): Promise<void> {
  const step = stepper(sim, player.guildId, record, timeoutMs);
  const proposal = await step('gift: proposal', player, {
    commandName: 'give',
    options: [
      { name: 'member', type: USER_OPTION, value: `${BigInt(player.userId) + 1n}` },
      { name: 'amount', type: INTEGER_OPTION, value: 1 },
    ],
  });
  const confirm = proposal && buttonIds(proposal).find((id) => id.startsWith('give:confirm:'));
  if (confirm) await step('gift: confirm', player, { commandName: '', customId: confirm });
}

/**
 * One trade between `a` and `b` (same server), step by step; a step answered with anything but
 * what lets the next one go ahead (busy, an error, no answer) ends the trade there. True when the
 * last answer says the trade was done.
 */
export async function trade(
  sim: DiscordSimulator,
  a: Player,
  b: Player,
  record: RecordSent,
  timeoutMs: number,
): Promise<boolean> {
  const step = stepper(sim, a.guildId, record, timeoutMs);
  const proposal = await step('trade: proposal', a, {
    commandName: 'trade',
    options: [
      { name: 'member', type: USER_OPTION, value: b.userId },
      { name: 'give-amount', type: INTEGER_OPTION, value: 1 },
    ],
  });
  const counter = proposal && buttonIds(proposal).find((id) => id.startsWith('trade:counter:'));
  if (!counter) return false;
  const form = await step('trade: change-side button', b, { commandName: '', customId: counter });
  if (form?.type !== MODAL) return false;
  const field = (customId: string, value: string) => ({
    type: 18,
    id: 1,
    component: { type: 4, custom_id: customId, value },
  });
  const countered = await step('trade: side form', b, {
    commandName: 'trade',
    modalSubmit: { customId: String(form.data.custom_id), components: [field('items', ''), field('currency', '1')] },
  });
  const accept = countered && buttonIds(countered).find((id) => id.startsWith('trade:accept:'));
  if (!accept) return false;
  if (!(await step('trade: first accept', a, { commandName: '', customId: accept }))) return false;
  const done = await step('trade: second accept', b, { commandName: '', customId: accept });
  const content = done?.data.content;
  return typeof content === 'string' && TRADE_DONE.some((prefix) => content.startsWith(prefix));
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
  /** Per step of the mix (each interaction of a gift or a trade on its own line). */
  readonly steps: readonly StepFigures[];
  /** Trades started, and those whose last answer said the swap was done. */
  readonly trades: number;
  readonly tradesDone: number;
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
  /** The next player after the cursor in the same server as `player` (for a trade), if any. */
  partnerOf(player: Player): Player | undefined {
    for (let i = 0; i < this.players.length; i += 1) {
      const other = this.players[(this.offset + i) % this.players.length];
      if (other && other.guildId === player.guildId && other.userId !== player.userId) return other;
    }
    return undefined;
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
  const sent: { id: string; step: Step; at: number }[] = [];
  const record: RecordSent = (id, step) => sent.push({ id, step, at: Date.now() });
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
  // Gifts and trades go on step by step while the mix goes on.
  const trades: Promise<boolean>[] = [];
  const gifts: Promise<void>[] = [];
  const mix = activeMix();
  for (let i = 0; i < total; i += 1) {
    const player = cursor.next();
    const kind = mix[i % mix.length] ?? 'pull1';
    if (!player) continue;
    const count = kind === 'pull1' ? 1 : kind === 'pull10' ? 10 : 0;
    pulls += count;
    if (kind === 'trade') {
      const partner = cursor.partnerOf(player);
      if (partner) trades.push(trade(sim, player, partner, record, answerTimeoutMs));
    } else if (kind === 'gift') {
      gifts.push(gift(sim, player, record, answerTimeoutMs));
    } else {
      send(sim, player, kind, record);
      const last = sent[sent.length - 1];
      if (count > 0 && last) items.set(last.id, count);
    }
    if (perSecond !== 'burst') {
      const wait = started + ((i + 1) * 1000) / perSecond - Date.now();
      if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
  const [tradeResults] = await Promise.all([Promise.all(trades), Promise.all(gifts)]);
  await Promise.all(sent.map(({ id }) => sim.waitForAnswer(id, answerTimeoutMs).catch(() => undefined)));
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  driverLoop.disable();
  const driverCpu = process.cpuUsage(driverCpu0);
  const first: number[] = [];
  const final: number[] = [];
  const results: { step: Step; result: Answered }[] = [];
  let pulledOk = 0;
  let refused = 0;
  let busy = 0;
  for (const { id, step, at } of sent) {
    const result = answered(sim.repliesTo(id), at, BUSY_TEXTS);
    results.push({ step, result });
    first.push(result.first);
    final.push(result.final);
    if (result.answer && result.ephemeral) refused += 1;
    if (result.outcome === 'busy') busy += 1;
    if (result.answer && !result.ephemeral) pulledOk += items.get(id) ?? 0;
  }
  first.sort((a, b) => a - b);
  final.sort((a, b) => a - b);
  const sortedRss = [...rss].sort((a, b) => a - b);
  return {
    name,
    sent: sent.length,
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
    steps: breakdown(results, STEPS),
    trades: trades.length,
    tradesDone: tradeResults.filter(Boolean).length,
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
    `  per step (ok = answered publicly, with the form or with /profile's private card; refused = an error or refusal):`,
    ...breakdownLines(r.steps),
    `  trades: ${r.trades} started, ${r.tradesDone} done (both sides moved)`,
  ].join('\n');
}
