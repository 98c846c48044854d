/**
 * The IDENTIFY leases on the real test server: processes (each its own connection) claiming slots
 * of one bucket at once get distinct slots whose IDENTIFY windows are ≥ 5 s apart; another bucket
 * is independent; a claimant that stalls past its slot's slack gives it up; an abort stops the wait.
 * A virtual clock stands in for time (sleep moves it), so the test takes milliseconds.
 */
import { MongoClient } from 'mongodb';
import {
  DISCORD_IDENTIFY_WINDOW_MS,
  IDENTIFY_LEASES_COLLECTION,
  IDENTIFY_SLACK_MS,
  type IdentifyLease,
  type IdentifyLeaseDoc,
  IdentifyLeases,
  SLOT_MS,
} from '../../app/storage/identify-leases';
import { openTestDatabase, type TestDatabase } from '../support/test-database';

let database: TestDatabase;
const others: MongoClient[] = [];

beforeAll(async () => {
  database = await openTestDatabase();
});

afterAll(async () => {
  for (const c of others) await c.close();
  await database.close();
});

/** A clock shared by every claimant: sleeping moves it forward to the wake-up time. */
function virtualClock(start: number) {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      const wake = t + ms;
      await new Promise((r) => setImmediate(r));
      t = Math.max(t, wake);
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

async function processDb() {
  const client = new MongoClient(database.uri);
  await client.connect();
  others.push(client);
  return client.db(database.name);
}

describe('identify leases', () => {
  it('gives processes racing for one bucket distinct slots, IDENTIFY windows ≥ 5 s apart', async () => {
    const clock = virtualClock(1_000 * SLOT_MS + 10);
    const claimants = await Promise.all(
      ['a', 'b', 'c'].map(async (owner) => new IdentifyLeases(await processDb(), owner, clock)),
    );
    await claimants[0]?.ensureIndex();
    const granted: { lease: IdentifyLease; at: number }[] = [];
    await Promise.all(
      claimants.flatMap((leases, p) =>
        [0, 1].map(async (n) => {
          const lease = await leases.acquire(0, p * 2 + n);
          granted.push({ lease, at: clock.now() });
        }),
      ),
    );
    expect(granted).toHaveLength(6);
    expect(new Set(granted.map((g) => g.lease.slot)).size).toBe(6);
    for (const g of granted) {
      expect(g.at).toBeGreaterThanOrEqual(g.lease.startsAt);
      expect(g.lease.deadline - g.lease.startsAt).toBe(IDENTIFY_SLACK_MS);
    }
    const windows = granted.map((g) => g.lease).sort((x, y) => x.slot - y.slot);
    for (let i = 1; i < windows.length; i++) {
      const earlier = windows[i - 1];
      const later = windows[i];
      if (!earlier || !later) throw new Error('missing lease');
      // The latest IDENTIFY of the earlier slot and the earliest of the later one.
      expect(later.startsAt - earlier.deadline).toBeGreaterThanOrEqual(DISCORD_IDENTIFY_WINDOW_MS);
    }
    const stored = await database.db.collection(IDENTIFY_LEASES_COLLECTION).countDocuments({ bucket: 0 });
    expect(stored).toBe(6);
  });

  it('does not make another bucket wait, and identifies at once in a free current slot', async () => {
    const clock = virtualClock(5_000 * SLOT_MS + 200);
    const leases = new IdentifyLeases(await processDb(), 'solo', clock);
    const first = await leases.acquire(7, 7);
    expect(first).toMatchObject({ slot: 5_000, skipped: 0 });
    expect(clock.now()).toBe(5_000 * SLOT_MS + 200);
    const other = await leases.acquire(8, 8);
    expect(other.slot).toBe(5_000);
    const again = await leases.acquire(7, 9);
    expect(again.slot).toBe(5_001);
    expect(clock.now()).toBe(5_001 * SLOT_MS);
  });

  it('gives up a slot whose slack passed while it waited, and claims a later one', async () => {
    const clock = virtualClock(9_000 * SLOT_MS + 10);
    let oversleeps = 1;
    const leases = new IdentifyLeases(await processDb(), 'stalled', {
      now: clock.now,
      sleep: async (ms) => {
        await clock.sleep(ms);
        // Once, a paused event loop oversleeps past the slot's slack.
        if (oversleeps-- > 0) clock.advance(IDENTIFY_SLACK_MS + 1);
      },
    });
    await leases.acquire(3, 3); // slot 9000, free now: no sleep
    const late = await leases.acquire(3, 5);
    // Slot 9001 was claimed, overslept, given up; the next claim is later and served in time.
    expect(oversleeps).toBe(-1);
    expect(late.slot).toBeGreaterThan(9_001);
    expect(late.skipped).toBeGreaterThanOrEqual(1);
    expect(clock.now()).toBeLessThanOrEqual(late.deadline);
  });

  it('stops waiting when discord.js aborts the identify', async () => {
    const leases = new IdentifyLeases(await processDb(), 'aborted');
    const busy = Math.ceil(Date.now() / SLOT_MS) + 1;
    await database.db
      .collection<IdentifyLeaseDoc>(IDENTIFY_LEASES_COLLECTION)
      .insertOne({ _id: `11:${busy}`, bucket: 11, slot: busy, shardId: 0, owner: 'x', claimedAt: new Date() });
    const controller = new AbortController();
    const waiting = leases.acquire(11, 11, controller.signal);
    controller.abort(new Error('shard destroyed'));
    await expect(waiting).rejects.toThrow(/shard destroyed/);
  });
});
