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

  it('a staged change is applied only when the admin who previewed it confirms, and only once', async () => {
    const { gacha, admin } = stack(database.db);
    const guildId = snowflake();
    const actorId = snowflake();
    const catalog = { ...defaultCatalog(), pullCost: 7, tenPullCost: 70 };
    const preview = await admin.stageChange({
      guildId,
      actorId,
      action: 'import',
      change: () => catalog,
      live: 'refuse',
    });
    expect(preview.diff.settings).toEqual(['pullCost', 'tenPullCost']);
    const token = preview.token ?? '';
    expect(await admin.confirmChange(guildId, snowflake(), token)).toEqual({ kind: 'expired' });
    expect(await admin.confirmChange(snowflake(), actorId, token)).toEqual({ kind: 'expired' });
    const applied = await admin.confirmChange(guildId, actorId, token);
    expect(applied.kind === 'applied' && applied.snapshot.revision).toBe(1);
    expect(await admin.confirmChange(guildId, actorId, token)).toEqual({ kind: 'expired' });
    expect((await gacha.settingsFor(guildId)).settings.catalog.pullCost).toBe(7);

    const dropped = await admin.stageChange({
      guildId,
      actorId,
      action: 'import',
      change: () => ({ ...catalog, pullCost: 9 }),
      live: 'refuse',
    });
    expect(admin.dropChange(guildId, actorId, dropped.token ?? '')).toBe(true);
    expect(await admin.confirmChange(guildId, actorId, dropped.token ?? '')).toEqual({ kind: 'expired' });
    const revisions = await collections(database.db).settings.find({ guildId }).toArray();
    expect(revisions.map((r) => [r.revision, r.actorId, r.action])).toEqual([[1, actorId, 'import']]);
  });

  it('refuses a confirm once another edit landed after the preview (the preview no longer holds)', async () => {
    const { admin } = stack(database.db);
    const guildId = snowflake();
    const actorId = snowflake();
    const first = await admin.stageChange({
      guildId,
      actorId,
      action: 'price',
      change: (c) => ({ ...c, pullCost: 200 }),
      live: 'refuse',
    });
    await admin.changeSettings(guildId, snowflake(), 'other edit', (s) => ({
      ...s,
      catalog: { ...s.catalog, tenPullCost: 900 },
    }));
    expect(await admin.confirmChange(guildId, actorId, first.token ?? '')).toEqual({ kind: 'stale' });
  });

  it('counts the owners of items an edit makes unobtainable, from the read model', async () => {
    const { gacha, admin, upkeep } = stack(database.db);
    const guildId = snowflake();
    const player = { guildId, userId: snowflake() };
    const pulled = await gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    await upkeep.flush();
    const owned = pulled.items[0]?.itemId ?? '';
    const preview = await admin.stageChange({
      guildId,
      actorId: snowflake(),
      action: `remove ${owned}`,
      change: (c) => ({ ...c, items: c.items.filter((i) => i.id !== owned) }),
      live: 'announce',
    });
    expect(preview.diff.items.removed).toEqual([owned]);
    expect(preview.diff.unobtainable).toContainEqual({ itemId: owned, reason: 'removed' });
    expect(preview.owners.get(owned)).toBe(1);
  });

  it('refuses odds changes on a running banner, or records them in the public changelog when announced', async () => {
    const { admin } = stack(database.db);
    const guildId = snowflake();
    const actorId = snowflake();
    const rates = (c: ReturnType<typeof defaultCatalog>) => ({
      ...c,
      banners: c.banners.map((b) => (b.kind === 'standard' ? { ...b, pity: { ...b.pity, hardPity: 80 } } : b)),
    });
    const refused = await admin.stageChange({ guildId, actorId, action: 'pity 80', change: rates, live: 'refuse' });
    expect(refused.token).toBeNull();
    expect(refused.live.map((l) => l.fields)).toContainEqual(['pity']);
    const announced = await admin.stageChange({ guildId, actorId, action: 'pity 80', change: rates, live: 'announce' });
    const applied = await admin.confirmChange(guildId, actorId, announced.token ?? '');
    expect(applied.kind).toBe('applied');
    const log = await admin.oddsChangelog(guildId);
    expect(log).toHaveLength(refused.live.length);
    expect(log[0]).toMatchObject({ fields: ['pity'], revision: 1 });
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
