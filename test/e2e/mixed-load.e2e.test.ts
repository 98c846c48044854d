/**
 * A few hundred interactions of the load benchmark's mix (single and 10-pulls, daily, profile,
 * collection, a gift proposed and confirmed at once) from 200 players at a modest rate, end to end:
 * the bundled bot as a process, the Discord simulator, the test database. Every interaction must
 * get its final answer (a deferral is not one), and the bot logs no warning or error. `npm run
 * bench:e2e` once saw the bot stop answering after a few hundred of them (every command deferred,
 * never edited); the regression guard for that, at the benchmark's warm-up rate.
 */
import { ENVIRONMENTS } from '../../lib/config/environments';
import { botNodeFlags } from '../../lib/constructs/release/host-files';
import type { DiscordSimulator } from '../discord-simulator/discord-simulator';
import { type Drill, type Player, finalAnswers, openDrill, seedPlayers } from '../drills/drill-kit';
import { startBot } from './bot-process';

const INTERACTIONS = Number(process.env.MIXED_LOAD_INTERACTIONS ?? 300);
const PER_SECOND = 50;
/** After the last one is sent, how long the answers may take (the handler's line waits at most 10 s). */
const ANSWER_BOUND_MS = 30_000;

jest.setTimeout(240_000);

type Kind = 'pull1' | 'pull10' | 'daily' | 'profile' | 'collection' | 'gift';
const MIX: readonly Kind[] = [
  ...Array<Kind>(9).fill('pull1'),
  ...Array<Kind>(5).fill('pull10'),
  ...Array<Kind>(2).fill('daily'),
  ...Array<Kind>(2).fill('profile'),
  ...Array<Kind>(2).fill('collection'),
  'gift',
];

/** Sends one interaction of `kind`; a gift is two (the proposal and its Confirm, sent at once). */
function send(sim: DiscordSimulator, player: Player, kind: Kind): string[] {
  const base = { guildId: player.guildId, member: { userId: player.userId } };
  switch (kind) {
    case 'pull1':
      return [sim.sendInteraction({ ...base, commandName: 'gacha', subcommand: 'pull' })];
    case 'pull10':
      return [
        sim.sendInteraction({
          ...base,
          commandName: 'gacha',
          subcommand: 'pull',
          options: [{ name: 'count', type: 4, value: 10 }],
        }),
      ];
    case 'gift': {
      const proposal = sim.sendInteraction({
        ...base,
        commandName: 'give',
        options: [
          { name: 'member', type: 6, value: `${BigInt(player.userId) + 1n}` },
          { name: 'amount', type: 4, value: 1 },
        ],
      });
      return [proposal, sim.sendInteraction({ ...base, commandName: '', customId: `give:confirm:gift:${proposal}` })];
    }
    default:
      return [sim.sendInteraction({ ...base, commandName: kind })];
  }
}

let drill: Drill;

beforeAll(async () => {
  drill = await openDrill({ guilds: 20 });
}, 120_000);

afterAll(async () => {
  await drill.close();
});

test('every interaction of a few hundred mixed ones gets its final answer', async () => {
  const { sim } = drill;
  const players = await seedPlayers(drill.db, drill.guilds, 200, 1_000_000, { keepCooldowns: true });
  // The systemd unit's V8 flags (a small heap), as the bot runs in production.
  const bot = await startBot({
    apiBase: sim.restBase,
    mongoUri: drill.uri,
    database: drill.database,
    extra: { NODE_OPTIONS: botNodeFlags(ENVIRONMENTS.prod.tuning).join(' ') },
  });
  drill.bots.push(bot);
  await bot.waitForLog(/gateway ready/, 120_000);
  const ids: string[] = [];
  const started = Date.now();
  for (let i = 0; i < INTERACTIONS; i += 1) {
    const player = players[i % players.length];
    if (!player) throw new Error('no player');
    ids.push(...send(sim, player, MIX[i % MIX.length] ?? 'pull1'));
    const wait = started + ((i + 1) * 1000) / PER_SECOND - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  await Promise.all(ids.map((id) => sim.waitForAnswer(id, ANSWER_BOUND_MS).catch(() => undefined)));
  const unanswered = ids.filter((id) => finalAnswers(sim, id) !== 1);
  const errors = bot.lines.filter((line) => /"level":"(warn|error|fatal)"/.test(line)).slice(-5);
  expect({ unanswered: unanswered.length, of: ids.length, errors }).toEqual({
    unanswered: 0,
    of: ids.length,
    errors: [],
  });
});
