import { EDIT_ORIGINAL, FOLLOW_UP, type InteractionReply } from '../../test/discord-simulator/discord-simulator';
import { MIX, STEPS, activeMix } from '../../scripts/lib/load-phases';
import { answered, breakdown, breakdownLines, outcomeOf } from '../../scripts/lib/phase-breakdown';

const BUSY = ['Busy right now'];
const SENT_AT = 1_000;

function reply(type: number, at: number, data: Record<string, unknown> = {}): InteractionReply {
  return { interactionId: '1', type, at, data };
}

describe('the benchmark phase breakdown', () => {
  it('reads a direct answer, a deferred reply and a deferred update (button) with their final answers', () => {
    expect(answered([reply(4, 1_040, { content: 'pulled' })], SENT_AT, BUSY)).toMatchObject({
      first: 40,
      final: 40,
      outcome: 'ok',
      ephemeral: false,
    });
    const deferred = answered([reply(5, 1_100), reply(EDIT_ORIGINAL, 1_900, { content: 'pulled' })], SENT_AT, BUSY);
    expect(deferred).toMatchObject({ first: 100, final: 900, outcome: 'ok' });
    const update = answered([reply(6, 1_200), reply(EDIT_ORIGINAL, 2_500, { content: 'done' })], SENT_AT, BUSY);
    expect(update).toMatchObject({ first: 200, final: 1_500, outcome: 'ok' });
    // A deferral never followed by its answer has a first callback but no final answer.
    expect(answered([reply(6, 1_200)], SENT_AT, BUSY)).toMatchObject({
      first: 200,
      final: Number.POSITIVE_INFINITY,
      outcome: 'unanswered',
    });
    expect(answered([], SENT_AT, BUSY)).toMatchObject({
      first: Number.POSITIVE_INFINITY,
      final: Number.POSITIVE_INFINITY,
      outcome: 'unanswered',
      answer: undefined,
    });
  });

  it('tells busy from other private answers, and a form from a refusal', () => {
    expect(outcomeOf(reply(4, 0, { content: 'Busy right now, try again', flags: 64 }), BUSY)).toBe('busy');
    expect(outcomeOf(reply(FOLLOW_UP, 0, { content: 'Busy right now', flags: 64 }), BUSY)).toBe('busy');
    expect(outcomeOf(reply(4, 0, { content: 'Already claimed today', flags: 64 }), BUSY)).toBe('refused');
    // Flags with other bits besides EPHEMERAL (64) are still private.
    expect(outcomeOf(reply(4, 0, { content: 'no', flags: 64 | 4 }), BUSY)).toBe('refused');
    expect(outcomeOf(reply(9, 0, { custom_id: 'trade:counter-form:trade:1', title: 'Change' }), BUSY)).toBe('ok');
    expect(outcomeOf(reply(7, 0, { content: 'Trade done', components: [] }), BUSY)).toBe('ok');
    expect(outcomeOf(undefined, BUSY)).toBe('unanswered');
    // A private card (/profile answers privately by design) is an answer, not a refusal.
    expect(outcomeOf(reply(4, 0, { embeds: [{ title: 'Profile' }], flags: 64 }), BUSY)).toBe('ok');
    // The deferred reply's answer decides: a private edit after a public deferral is refused.
    expect(
      answered([reply(5, 1_010), reply(FOLLOW_UP, 1_020, { content: 'error', flags: 64 })], SENT_AT, BUSY).outcome,
    ).toBe('refused');
  });

  it('counts and ranks each step on its own, in the listed order, leaving out steps with nothing sent', () => {
    const ok = (first: number, final = first) => ({
      first,
      final,
      outcome: 'ok' as const,
      ephemeral: false,
      answer: undefined,
    });
    const records = [
      ...Array.from({ length: 100 }, (_, i) => ({ step: 'pull', result: ok(i + 1, 10 * (i + 1)) })),
      { step: 'trade: accept', result: ok(5) },
      { step: 'trade: accept', result: { ...ok(7), outcome: 'busy' as const, ephemeral: true } },
      { step: 'trade: accept', result: { ...ok(9), outcome: 'refused' as const, ephemeral: true } },
      {
        step: 'trade: accept',
        result: { ...ok(Number.POSITIVE_INFINITY), outcome: 'unanswered' as const },
      },
      { step: 'unlisted', result: ok(3) },
    ];
    const figures = breakdown(records, ['trade: accept', 'daily', 'pull']);
    expect(figures.map((f) => f.step)).toEqual(['trade: accept', 'pull', 'unlisted']);
    expect(figures[0]).toEqual({
      step: 'trade: accept',
      count: 4,
      ok: 1,
      busy: 1,
      refused: 1,
      unanswered: 1,
      firstP50: 9,
      firstP99: Number.POSITIVE_INFINITY,
      finalP50: 9,
      finalP99: Number.POSITIVE_INFINITY,
    });
    expect(figures[1]).toMatchObject({
      count: 100,
      ok: 100,
      firstP50: 51,
      firstP99: 100,
      finalP50: 510,
      finalP99: 1_000,
    });
    const lines = breakdownLines(figures);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      '  trade: accept      4 sent: ok 1, busy 1, refused 1, no answer 1; first callback ms p50 9 p99 ∞; final answer ms p50 9 p99 ∞',
    );
    expect(lines[1]).toMatch(/^ {2}pull {13}100 sent: ok 100, /);
  });
});

describe('the benchmark mix', () => {
  it('is 22 entries with every kind in its share, the gift and the trade within the first 11', () => {
    const count = (kind: string) => MIX.filter((k) => k === kind).length;
    expect(MIX).toHaveLength(22);
    expect([count('pull1'), count('pull10'), count('daily'), count('profile'), count('collection')]).toEqual([
      9, 5, 2, 2, 2,
    ]);
    expect([count('gift'), count('trade')]).toEqual([1, 1]);
    expect(MIX.slice(0, 11)).toEqual(expect.arrayContaining(['gift', 'trade', 'daily', 'profile', 'collection']));
    expect(STEPS.filter((s) => s.startsWith('trade: '))).toHaveLength(5);
  });

  it('BENCH_SOCIAL=off sends the same mix without the gift and the trade', () => {
    const without = activeMix(false);
    expect(without).toHaveLength(20);
    expect(without).not.toContain('gift');
    expect(without).not.toContain('trade');
    expect(without.filter((k) => k === 'pull1')).toHaveLength(MIX.filter((k) => k === 'pull1').length);
    expect(activeMix(true)).toBe(MIX);
  });
});
