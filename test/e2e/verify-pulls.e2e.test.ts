/**
 * The standalone verifier recomputes every item of an end-to-end run exactly: the built bundle as a
 * process, the simulator as Discord, ten players sending `/gacha pull count:10` (ten at once), the
 * seed epoch rotating by age every two seconds (TEST-ONLY rotation, real time), then each player's
 * `/gacha history-export` file — the attachment as the simulator received it — verified by
 * `app/verifier` from its text alone. One ledger document altered afterwards makes the next export
 * fail, naming its sequence and slot.
 *
 * Size: `npm test` sends 12 ten-pulls per player (1,200 items; the volume of 10,000 items through
 * the same pull path is `test/fairness/verify-real-pulls.test.ts`'s, in process);
 * `npm run test:verify-pulls:full` (VERIFY_PULLS_TEN_PULLS_EACH=100) sends 100 each: 10,000 items
 * on the bundle. Either way the run spans at least two epochs: the second half of the pulls starts
 * only once the first pull's epoch is older than its maximum age.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { defaultCatalog } from '../../app/domain/default-catalog';
import { COLLECTIONS, type LedgerEventDoc } from '../../app/storage/collections';
import { nodeHmacSha256 } from '../../app/verifier/node-hmac';
import { reportLines } from '../../app/verifier/report-text';
import { type VerificationReport, verifyExport } from '../../app/verifier/verify-export';
import { DiscordSimulator, type InteractionReply } from '../discord-simulator/discord-simulator';
import { type Player, seedPlayers, sendPull } from '../drills/drill-kit';
import { alterOnePulledItem, expectAllVerified } from '../fairness/support/real-run-checks';
import { testMongoUri } from '../support/test-database';
import { startBot, type BotProcess } from './bot-process';

const PLAYERS = 10;
const TEN_PULLS_EACH = Number(process.env.VERIFY_PULLS_TEN_PULLS_EACH ?? 12);
const EPOCH_MS = 2_000;
const REVEAL_DELAY_MS = 1_000;

jest.setTimeout(300_000);

const database = `gacha_e2e_verify_${randomBytes(4).toString('hex')}`;
let sim: DiscordSimulator;
let bot: BotProcess;
let mongo: MongoClient;
let players: Player[];

beforeAll(async () => {
  sim = new DiscordSimulator();
  await sim.start();
  const guild = sim.addGuild('Verifiable');
  mongo = new MongoClient(testMongoUri());
  await mongo.connect();
  // Currency for 1,000 10-pulls (the full form), and no cooldown (seedPlayers sets it to 0 for the guild).
  players = await seedPlayers(mongo.db(database), [guild], PLAYERS, 10_000_000);
  bot = await startBot({
    apiBase: sim.restBase,
    mongoUri: testMongoUri(),
    database,
    extra: {
      NODE_ENV: 'test',
      GACHA_TEST_SEED_MAX_AGE_MS: String(EPOCH_MS),
      GACHA_TEST_SEED_REVEAL_DELAY_MS: String(REVEAL_DELAY_MS),
    },
  });
  await sim.waitForIdentify();
  await bot.waitForLog(/gateway ready/, 120_000);
});

afterAll(async () => {
  await bot.stop();
  await sim.stop();
  await mongo.db(database).dropDatabase();
  await mongo.close();
});

function gacha(player: Player, subcommand: string): string {
  return sim.sendInteraction({
    guildId: player.guildId,
    member: { userId: player.userId },
    commandName: 'gacha',
    subcommand,
  });
}

/** The player's `/gacha history-export` attachment, verified from its text. */
async function exportAndVerify(player: Player): Promise<{ file: string; report: VerificationReport }> {
  const answer: InteractionReply = await sim.waitForAnswer(gacha(player, 'history-export'), 60_000);
  const files = answer.data.files as { name: string; content: string }[] | undefined;
  const file = files?.[0]?.content ?? '';
  expect(files?.[0]?.name).toBe('gacha-history.json');
  return { file, report: verifyExport(JSON.parse(file) as unknown, { hmac: nodeHmacSha256 }) };
}

it(`recomputes every item of ${PLAYERS * TEN_PULLS_EACH} 10-pulls exactly, and names a ledger document altered afterwards`, async () => {
  expect(TEN_PULLS_EACH).toBeGreaterThanOrEqual(2);
  /** When the first answer came: the first epoch started before it. */
  let firstAnswerAt: number | undefined;
  /** Ten players at once, each one pull after another (every answer awaited). */
  const pulls = (from: number, to: number) =>
    Promise.all(
      players.map(async (player) => {
        for (let i = from; i < to; i++) {
          const answer = await sim.waitForAnswer(sendPull(sim, player, 10), 60_000);
          firstAnswerAt ??= Date.now();
          // A pull result is public; "busy" or an error would be private.
          expect(Number(answer.data.flags ?? 0) & 64).toBe(0);
        }
      }),
    );
  // Two halves; the second starts once the first epoch has aged out (it started before the first
  // answer; on a slow machine the first half alone lasts longer than that, and the epoch rotates
  // during it as well).
  const half = Math.floor(TEN_PULLS_EACH / 2);
  await pulls(0, half);
  const aged = (firstAnswerAt ?? 0) + EPOCH_MS - Date.now();
  if (aged > 0) await new Promise((resolve) => setTimeout(resolve, aged));
  await pulls(half, TEN_PULLS_EACH);
  const ledger = mongo.db(database).collection<LedgerEventDoc>(COLLECTIONS.ledger);
  expect(await ledger.countDocuments({ kind: 'pull' })).toBe(PLAYERS * TEN_PULLS_EACH);

  // The last epoch ages out; a `/gacha seed` then starts the next one, and its seed is revealed
  // REVEAL_DELAY_MS later. Until the export shows nothing pending, look again (bounded).
  let results: { file: string; report: VerificationReport }[] = [];
  const deadline = Date.now() + 60_000;
  for (;;) {
    await sim.waitForAnswer(gacha(players[0]!, 'seed'), 30_000);
    results = await Promise.all(players.map(exportAndVerify));
    if (results.every((r) => r.report.pending === 0) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, REVEAL_DELAY_MS));
  }
  const { items, epochs } = expectAllVerified(results, TEN_PULLS_EACH);
  expect(items).toBe(PLAYERS * TEN_PULLS_EACH * 10);
  // The epoch rotated during the run (several seeds, each revealed and checked).
  expect(epochs.size).toBeGreaterThanOrEqual(2);

  // Alter one item of one pull in the ledger (another item of the same tier): the export fails there.
  const target = players[3]!;
  const event = await ledger.findOne(
    { guildId: target.guildId, userId: target.userId, kind: 'pull' },
    { sort: { seq: -1 } },
  );
  if (!event) throw new Error('no pull in the ledger');
  // The guild keeps the default catalog (seedPlayers changes only its cooldowns).
  const slot = await alterOnePulledItem(ledger, event, defaultCatalog().items);

  const { report } = await exportAndVerify(target);
  expect(report.ok).toBe(false);
  expect(report.failures).toEqual([expect.objectContaining({ code: 'result-mismatch', seq: event.seq, slot })]);
  expect(reportLines(report, 'en').join('\n')).toContain(`[seq ${event.seq}, slot ${slot + 1}]`);
  // Another player's export is untouched.
  expect((await exportAndVerify(players[4]!)).report).toMatchObject({ ok: true, verified: TEN_PULLS_EACH });
});
