import type { Db } from 'mongodb';
import { GachaService, type GachaServiceOptions } from '../../app/services/gacha-service';
import { migrate } from '../../app/storage/schema';
import { openTestDatabase, type TestDatabase } from '../support/test-database';

let counter = 0;
/** A Discord-like snowflake (17–19 digits), unique within the test run. */
export function snowflake(): string {
  counter++;
  return `${1_300_000_000_000_000_000n + BigInt(Date.now() % 1_000_000) * 1_000_000n + BigInt(counter)}`;
}

export async function openStore(): Promise<TestDatabase> {
  const database = await openTestDatabase();
  await migrate(database.db);
  return database;
}

export function service(db: Db, options: GachaServiceOptions = {}): GachaService {
  return new GachaService(db, { settingsCacheTtlMs: 0, ...options });
}
