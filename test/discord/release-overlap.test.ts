/**
 * Release overlap: two bot processes on one shard both receive every interaction (the simulator
 * broadcasts, as Discord does for two sessions); the first to acknowledge answers and the other
 * gets Discord's 40060 "already acknowledged". That is no failure: the losing process reports the
 * interaction as superseded, counts no Errors/ErrorsTotal, logs it at info, and sends nothing more.
 */
import pino from 'pino';
import type { InteractionOutcome } from '../../app/contracts/interaction-outcome';
import { recordInteraction } from '../../app/metrics/bot-metrics';
import { MetricsRecorder } from '../../app/metrics/metrics-recorder';
import { EDIT_ORIGINAL, simSnowflake } from '../discord-simulator/discord-simulator';
import { type BotInstance, type InProcessBot, startInProcessBot } from './in-process-bot';

const DEFERRED = 5;

interface Observed {
  readonly recorder: MetricsRecorder;
  readonly outcomes: Map<string, InteractionOutcome['outcome']>;
}

function observe(instance: BotInstance): Observed {
  const recorder = new MetricsRecorder();
  const outcomes = new Map<string, InteractionOutcome['outcome']>();
  instance.handler.onOutcome = (outcome, interaction) => {
    recordInteraction(recorder, outcome, interaction);
    outcomes.set(interaction.id, outcome.outcome);
  };
  return { recorder, outcomes };
}

async function overlap(deferAfterMs: number): Promise<{
  bot: InProcessBot;
  processes: Observed[];
  logLines: { level: number; msg: string }[];
}> {
  const logLines: { level: number; msg: string }[] = [];
  const log = pino(
    { level: 'debug' },
    { write: (line: string) => logLines.push(JSON.parse(line) as { level: number; msg: string }) },
  );
  const bot = await startInProcessBot('Overlap', { deferAfterMs }, { simulator: { broadcastInteractions: true }, log });
  const second = await bot.addProcess({ deferAfterMs });
  return { bot, processes: [observe(bot), observe(second)], logLines };
}

function acknowledgedTwice(bot: InProcessBot): number {
  return bot.sim.calls.filter((c) => c.status === 400 && /\/interactions\/\d+\/[^/]+\/callback/.test(c.path)).length;
}

for (const [name, deferAfterMs] of [
  ['answered at once', 60_000],
  ['deferred at once', 0],
] as const) {
  it(`${name}: the losing process's 40060 is no error and it sends nothing more`, async () => {
    const { bot, processes, logLines } = await overlap(deferAfterMs);
    try {
      const guildId = bot.sim.guilds[0]?.id ?? '';
      const ids = Array.from({ length: 8 }, () =>
        bot.sim.sendInteraction({ guildId, member: { userId: simSnowflake() }, commandName: 'daily' }),
      );
      for (const id of ids) expect(String((await bot.sim.waitForAnswer(id)).data.content)).toMatch(/Daily reward/);
      // Both processes have finished each interaction (one answered, one was refused).
      const deadline = Date.now() + 10_000;
      while (processes.some((p) => ids.some((id) => !p.outcomes.has(id))) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }

      expect(acknowledgedTwice(bot)).toBe(ids.length); // every interaction really raced
      for (const id of ids) {
        const outcomes = processes.map((p) => p.outcomes.get(id)).sort();
        expect(outcomes).toEqual(['ok', 'superseded']);
        const replies = bot.sim.repliesTo(id);
        expect(replies.filter((r) => r.type < EDIT_ORIGINAL)).toHaveLength(1);
        if (deferAfterMs === 0) {
          expect(replies[0]?.type).toBe(DEFERRED);
          expect(replies.filter((r) => r.type === EDIT_ORIGINAL)).toHaveLength(1); // the loser edits nothing
        }
      }
      const metrics = processes.flatMap((p) => p.recorder.drain());
      expect(metrics.filter((m) => m.key === 'errors' || m.key === 'errorsTotal')).toEqual([]);
      const latency = metrics.filter((m) => m.key === 'commandLatency');
      expect(latency.reduce((n, m) => n + m.stats.sampleCount, 0)).toBe(ids.length); // counted once
      expect(logLines.filter((l) => l.level >= 40)).toEqual([]); // nothing at warn or error
      expect(logLines.filter((l) => l.level === 30 && /another process/.test(l.msg))).toHaveLength(ids.length);
    } finally {
      await bot.close();
    }
  });
}
