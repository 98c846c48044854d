/** DatabasePoolGauge against the real test database: connections lent, and operations waiting for one. */
import { MongoClient } from 'mongodb';
import { DatabasePoolGauge, type PoolStats } from '../../app/observability/diagnostics';
import { testMongoUri, uniqueDatabaseName } from '../support/test-database';

it('counts connections checked out and operations waiting for the pool, back to zero afterwards', async () => {
  const client = new MongoClient(testMongoUri(), { maxPoolSize: 2 });
  const gauge = new DatabasePoolGauge(client);
  const seen: PoolStats[] = [];
  // Listeners run in order of registration: these read the gauge after it has counted each event.
  for (const event of ['connectionCheckOutStarted', 'connectionCheckedOut', 'connectionCheckedIn'] as const) {
    client.on(event, () => seen.push(gauge.stats()));
  }
  await client.connect();
  const db = client.db(uniqueDatabaseName('pool-gauge'));
  try {
    await db.command({ ping: 1 });
    seen.length = 0;
    // Eight operations at once on a pool of two: at most two lent, the others wait in line.
    await Promise.all(Array.from({ length: 8 }, (_, i) => db.collection('c').insertOne({ i })));
    expect(Math.max(...seen.map((s) => s.checkedOut))).toBe(2);
    expect(Math.max(...seen.map((s) => s.waiting))).toBeGreaterThanOrEqual(6);
    expect(gauge.stats()).toEqual({ checkedOut: 0, waiting: 0 });
  } finally {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  }
});
