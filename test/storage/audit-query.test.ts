/**
 * The audit query on the real test server: history documents grouped into audit cells, filtered
 * by guild, banner, source and period, and the audit computed from them.
 */
import { auditBanner } from '../../app/domain/fairness/audit';
import { defaultCatalog } from '../../app/domain/default-catalog';
import { initialPlayerState } from '../../app/domain/player-state';
import { performPull } from '../../app/domain/pull-engine';
import { HISTORY_COLLECTION, auditCells, ensureAuditIndexes } from '../../app/storage/audit-query';
import { SeededRng } from '../support/seeded-rng';
import { type TestDatabase, openTestDatabase } from '../support/test-database';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
  await ensureAuditIndexes(database.db);
});
afterAll(async () => database.close());

describe('auditCells', () => {
  it('groups a banner period into cells that add up to its pulls', async () => {
    const catalog = defaultCatalog();
    const rng = new SeededRng(7);
    let state = initialPlayerState(Number.MAX_SAFE_INTEGER);
    const docs: Record<string, unknown>[] = [];
    const start = Date.parse('2026-11-01T00:00:00Z');
    for (let n = 0; n < 300; n++) {
      const count = n % 3 === 0 ? 10 : 1;
      const outcome = performPull(catalog, 'standard', count, state, rng, new Date(start));
      state = outcome.state;
      outcome.items.forEach((item, index) => {
        docs.push({
          _id: `g1:u1:op${n}:${index}`,
          guildId: 'g1',
          userId: 'u1',
          source: 'pull',
          bannerId: 'standard',
          tierId: item.tierId,
          itemId: item.itemId,
          pityCount: item.pityCount,
          guaranteeSlot: item.guaranteeSlot,
          tenPull: count === 10,
          index,
          at: new Date(start + n * 60_000),
        });
      });
    }
    // Noise the query must leave out: another guild, another banner, a spark.
    docs.push({ ...docs[0], _id: 'g2:x', guildId: 'g2' });
    docs.push({ ...docs[0], _id: 'g1:y', bannerId: 'festival' });
    docs.push({ ...docs[0], _id: 'g1:z', source: 'spark' });
    await database.db.collection<Record<string, unknown>>(HISTORY_COLLECTION).insertMany(docs);

    const cells = await auditCells(database.db, 'g1', 'standard');
    const total = cells.reduce((s, c) => s + c.pulls, 0);
    expect(total).toBe(docs.length - 3);
    expect(cells.some((c) => c.guaranteeSlot)).toBe(true);
    expect(cells.some((c) => c.tenPull) && cells.some((c) => !c.tenPull)).toBe(true);
    const firstHour = await auditCells(database.db, 'g1', 'standard', {
      from: new Date(start),
      to: new Date(start + 60 * 60_000),
    });
    const expectedFirstHour = docs.filter(
      (d) =>
        d.guildId === 'g1' &&
        d.bannerId === 'standard' &&
        d.source === 'pull' &&
        (d.at as Date).getTime() < start + 3_600_000,
    ).length;
    expect(firstHour.reduce((s, c) => s + c.pulls, 0)).toBe(expectedFirstHour);
    const audit = auditBanner(catalog, 'standard', cells);
    expect(audit.pulls).toBe(total);
    expect(audit.verdict).toBe('consistent');
  });
});
