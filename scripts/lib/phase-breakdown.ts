/**
 * What the load benchmarks (scripts/lib/load-phases.ts) read from the simulator's record of one
 * interaction — latency to the first callback and to the final answer, and how it was answered —
 * and the per-step breakdown of a phase: for each step of the mix (a command, or one step of a gift
 * or a trade), how many were sent, answered as asked / "busy" / refused otherwise / not at all, and
 * the p50/p99 latencies.
 */
import { EDIT_ORIGINAL, FOLLOW_UP, type InteractionReply } from '../../test/discord-simulator/discord-simulator';
import { percentile } from './process-stats';

const EPHEMERAL = 64;
/** Callback types that acknowledge without answering: a deferred reply (5) or a deferred update (6). */
const DEFERRED = new Set([5, 6]);

/**
 * How an interaction was answered: `ok` (publicly, with a form, or privately with a card such as
 * /profile's), `busy` (the handler's "busy, try again"), `refused` (any other private text: the bot
 * answers every error and refusal so — a cooldown, a daily already claimed; app/discord/error-replies.ts)
 * or `unanswered` (no final answer within the phase).
 */
export type Outcome = 'ok' | 'busy' | 'refused' | 'unanswered';

export interface Answered {
  /** Milliseconds from sending to the first callback; Infinity when none came. */
  readonly first: number;
  /** Milliseconds from sending to what the player finally sees; Infinity when nothing came. */
  readonly final: number;
  readonly outcome: Outcome;
  /** True when the final answer is private (whatever its text: busy included). */
  readonly ephemeral: boolean;
  /** The final answer, when there is one. */
  readonly answer: InteractionReply | undefined;
}

/**
 * Reads one interaction's replies (as the simulator recorded them, in order): the first callback,
 * and the final answer — the callback itself, or after a deferral (5 or 6) the edit or follow-up.
 */
export function answered(replies: readonly InteractionReply[], sentAt: number, busyTexts: readonly string[]): Answered {
  const callback = replies.find((r) => r.type < EDIT_ORIGINAL);
  const answer =
    callback && DEFERRED.has(callback.type)
      ? replies.find((r) => r.type === EDIT_ORIGINAL || r.type === FOLLOW_UP)
      : callback;
  return {
    first: callback ? callback.at - sentAt : Number.POSITIVE_INFINITY,
    final: answer ? answer.at - sentAt : Number.POSITIVE_INFINITY,
    outcome: outcomeOf(answer, busyTexts),
    ephemeral: isEphemeral(answer),
    answer,
  };
}

const isEphemeral = (answer: InteractionReply | undefined): boolean =>
  answer ? (Number(answer.data.flags ?? 0) & EPHEMERAL) === EPHEMERAL : false;

/** How a final answer (or none) answered its interaction. */
export function outcomeOf(answer: InteractionReply | undefined, busyTexts: readonly string[]): Outcome {
  if (!answer) return 'unanswered';
  const content = answer.data.content;
  if (typeof content === 'string' && busyTexts.some((text) => content.includes(text))) return 'busy';
  if (!isEphemeral(answer)) return 'ok';
  const embeds = answer.data.embeds;
  return Array.isArray(embeds) && embeds.length > 0 ? 'ok' : 'refused';
}

/** One step's figures in a phase. */
export interface StepFigures {
  readonly step: string;
  readonly count: number;
  readonly ok: number;
  readonly busy: number;
  readonly refused: number;
  readonly unanswered: number;
  readonly firstP50: number;
  readonly firstP99: number;
  readonly finalP50: number;
  readonly finalP99: number;
}

/**
 * Per step, in the order of `steps` (steps with nothing sent are left out; steps not listed come
 * after, in order of first appearance).
 */
export function breakdown(
  records: readonly { readonly step: string; readonly result: Answered }[],
  steps: readonly string[] = [],
): StepFigures[] {
  const byStep = new Map<string, Answered[]>(steps.map((s) => [s, []]));
  for (const { step, result } of records) {
    const list = byStep.get(step) ?? [];
    list.push(result);
    byStep.set(step, list);
  }
  const figures: StepFigures[] = [];
  for (const [step, results] of byStep) {
    if (results.length === 0) continue;
    const first = results.map((r) => r.first).sort((a, b) => a - b);
    const final = results.map((r) => r.final).sort((a, b) => a - b);
    const count = (outcome: Outcome) => results.filter((r) => r.outcome === outcome).length;
    figures.push({
      step,
      count: results.length,
      ok: count('ok'),
      busy: count('busy'),
      refused: count('refused'),
      unanswered: count('unanswered'),
      firstP50: percentile(first, 50),
      firstP99: percentile(first, 99),
      finalP50: percentile(final, 50),
      finalP99: percentile(final, 99),
    });
  }
  return figures;
}

const ms = (n: number): string => (Number.isFinite(n) ? n.toFixed(0) : '∞');

/** The breakdown as report lines (two-space indent, one line per step, columns aligned). */
export function breakdownLines(figures: readonly StepFigures[]): string[] {
  const width = Math.max(0, ...figures.map((f) => f.step.length));
  return figures.map(
    (f) =>
      `  ${f.step.padEnd(width)} ${String(f.count).padStart(6)} sent: ok ${f.ok}, busy ${f.busy}, refused ${f.refused}, ` +
      `no answer ${f.unanswered}; first callback ms p50 ${ms(f.firstP50)} p99 ${ms(f.firstP99)}; ` +
      `final answer ms p50 ${ms(f.finalP50)} p99 ${ms(f.finalP99)}`,
  );
}
