/**
 * Stale-tolerant reads (issue #20): on a replica set the leaderboard may read a secondary at most
 * MAX_STALENESS_SECONDS behind; history pages, pulls and every ledger read stay on the primary.
 * The test server is a standalone (the driver then serves every read preference from it), so the
 * preference each query asks for is observed on the driver's own calls.
 */
import { Collection, ReadPreference } from 'mongodb';
import { MAX_STALENESS_SECONDS, mongoClientOptions, staleReadPreference } from '../../app/database-options';
import type { TestDatabase } from '../support/test-database';
import { openStore, snowflake, stack } from './store-fixture';

let database: TestDatabase;

beforeAll(async () => {
  database = await openStore();
});

afterAll(async () => {
  jest.restoreAllMocks();
  await database.close();
});

type ReadCall = { readonly method: string; readonly collection: string; readonly mode: string };

/** Records the read preference of every find/findOne/countDocuments/aggregate while `run` runs. */
async function readsDuring(run: () => Promise<void>): Promise<ReadCall[]> {
  const calls: ReadCall[] = [];
  const modeOf = (options: unknown): string => {
    if (typeof options !== 'object' || options === null || !('readPreference' in options)) return 'default';
    const pref = options.readPreference;
    if (pref === undefined) return 'default';
    if (pref instanceof ReadPreference) return pref.mode;
    return typeof pref === 'string' ? pref : 'other';
  };
  const spies = [
    jest.spyOn(Collection.prototype, 'find'),
    jest.spyOn(Collection.prototype, 'findOne'),
    jest.spyOn(Collection.prototype, 'countDocuments'),
    jest.spyOn(Collection.prototype, 'aggregate'),
  ];
  try {
    await run();
  } finally {
    spies.forEach((spy, i) => {
      const method = ['find', 'findOne', 'countDocuments', 'aggregate'][i] ?? '?';
      spy.mock.calls.forEach((args, n) => {
        const self: unknown = spy.mock.contexts[n];
        const collection = self instanceof Collection ? self.collectionName : '?';
        calls.push({ method, collection, mode: modeOf(args[1]) });
      });
      spy.mockRestore();
    });
  }
  return calls;
}

describe('read preference per query', () => {
  it('chooses secondaryPreferred with maxStalenessSeconds for rankings on a replica set, primary otherwise', () => {
    const stale = staleReadPreference('replica-set');
    expect(stale.mode).toBe('secondaryPreferred');
    expect(stale.maxStalenessSeconds).toBe(MAX_STALENESS_SECONDS);
    expect(staleReadPreference('standalone').mode).toBe('primary');
    // The client default stays the primary: pulls and charges never read a secondary.
    expect(mongoClientOptions('replica-set').readPreference).toBeUndefined();
    const replica = stack(database.db, { staleReads: stale }).stores.queries;
    expect(replica.readPreferenceFor('leaderboard')).toBe(stale);
    expect(replica.readPreferenceFor('historyPage').mode).toBe('primary');
    const local = stack(database.db).stores.queries;
    expect(local.readPreferenceFor('leaderboard').mode).toBe('primary');
  });

  it('runs the leaderboard on the stale preference and the pull and history on the primary', async () => {
    const svc = stack(database.db, { staleReads: staleReadPreference('replica-set'), projectionDelayMs: 0 });
    const player = { guildId: snowflake(), userId: snowflake() };

    const pullReads = await readsDuring(async () => {
      await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    });
    expect(pullReads.length).toBeGreaterThan(0);
    expect(pullReads.filter((r) => r.mode !== 'default' && r.mode !== 'primary')).toEqual([]);

    const boardReads = await readsDuring(async () => {
      expect((await svc.gacha.leaderboard(player.guildId, 'pulls')).entries).toEqual([
        { userId: player.userId, value: 10 },
      ]);
    });
    expect(boardReads).toEqual([{ method: 'find', collection: 'users', mode: 'secondaryPreferred' }]);

    const historyReads = await readsDuring(async () => {
      expect((await svc.gacha.history(player, 0)).total).toBe(10);
    });
    const page = historyReads.filter((r) => r.collection === 'gacha_history' && r.method !== 'aggregate');
    expect(page).toEqual([
      { method: 'find', collection: 'gacha_history', mode: 'primary' },
      { method: 'countDocuments', collection: 'gacha_history', mode: 'primary' },
    ]);
    expect(historyReads.filter((r) => r.mode === 'secondaryPreferred')).toEqual([]);
  });
});
