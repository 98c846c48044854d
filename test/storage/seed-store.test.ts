/**
 * Seed epochs on the real test server: one seed per epoch although processes rotate at once,
 * commitments fixed an epoch ahead, seeds sealed until their reveal and revealed only after the
 * delay, rotation by age and by pull count.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { MongoClient } from 'mongodb';
import { seedCommitment } from '../../app/domain/fairness/seeds';
import {
  FAIRNESS_SEEDS_COLLECTION,
  type RotationPolicy,
  SeedSealer,
  SeedStore,
  ServerSeedSecret,
} from '../../app/storage/seed-store';
import { type TestDatabase, openTestDatabase, testMongoUri } from '../support/test-database';

const POLICY: RotationPolicy = { maxAgeMs: 3_600_000, maxPulls: 100, revealDelayMs: 600_000 };
const KEY = randomBytes(32);

let database: TestDatabase;
let clock = new Date('2026-11-30T00:00:00Z');
const now = () => clock;

function store(db = database.db, key: Uint8Array = KEY) {
  return new SeedStore(db, new SeedSealer(key), { policy: POLICY, now, cacheTtlMs: 0 });
}

beforeAll(async () => {
  database = await openTestDatabase();
  await store().ensureIndexes();
});
afterAll(async () => database.close());

describe('SeedStore', () => {
  it('starts epoch 0 with the commitment of epoch 1 already fixed, and the seed sealed in storage', async () => {
    const first = await store().activeEpoch('g-first');
    expect(first.epoch).toBe(0);
    expect(seedCommitment(first.seed.reveal())).toBe(first.commitment);
    const raw = await database.db.collection(FAIRNESS_SEEDS_COLLECTION).find({ guildId: 'g-first' }).toArray();
    expect(raw.map((d) => String(d._id)).sort()).toEqual(['g-first:0', 'g-first:0:start', 'g-first:1']);
    const text = JSON.stringify(raw);
    expect(text).not.toContain(first.seed.reveal());
    expect(raw.find((d) => String(d._id) === 'g-first:1')?.commitment).toBe(first.nextCommitment);
  });

  it('never prints an unrevealed seed', async () => {
    const epoch = await store().activeEpoch('g-print');
    const hex = epoch.seed.reveal();
    for (const text of [JSON.stringify(epoch), String(epoch.seed), inspect(epoch), inspect(epoch.seed)]) {
      expect(text).not.toContain(hex);
    }
    expect(JSON.stringify(new ServerSeedSecret('ab'.repeat(32)))).toBe('"[unrevealed server seed]"');
  });

  it('lets concurrent processes agree on one seed per epoch, at the first start and at a rotation', async () => {
    const clients = await Promise.all(Array.from({ length: 4 }, () => new MongoClient(testMongoUri()).connect()));
    try {
      const stores = clients.map((c) => store(c.db(database.name)));
      const firsts = await Promise.all(stores.map((s) => s.activeEpoch('g-race')));
      expect(new Set(firsts.map((e) => `${e.epoch}:${e.commitment}:${e.seed.reveal()}`)).size).toBe(1);
      clock = new Date(clock.getTime() + POLICY.maxAgeMs);
      const rotated = await Promise.all(stores.map((s) => s.activeEpoch('g-race')));
      expect(new Set(rotated.map((e) => `${e.epoch}:${e.commitment}:${e.seed.reveal()}`)).size).toBe(1);
      expect(rotated[0]!.epoch).toBe(1);
      // The commitment published during epoch 0 is the one epoch 1 draws with.
      expect(rotated[0]!.commitment).toBe(firsts[0]!.nextCommitment);
      const docs = await database.db.collection(FAIRNESS_SEEDS_COLLECTION).countDocuments({ guildId: 'g-race' });
      expect(docs).toBe(5); // seeds 0, 1, 2 and starts 0, 1
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  it('rotates by pull count and reveals a seed only after the next epoch has run for the delay', async () => {
    const s = store();
    const zero = await s.activeEpoch('g-reveal');
    expect((await s.activeEpoch('g-reveal', 99)).epoch).toBe(0);
    const one = await s.activeEpoch('g-reveal', 100);
    expect(one.epoch).toBe(1);
    let epochs = await s.epochs('g-reveal');
    expect(epochs.map((e) => [e.epoch, e.serverSeed])).toEqual([
      [0, null],
      [1, null],
    ]);
    clock = new Date(clock.getTime() + POLICY.revealDelayMs);
    epochs = await s.epochs('g-reveal');
    expect(epochs[0]).toMatchObject({ epoch: 0, serverSeed: zero.seed.reveal(), commitment: zero.commitment });
    expect(epochs[1]!.serverSeed).toBeNull();
    // The reveal is written in clear, so a dump taken now carries it without the key.
    const raw = await database.db.collection(FAIRNESS_SEEDS_COLLECTION).findOne({ _id: 'g-reveal:0' as never });
    expect(raw?.revealedSeed).toBe(zero.seed.reveal());
    const withOtherKey = store(database.db, randomBytes(32));
    expect((await withOtherKey.epochs('g-reveal'))[0]!.serverSeed).toBe(zero.seed.reveal());
    // The current epoch's sealed seed does not open with another key.
    await expect(withOtherKey.activeEpoch('g-reveal')).rejects.toThrow();
  });

  it("counts an epoch's pulls once for the callers that find the cache stale together", async () => {
    // The count is a scan of the ledger on FerretDB: every pull of a guild arriving while its
    // cached epoch is being refreshed used to run one, all at once, holding the pool.
    const s = store();
    await s.activeEpoch('g-flight');
    let counts = 0;
    const count = async (): Promise<number> => {
      counts++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return 0;
    };
    const epochs = await Promise.all(Array.from({ length: 10 }, () => s.activeEpoch('g-flight', count)));
    expect(counts).toBe(1);
    expect(new Set(epochs.map((e) => e.commitment)).size).toBe(1);
    // A later refresh counts again.
    await s.activeEpoch('g-flight', count);
    expect(counts).toBe(2);
  });
});

describe('SeedStore after a restore', () => {
  it('jumps to a fresh epoch whose seed no restored document holds, and reveals the restored ones later', async () => {
    const s = store();
    const before = await s.activeEpoch('g-restore');
    const fresh = await s.startFreshEpochAfterRestore('g-restore');
    expect(fresh).toBe(before.epoch + 1 + 1_000);
    const after = await s.activeEpoch('g-restore');
    expect(after.epoch).toBe(fresh);
    expect(after.seed.reveal()).not.toBe(before.seed.reveal());
    expect(after.commitment).not.toBe(before.nextCommitment);
    clock = new Date(clock.getTime() + POLICY.revealDelayMs);
    const epochs = await s.epochs('g-restore');
    expect(epochs.find((e) => e.epoch === before.epoch)?.serverSeed).toBe(before.seed.reveal());
    expect(epochs.find((e) => e.epoch === fresh)?.serverSeed).toBeNull();
  });
});

describe('SeedStore cache', () => {
  it('keeps pulls off the pull count: a stale epoch is refreshed in the background, once, while draws go on', async () => {
    // Regression: every cache refresh counted the epoch's pulls on the ledger inside a pull (a scan
    // on FerretDB), and every pull of the guild that missed the cache meanwhile ran its own count.
    const s = new SeedStore(database.db, new SeedSealer(KEY), { policy: POLICY, now, cacheTtlMs: 1 });
    const first = await s.activeEpoch('g-swr', () => Promise.resolve(0));
    await new Promise((resolve) => setTimeout(resolve, 5));
    let counts = 0;
    let release: (pulls: number) => void = () => undefined;
    const slowCount = () => {
      counts += 1;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const during = await Promise.all(Array.from({ length: 10 }, () => s.activeEpoch('g-swr', slowCount)));
    expect(during.map((e) => e.epoch)).toEqual(Array(10).fill(first.epoch));
    // The refresh reads the database before it counts: wait (bounded) until its one count has
    // started, however slow the machine, then ask again while it is still running.
    for (let i = 0; i < 400 && counts === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    const more = await Promise.all(Array.from({ length: 10 }, () => s.activeEpoch('g-swr', slowCount)));
    expect(more.map((e) => e.epoch)).toEqual(Array(10).fill(first.epoch));
    expect(counts).toBe(1);
    release(POLICY.maxPulls);
    // The background refresh now claims the next epoch (a few database round trips): draws move to
    // it once that has finished. Bounded wait, so a refresh that never rotates fails the test.
    let after = first.epoch;
    for (let i = 0; i < 200 && after === first.epoch; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      after = (await s.activeEpoch('g-swr', () => Promise.resolve(0))).epoch;
    }
    expect(after).toBe(first.epoch + 1);
  });

  it('does not draw from a cached epoch that has run past its age', async () => {
    const s = new SeedStore(database.db, new SeedSealer(KEY), { policy: POLICY, now, cacheTtlMs: 60_000 });
    const first = await s.activeEpoch('g-age', () => Promise.resolve(0));
    clock = new Date(clock.getTime() + POLICY.maxAgeMs);
    expect((await s.activeEpoch('g-age', () => Promise.resolve(0))).epoch).toBe(first.epoch + 1);
  });
});
