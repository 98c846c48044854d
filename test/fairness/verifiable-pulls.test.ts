/**
 * Real pulls draw from the verifiable stream: through the services on the test server, every pull
 * (single, 10-pull with its guarantee slot) records its inputs, the history export recomputes them
 * with the standalone verifier, a pull retried under a sequence conflict draws from its new
 * sequence, and tampering with a result, a revealed seed or a rate revision fails and says where.
 */
import { seedCommitment } from '../../app/domain/fairness/seeds';
import type { PlayerRef } from '../../app/services/gacha-service';
import { type FairnessExport, fairnessExportSchema } from '../../app/verifier/export-format';
import { nodeHmacSha256 } from '../../app/verifier/node-hmac';
import { verifyExport } from '../../app/verifier/verify-export';
import { openStore, snowflake, stack, type TestStack } from '../storage/store-fixture';
import type { TestDatabase } from '../support/test-database';

const HOUR = 3_600_000;
let database: TestDatabase;
let clock = Date.parse('2026-11-30T00:00:00Z');
const now = () => new Date(clock);
let svc: TestStack;

beforeAll(async () => {
  database = await openStore();
  svc = stack(database.db, {
    now,
    projectionDelayMs: 0,
    seedRotation: { maxAgeMs: HOUR, maxPulls: 40, revealDelayMs: 60_000 },
    seedCacheTtlMs: 0,
  });
});
afterAll(async () => database.close());

async function player(currency = 1_000_000): Promise<PlayerRef> {
  const ref = { guildId: snowflake(), userId: snowflake() };
  await svc.gacha.grant(ref, `fund-${ref.userId}`, currency, 'test funding', null);
  return ref;
}

let interaction = 0;
function pull(ref: PlayerRef, count: 1 | 10) {
  interaction++;
  return svc.gacha.pull({ ...ref, interactionId: `${Date.now()}${interaction}` }, { count });
}

/** Moves the clock past the epoch's age and the reveal delay, and rotates (so earlier seeds are revealed). */
async function rotateAndReveal(ref: PlayerRef): Promise<void> {
  clock += HOUR + 1;
  await svc.fairness.seedInfo(ref);
  clock += 60_001;
}

describe('verifiable pulls', () => {
  it('records the inputs of every pull and the export verifies them all once the seeds are revealed', async () => {
    const ref = await player();
    await svc.fairness.setClientSeed(ref, 'lucky-7');
    for (let n = 0; n < 12; n++) await pull(ref, n % 3 === 0 ? 10 : 1);
    await svc.gacha.daily({ ...ref, interactionId: 'daily-1' });
    await rotateAndReveal(ref);
    for (let n = 0; n < 3; n++) await pull(ref, 10);
    await rotateAndReveal(ref);

    const data = await svc.fairness.exportHistory(ref);
    const pulls = data.events.filter((e) => e.kind === 'pull');
    expect(pulls).toHaveLength(15);
    expect(new Set(pulls.map((p) => p.epoch)).size).toBeGreaterThanOrEqual(2);
    expect(pulls.every((p) => p.clientSeed === 'lucky-7')).toBe(true);
    // Every item says whether it was the 10-pull's guarantee slot (only a 10-pull's last slot can
    // be; whether one was needed depends on the draws, so its presence is not asserted here).
    for (const p of pulls) {
      expect(p.items.every((i) => typeof i.guaranteeSlot === 'boolean')).toBe(true);
      const slots = p.items.flatMap((i, index) => (i.guaranteeSlot ? [index] : []));
      expect(slots).toEqual(slots.length === 0 ? [] : [9]);
    }
    expect(data.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['grant', 'daily']));
    const report = verifyExport(JSON.parse(JSON.stringify(data)), { hmac: nodeHmacSha256 });
    expect(report).toMatchObject({ ok: true, pulls: 15, verified: 15, pending: 0 });
    for (const epoch of data.epochs) expect(seedCommitment(epoch.serverSeed ?? '')).toBe(epoch.commitment);

    // /gacha verify of one pull: its inputs and the same verdict.
    const newest = await svc.fairness.checkPull(ref);
    expect(newest).toMatchObject({ clientSeed: 'lucky-7', report: { ok: true, verified: 1 } });
    expect(newest?.epoch?.serverSeed).toMatch(/^[0-9a-f]{64}$/);
  });

  it('never exports an unrevealed seed: pulls of the current epoch are pending', async () => {
    const ref = await player();
    await pull(ref, 10);
    const data = await svc.fairness.exportHistory(ref);
    expect(data.epochs.every((e) => e.serverSeed === null)).toBe(true);
    expect(verifyExport(data, { hmac: nodeHmacSha256 })).toMatchObject({ ok: true, verified: 0, pending: 1 });
    const check = await svc.fairness.checkPull(ref);
    expect(check?.epoch?.serverSeed).toBeNull();
    expect(check?.report.pending).toBe(1);
  });

  it('a pull that lost its sequence to a concurrent commit draws from its new sequence and still verifies', async () => {
    const ref = await player();
    const results = await Promise.all(Array.from({ length: 6 }, (_, n) => pull(ref, n % 2 === 0 ? 10 : 1)));
    expect(new Set(results.map((r) => r.seq)).size).toBe(6);
    await rotateAndReveal(ref);
    const data = await svc.fairness.exportHistory(ref);
    expect(verifyExport(data, { hmac: nodeHmacSha256 })).toMatchObject({ ok: true, verified: 6 });
  });

  it('a new client seed applies from the next pull; an invalid one is refused', async () => {
    const ref = await player();
    const before = await pull(ref, 1);
    expect(before.fairness?.clientSeed).toBe('');
    expect(await svc.fairness.setClientSeed(ref, 'has space')).toEqual({ ok: false });
    expect(await svc.fairness.setClientSeed(ref, 'x'.repeat(65))).toEqual({ ok: false });
    expect(await svc.fairness.setClientSeed(ref, 'new-seed')).toEqual({ ok: true, clientSeed: 'new-seed' });
    const after = await pull(ref, 1);
    expect(after.fairness?.clientSeed).toBe('new-seed');
    expect((await svc.fairness.seedInfo(ref)).clientSeed).toBe('new-seed');
  });

  it('fails and says where when one history entry, a revealed seed or a rate revision is altered', async () => {
    const ref = await player();
    for (let n = 0; n < 4; n++) await pull(ref, 10);
    await rotateAndReveal(ref);
    const data = await svc.fairness.exportHistory(ref);
    const fresh = (): FairnessExport => fairnessExportSchema.parse(JSON.parse(JSON.stringify(data)));
    expect(verifyExport(fresh(), { hmac: nodeHmacSha256 }).ok).toBe(true);

    const altered = fresh();
    const target = altered.events.filter((e) => e.kind === 'pull')[2];
    if (target?.kind !== 'pull') throw new Error('no third pull');
    const item = target.items[4];
    if (!item) throw new Error('no slot 4');
    target.items[4] = { ...item, itemId: item.itemId === 'kendama' ? 'daruma' : 'kendama' };
    const itemReport = verifyExport(altered, { hmac: nodeHmacSha256 });
    expect(itemReport.ok).toBe(false);
    expect(itemReport.failures).toContainEqual(
      expect.objectContaining({ code: 'result-mismatch', seq: target.seq, slot: 4 }),
    );

    const seedAltered = fresh();
    const epoch = seedAltered.epochs[0];
    if (!epoch?.serverSeed) throw new Error('no revealed epoch');
    epoch.serverSeed = `${epoch.serverSeed.slice(0, 63)}${epoch.serverSeed.endsWith('0') ? '1' : '0'}`;
    expect(verifyExport(seedAltered, { hmac: nodeHmacSha256 }).failures).toContainEqual(
      expect.objectContaining({ code: 'seed-commitment-mismatch', epoch: epoch.epoch }),
    );

    const rateAltered = fresh();
    const revision = rateAltered.rateRevisions[0];
    if (!revision) throw new Error('no rate revision');
    const catalog = JSON.parse(JSON.stringify(revision.catalog)) as { tiers: { ratePpm: number }[] };
    const [top, second] = catalog.tiers;
    if (!top || !second) throw new Error('catalog without tiers');
    top.ratePpm += 1_000;
    second.ratePpm -= 1_000;
    revision.catalog = catalog;
    expect(verifyExport(rateAltered, { hmac: nodeHmacSha256 }).failures).toContainEqual(
      expect.objectContaining({ code: 'rate-revision-hash-mismatch', revision: revision.revision }),
    );
  });
});
