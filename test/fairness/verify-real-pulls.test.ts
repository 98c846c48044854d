/**
 * The verifier recomputes 10,000 pulled items of an end-to-end run exactly: 1,000 10-pulls made
 * through the real pull path (GachaService, the ledger and the seed epochs on the test server),
 * ten players at once, the seed epoch rotating (by age between quarters of the run, and by count
 * when the epoch cache refreshes), every seed revealed at the end. Each player's history is exported the way `/gacha history-export` makes its file
 * (FairnessService.exportHistory, then JSON) and verified by the standalone verifier
 * (app/verifier) from the file's text alone. Then one ledger document is altered in the database:
 * the next export fails verification, naming its sequence and slot.
 *
 * @long-running a minute or more (1,000 10-pulls on the test server)
 */
import { COLLECTIONS, type LedgerEventDoc } from '../../app/storage/collections';
import type { PlayerRef } from '../../app/services/gacha-service';
import { nodeHmacSha256 } from '../../app/verifier/node-hmac';
import { reportLines } from '../../app/verifier/report-text';
import { type VerificationReport, verifyExport } from '../../app/verifier/verify-export';
import { openStore, snowflake, stack, type TestStack } from '../storage/store-fixture';
import type { TestDatabase } from '../support/test-database';
import { alterOnePulledItem, expectAllVerified } from './support/real-run-checks';

const PLAYERS = 10;
const TEN_PULLS_EACH = 100;
const HOUR = 3_600_000;

let database: TestDatabase;
let clock = Date.parse('2026-11-30T00:00:00Z');
const now = () => new Date(clock);
let svc: TestStack;

beforeAll(async () => {
  database = await openStore();
  svc = stack(database.db, {
    now,
    seedRotation: { maxAgeMs: 24 * HOUR, maxPulls: 200, revealDelayMs: 60_000 },
  });
});
afterAll(async () => database.close());

/** The file `/gacha history-export` attaches (same service call, same serialisation), verified from its text. */
async function exportAndVerify(player: PlayerRef): Promise<{ file: string; report: VerificationReport }> {
  const data = await svc.fairness.exportHistory(player);
  const file = JSON.stringify(data);
  return { file, report: verifyExport(JSON.parse(file) as unknown, { hmac: nodeHmacSha256 }) };
}

describe('the verifier on a real run', () => {
  it('recomputes every item of 1,000 10-pulls exactly, and names a ledger document altered afterwards', async () => {
    const guildId = snowflake();
    const players: PlayerRef[] = Array.from({ length: PLAYERS }, () => ({ guildId, userId: snowflake() }));
    await Promise.all(players.map((p) => svc.gacha.grant(p, `fund-${p.userId}`, 100_000_000, 'test funding', null)));
    await svc.fairness.setClientSeed(players[0]!, 'e2e-client-seed');

    // Four quarters, the epoch rotating by age between them (and by count when a refresh of the
    // epoch cache finds 200 pulls in it): the clock stands still within a quarter, so no pull can
    // come after its epoch's reveal (the cache's TTL is in real time, the reveal in the test's clock).
    const QUARTER = TEN_PULLS_EACH / 4;
    for (let quarter = 0; quarter < 4; quarter++) {
      if (quarter > 0) clock += 24 * HOUR + 1;
      await Promise.all(
        players.map(async (p) => {
          for (let i = quarter * QUARTER; i < (quarter + 1) * QUARTER; i++) {
            const result = await svc.gacha.pull({ ...p, interactionId: `${p.userId}-${i}` }, { count: 10 });
            expect(result.items).toHaveLength(10);
          }
        }),
      );
    }
    // Past the last epoch's age and the reveal delay: a rotation reveals every seed used.
    clock += 24 * HOUR + 1;
    await svc.fairness.seedInfo(players[0]!);
    clock += 60_001;
    await svc.upkeep.flush();

    const results = await Promise.all(players.map(exportAndVerify));
    const { items, epochs } = expectAllVerified(results, TEN_PULLS_EACH);
    expect(items).toBe(PLAYERS * TEN_PULLS_EACH * 10);
    expect(epochs.size).toBeGreaterThanOrEqual(4);

    // Alter one item of one pull in the ledger (another item of the same tier): the export fails there.
    const target = players[3]!;
    const ledger = database.db.collection<LedgerEventDoc>(COLLECTIONS.ledger);
    const event = await ledger.findOne({ guildId, userId: target.userId, seq: 40 });
    if (!event?.pull) throw new Error('no pull at sequence 40');
    const { settings } = await svc.stores.settings.get(guildId);
    const slot = await alterOnePulledItem(ledger, event, settings.catalog.items);

    const { report } = await exportAndVerify(target);
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([expect.objectContaining({ code: 'result-mismatch', seq: 40, slot })]);
    expect(reportLines(report, 'en').join('\n')).toContain(`[seq 40, slot ${slot + 1}]`);
    // The other players' exports are untouched.
    expect((await exportAndVerify(players[4]!)).report).toMatchObject({ ok: true, verified: TEN_PULLS_EACH });
  }, 180_000);
});
