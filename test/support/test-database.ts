/**
 * Per-test-file database on the shared test server: each file gets a unique database name so files
 * run in parallel without interfering, and the database is dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';

export interface TestDatabase {
  readonly client: MongoClient;
  readonly db: Db;
  readonly uri: string;
  readonly name: string;
  close(): Promise<void>;
}

export function testMongoUri(): string {
  const uri = process.env.GACHA_TEST_MONGODB_URI;
  if (!uri)
    throw new Error(
      'GACHA_TEST_MONGODB_URI is not set: run the tests through jest, in a project whose global setup starts ' +
        'the test database (integration, e2e; see test/support/test-projects.ts)',
    );
  return uri;
}

export function uniqueDatabaseName(label: string): string {
  const slug = path
    .basename(label)
    .replace(/\.test\.ts$/, '')
    .replace(/[^A-Za-z0-9]/g, '_')
    .slice(0, 30);
  return `t_${slug}_${randomBytes(4).toString('hex')}`;
}

export async function openTestDatabase(label = expect.getState().testPath ?? 'test'): Promise<TestDatabase> {
  const uri = testMongoUri();
  const client = new MongoClient(uri, { maxPoolSize: 100 });
  await client.connect();
  const name = uniqueDatabaseName(label);
  const db = client.db(name);
  return {
    client,
    db,
    uri,
    name,
    close: async () => {
      await db.dropDatabase().catch(() => undefined);
      await client.close();
    },
  };
}
