import { GachaError } from '../../app/domain/errors';
import { auditLedger } from '../../app/storage/ledger-audit';
import { collections } from '../../app/storage/collections';
import { historyDocs } from '../../app/storage/history-docs';
import type { LedgerStep } from '../../app/storage/ledger-follower';
import type { TestDatabase } from '../support/test-database';
import { openStore, snowflake, stack } from './store-fixture';

let database: TestDatabase;

beforeAll(async () => {
  database = await openStore();
});

afterAll(async () => {
  await database.close();
});

/** A store that fails (as a crash would) when it reaches `step`. */
function crashingService(step: LedgerStep, projectionDelayMs?: number) {
  return stack(database.db, {
    ...(projectionDelayMs !== undefined ? { projectionDelayMs } : {}),
    faults: {
      at: (at) => {
        if (at === step) throw new Error(`simulated crash at ${step}`);
      },
    },
  });
}

/** A fresh player with exactly `pulls` single pulls of balance (the default pull costs 100). */
async function playerWithPulls(pulls: number) {
  const svc = stack(database.db);
  const player = { guildId: snowflake(), userId: snowflake() };
  const opening = (await svc.gacha.profile(player)).state.currency;
  if (pulls * 100 !== opening)
    await svc.gacha.grant(player, `fund-${player.userId}`, pulls * 100 - opening, 'test funding', null);
  expect((await svc.gacha.profile(player)).state.currency).toBe(pulls * 100);
  await svc.upkeep.flush();
  return { svc, player };
}

describe('exactly-once pulls against the real test server', () => {
  it('50 concurrent pulls with a balance for 10: exactly 10 succeed and the balance never goes negative', async () => {
    const { svc, player } = await playerWithPulls(10);
    const observed: number[] = [];
    const control = { polling: true };
    const poller = (async () => {
      while (control.polling) {
        observed.push((await svc.gacha.profile(player)).state.currency);
        const snapshot = await collections(database.db).users.findOne({
          guildId: player.guildId,
          userId: player.userId,
        });
        if (snapshot) observed.push(snapshot.currency);
      }
    })();
    const attempts = await Promise.allSettled(
      Array.from({ length: 50 }, () => svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 })),
    );
    control.polling = false;
    await poller;
    await svc.upkeep.flush();

    const succeeded = attempts.filter((a) => a.status === 'fulfilled');
    const failed = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(succeeded).toHaveLength(10);
    for (const f of failed) expect((f.reason as GachaError).code).toBe('insufficient-currency');
    expect((await svc.gacha.profile(player)).state.currency).toBe(0);
    expect(await collections(database.db).history.countDocuments(player)).toBe(10);
    expect(observed.length).toBeGreaterThan(0);
    expect(Math.min(...observed)).toBeGreaterThanOrEqual(0);
    expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);
  });

  it('the same interaction delivered twice is charged once and answered with the first result', async () => {
    const { svc, player } = await playerWithPulls(30);
    const interactionId = snowflake();
    const first = await svc.gacha.pull({ ...player, interactionId }, { count: 10 });
    const second = await svc.gacha.pull({ ...player, interactionId }, { count: 10 });
    expect(first.replayed).toBe(false);
    expect(second.replayed).toBe(true);
    expect(second.items).toEqual(first.items);
    expect((await svc.gacha.profile(player)).state.currency).toBe(2_000);

    // Concurrent duplicates, several deliveries of one interaction at once.
    const concurrentId = snowflake();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => svc.gacha.pull({ ...player, interactionId: concurrentId }, { count: 10 })),
    );
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    for (const r of results) expect(r.items).toEqual(results[0]!.items);
    expect((await svc.gacha.profile(player)).state.currency).toBe(1_000);
    await svc.upkeep.flush();
    expect(await collections(database.db).history.countDocuments(player)).toBe(20);

    // Even when the balance is spent, a retry of a finished pull gets its result, not an error.
    await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    const retry = await svc.gacha.pull({ ...player, interactionId }, { count: 10 });
    expect(retry.replayed).toBe(true);
    expect(retry.items).toEqual(first.items);
    expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);
  });

  // With history and read model written before the reply every step can crash; with them deferred
  // (the default), the last step inside a pull is the ledger insert.
  const crashCases: [string, LedgerStep, number | undefined][] = [
    ...(['before-commit', 'after-commit', 'after-history', 'after-snapshot'] as const).map(
      (step): [string, LedgerStep, number | undefined] => ['projections written before the reply', step, 0],
    ),
    ...(['before-commit', 'after-commit'] as const).map((step): [string, LedgerStep, number | undefined] => [
      'projections deferred',
      step,
      undefined,
    ]),
  ];

  it.each(crashCases)(
    '%s: a crash at %s is repaired by the recovery pass: no charge without history or the reverse',
    async (_mode, step, projectionDelayMs) => {
      const { player } = await playerWithPulls(20);
      const crashing = crashingService(step, projectionDelayMs);
      const interactionId = snowflake();
      await expect(crashing.gacha.pull({ ...player, interactionId }, { count: 10 })).rejects.toThrow(/simulated crash/);
      expect(crashing.stores.projections.queued).toBe(0);

      const healthy = stack(database.db);
      await healthy.upkeep.recover();
      const report = await auditLedger(database.db, player.guildId);
      expect(report.problems).toEqual([]);
      const charged = (await healthy.gacha.profile(player)).state.currency === 1_000;
      const historyCount = await collections(database.db).history.countDocuments(player);
      if (step === 'before-commit') {
        expect(charged).toBe(false);
        expect(historyCount).toBe(0);
      } else {
        expect(charged).toBe(true);
        expect(historyCount).toBe(10);
        const snapshot = await collections(database.db).users.findOne({
          guildId: player.guildId,
          userId: player.userId,
        });
        expect(snapshot?.currency).toBe(1_000);
      }
      // The player's retry of the same interaction then gets one consistent result and no second charge.
      const retry = await healthy.gacha.pull({ ...player, interactionId }, { count: 10 });
      expect(retry.replayed).toBe(step !== 'before-commit');
      expect((await healthy.gacha.profile(player)).state.currency).toBe(1_000);
      await healthy.upkeep.flush();
      expect(await collections(database.db).history.countDocuments(player)).toBe(10);
      expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);
    },
  );

  it('a crash while history and read model are still queued loses nothing: recovery writes them', async () => {
    const { player } = await playerWithPulls(20);
    // A process that replies and then dies before its queued writes go out.
    const dying = stack(database.db, { projectionDelayMs: 3_600_000 });
    const pulls = [];
    for (let i = 0; i < 3; i++)
      pulls.push(await dying.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 }));
    expect(pulls.map((p) => p.state.currency)).toEqual([1_900, 1_800, 1_700]);
    expect(dying.stores.projections.queued).toBe(3);
    const users = collections(database.db).users;
    expect((await users.findOne({ guildId: player.guildId, userId: player.userId }))?.currency).toBe(2_000);
    expect(await collections(database.db).history.countDocuments(player)).toBe(0);
    // The charges and their results are in the ledger: another process sees the true balance.
    const healthy = stack(database.db);
    expect((await healthy.gacha.profile(player)).state.currency).toBe(1_700);
    expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);

    expect(await healthy.upkeep.recover()).toBeGreaterThanOrEqual(3);
    const snapshot = await users.findOne({ guildId: player.guildId, userId: player.userId });
    expect(snapshot?.currency).toBe(1_700);
    expect(snapshot?.seq).toBe((await healthy.gacha.profile(player)).seq);
    expect(await collections(database.db).history.countDocuments(player)).toBe(3);
    expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);
  });

  it("a commit after another process's unfinished event never names history still queued here", async () => {
    const { player } = await playerWithPulls(20);
    const a = stack(database.db, { projectionDelayMs: 3_600_000 });
    await a.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 });
    // Another process appends the next event and dies before writing anything else.
    await expect(
      crashingService('after-commit', 0).gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 }),
    ).rejects.toThrow(/simulated crash/);
    // A's cached head is now one behind: its insert loses, it re-reads and commits after the other.
    const third = await a.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 });
    const c = collections(database.db);
    expect((await c.users.findOne({ guildId: player.guildId, userId: player.userId }))?.seq ?? 0).toBeLessThan(
      (await a.gacha.profile(player)).seq - 2,
    );
    expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);
    await a.upkeep.flush();
    expect(await c.history.countDocuments(player)).toBe(3);
    expect((await c.users.findOne({ guildId: player.guildId, userId: player.userId }))?.currency).toBe(
      third.state.currency,
    );
    expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);
  });

  it('a crash part-way through writing history is completed without duplicates', async () => {
    const { player } = await playerWithPulls(10);
    const crashing = crashingService('after-commit');
    await expect(crashing.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 })).rejects.toThrow();
    const [event] = await collections(database.db)
      .ledger.find({ ...player, kind: 'pull' })
      .toArray();
    await collections(database.db).history.insertMany(historyDocs(event!).slice(0, 3));
    expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);
    expect(await stack(database.db).upkeep.recover()).toBeGreaterThanOrEqual(1);
    expect(await collections(database.db).history.countDocuments(player)).toBe(10);
    expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);
  });

  it('a later pull finishes the history of an earlier one that crashed, even before recovery runs', async () => {
    const { player } = await playerWithPulls(30);
    const crashing = crashingService('after-commit');
    await expect(crashing.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 })).rejects.toThrow();
    const healthy = stack(database.db);
    await healthy.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    await healthy.upkeep.flush();
    expect(await collections(database.db).history.countDocuments(player)).toBe(20);
    expect((await healthy.gacha.profile(player)).state.currency).toBe(1_000);
    expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);
  });

  it('two processes with their own head caches alternate on one player without losing or doubling a charge', async () => {
    const { player } = await playerWithPulls(40);
    const processA = stack(database.db);
    const processB = stack(database.db);
    for (let i = 0; i < 10; i++) {
      const runner = i % 3 === 0 ? processB : processA;
      await runner.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 });
      // Each process's cached head is now stale for the other one at times.
      await Promise.all([
        processA.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 }),
        processB.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 }),
      ]);
    }
    expect((await processA.gacha.profile(player)).state.currency).toBe(4_000 - 30 * 100);
    await Promise.all([processA.upkeep.flush(), processB.upkeep.flush()]);
    expect(await collections(database.db).history.countDocuments(player)).toBe(30);
    // A stale cache never turns into a wrong rejection: spend the rest through A, then B refuses.
    await processA.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    await expect(processB.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 })).rejects.toMatchObject({
      code: 'insufficient-currency',
    });
    await expect(processA.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 })).rejects.toMatchObject({
      code: 'insufficient-currency',
    });
    expect((await auditLedger(database.db, player.guildId)).problems).toEqual([]);
  });

  it('pity state stays consistent with history over many pulls', async () => {
    const { svc, player } = await playerWithPulls(2_000);
    for (let i = 0; i < 40; i++) await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    await svc.upkeep.flush();
    const report = await auditLedger(database.db, player.guildId);
    expect(report.historyDocs).toBe(400);
    expect(report.problems).toEqual([]);
  });
});

describe('daily claims', () => {
  it('pays once per day even when claimed concurrently, and replays a duplicate delivery', async () => {
    const now = new Date('2026-11-28T03:00:00Z');
    const svc = stack(database.db, { now: () => now });
    const player = { guildId: snowflake(), userId: snowflake() };
    const ids = Array.from({ length: 10 }, () => snowflake());
    const attempts = await Promise.allSettled(
      ids.map((interactionId) => svc.gacha.daily({ ...player, interactionId })),
    );
    const ok = attempts.filter(
      (a): a is PromiseFulfilledResult<Awaited<ReturnType<typeof svc.gacha.daily>>> => a.status === 'fulfilled',
    );
    expect(ok).toHaveLength(1);
    const winner = ok[0]!.value;
    expect(winner.amount).toBe(300);
    const winnerId = ids[attempts.indexOf(ok[0]!)]!;
    const replay = await svc.gacha.daily({ ...player, interactionId: winnerId });
    expect(replay.replayed).toBe(true);
    expect((await svc.gacha.profile(player)).state.currency).toBe(1_000 + 300);
  });
});

describe('guild isolation and bad input', () => {
  it('two guilds with the same user id never see each other', async () => {
    const svc = stack(database.db);
    const userId = snowflake();
    const a = { guildId: snowflake(), userId };
    const b = { guildId: snowflake(), userId };
    await svc.gacha.pull({ ...a, interactionId: snowflake() }, { count: 10 });
    await svc.admin.changeSettings(b.guildId, snowflake(), 'set-cost', (s) => ({
      ...s,
      catalog: { ...s.catalog, pullCost: 50, tenPullCost: 450 },
    }));
    expect((await svc.gacha.profile(a)).state.currency).toBe(0);
    expect((await svc.gacha.profile(b)).state.currency).toBe(1_000);
    expect((await svc.gacha.history(b, 0)).total).toBe(0);
    expect((await svc.gacha.history(a, 0)).total).toBe(10);
    expect((await svc.gacha.settingsFor(a.guildId)).settings.catalog.pullCost).toBe(100);
    await svc.upkeep.flush();
    expect((await svc.gacha.leaderboard(b.guildId, 'pulls')).entries).toEqual([]);
    expect((await svc.gacha.leaderboard(a.guildId, 'pulls')).entries[0]).toEqual({ userId, value: 10 });
  });

  it('rejects bad input with a typed error and changes nothing', async () => {
    const svc = stack(database.db);
    const player = { guildId: snowflake(), userId: snowflake() };
    await expect(
      svc.gacha.pull({ ...player, interactionId: snowflake() }, { bannerId: 'nope', count: 1 }),
    ).rejects.toMatchObject({
      code: 'unknown-banner',
    });
    const actor = snowflake();
    await expect(
      svc.admin.changeSettings(player.guildId, actor, 'rates', (s) => ({
        ...s,
        catalog: {
          ...s.catalog,
          tiers: s.catalog.tiers.map((t, i) => (i === 0 ? { ...t, ratePpm: t.ratePpm + 10 } : t)),
        },
      })),
    ).rejects.toMatchObject({
      code: 'invalid-config',
      message: expect.stringMatching(/sum to exactly 100%/) as string,
    });
    await expect(
      svc.admin.changeSettings(player.guildId, actor, 'cost', (s) => ({
        ...s,
        catalog: { ...s.catalog, pullCost: -1 },
      })),
    ).rejects.toMatchObject({ code: 'invalid-config' });
    await expect(
      svc.admin.changeSettings(player.guildId, actor, 'banner', (s) => ({
        ...s,
        catalog: {
          ...s.catalog,
          banners: [
            ...s.catalog.banners,
            { ...s.catalog.banners[0]!, id: 'lim', kind: 'limited', featuredItemIds: ['ghost'] },
          ],
        },
      })),
    ).rejects.toMatchObject({
      code: 'invalid-config',
      message: expect.stringMatching(/unknown item "ghost"/) as string,
    });
    expect((await svc.gacha.settingsFor(player.guildId)).revision).toBe(0);
    expect(await collections(database.db).ledger.countDocuments({ guildId: player.guildId })).toBe(0);
  });

  it('concurrent admin changes are all kept as separate revisions', async () => {
    const svc = stack(database.db);
    const guildId = snowflake();
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        svc.admin.changeSettings(guildId, snowflake(), 'add-item', (s) => ({
          ...s,
          catalog: {
            ...s.catalog,
            items: [...s.catalog.items, { id: `extra-${i}`, tierId: 'N', name: { ja: `追加${i}`, en: `Extra ${i}` } }],
          },
        })),
      ),
    );
    const latest = await svc.gacha.settingsFor(guildId);
    expect(latest.revision).toBe(8);
    expect(latest.settings.catalog.items.filter((i) => i.id.startsWith('extra-'))).toHaveLength(8);
    expect(await collections(database.db).settings.countDocuments({ guildId })).toBe(8);
  });
});
