import { defaultCatalog } from '../../app/domain/default-catalog';
import { collections } from '../../app/storage/collections';
import { auditLedger } from '../../app/storage/ledger-audit';
import type { TestDatabase } from '../support/test-database';
import { openStore, snowflake, stack } from './store-fixture';

let database: TestDatabase;

beforeAll(async () => {
  database = await openStore();
});

afterAll(async () => {
  await database.close();
});

describe('admin use cases', () => {
  it('a reset and its audit entry happen once, however often the same confirmation is delivered', async () => {
    const { gacha, admin, upkeep } = stack(database.db);
    const guildId = snowflake();
    const actorId = snowflake();
    const player = { guildId, userId: snowflake() };
    await gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    const opKey = snowflake();
    const states = await Promise.all(
      Array.from({ length: 4 }, () => admin.resetPlayer({ guildId, actorId, targetId: player.userId, opKey })),
    );
    for (const state of states) expect(state.currency).toBe(1_000);
    await admin.resetPlayer({ guildId, actorId, targetId: player.userId, opKey });
    const c = collections(database.db);
    expect(await c.ledger.countDocuments({ ...player, kind: 'reset' })).toBe(1);
    const entries = await c.audit.find({ guildId }).toArray();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId, action: 'reset-player', target: player.userId, details: { seq: 2 } });
    expect((await gacha.profile(player)).state.totalPulls).toBe(0);
    await upkeep.flush();
    expect((await auditLedger(database.db, guildId)).problems).toEqual([]);
  });

  it('an import is applied only when the admin who staged it confirms, and only once', async () => {
    const { gacha, admin } = stack(database.db);
    const guildId = snowflake();
    const actorId = snowflake();
    const catalog = { ...defaultCatalog(), pullCost: 7, tenPullCost: 70 };
    const token = admin.stageImport(guildId, actorId, catalog);
    expect(await admin.confirmImport(guildId, snowflake(), token)).toBeNull();
    expect(await admin.confirmImport(snowflake(), actorId, token)).toBeNull();
    const applied = await admin.confirmImport(guildId, actorId, token);
    expect(applied?.revision).toBe(1);
    expect(applied?.settings.catalog.pullCost).toBe(7);
    expect(await admin.confirmImport(guildId, actorId, token)).toBeNull();
    expect((await gacha.settingsFor(guildId)).settings.catalog.pullCost).toBe(7);

    const dropped = admin.stageImport(guildId, actorId, { ...catalog, pullCost: 9 });
    admin.dropImport(guildId, actorId, dropped);
    expect(await admin.confirmImport(guildId, actorId, dropped)).toBeNull();
    const revisions = await collections(database.db).settings.find({ guildId }).toArray();
    expect(revisions.map((r) => [r.revision, r.actorId, r.action])).toEqual([[1, actorId, 'import']]);
  });

  it('a pull is charged under the settings revision it is given and answers with that revision', async () => {
    const { gacha, admin } = stack(database.db);
    const guildId = snowflake();
    const player = { guildId, userId: snowflake() };
    const before = await gacha.settingsFor(guildId);
    await admin.changeSettings(guildId, snowflake(), 'set-cost', (s) => ({
      ...s,
      catalog: { ...s.catalog, pullCost: 10, tenPullCost: 90 },
    }));
    // The caller read revision 0 (its checks used it): the charge and the answer use it too.
    const underOld = await gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 }, before);
    expect(underOld).toMatchObject({ cost: 100, settingsRevision: 0 });
    expect(underOld.settings.catalog.pullCost).toBe(100);
    // Without one, the service reads the current revision once and reports it.
    const current = await gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 });
    expect(current).toMatchObject({ cost: 10, settingsRevision: 1 });
    expect(current.settings.catalog.pullCost).toBe(10);
    expect(current.state.currency).toBe(1_000 - 100 - 10);
  });
});
