import type { Db } from 'mongodb';
import { createServices, type Services } from '../../app/services/create-services';
import type { GachaServiceOptions } from '../../app/services/gacha-service';
import { migrate } from '../../app/storage/schema';
import { createStores, type StoreOptions, type Stores } from '../../app/storage/stores';
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

/** The services of one bot process, and (for white-box assertions) the stores they were given. */
export interface TestStack extends Services {
  readonly stores: Stores;
}

export function stack(db: Db, options: StoreOptions & GachaServiceOptions = {}): TestStack {
  const stores = createStores(db, { settingsCacheTtlMs: 0, ...options });
  return { ...createServices(stores, options), stores };
}
