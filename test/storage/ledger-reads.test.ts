/**
 * A player's ledger events are read by `_id` equality only: FerretDB 1.24 answers `_id: {$in}`
 * (or any other filter) with a scan of the whole ledger, which under load took every connection
 * of the pool for seconds per read (after a restart with a backlog, commands were acknowledged and
 * never answered within 30 s).
 */
import { type CommandStartedEvent, type Db, type Document, MongoClient } from 'mongodb';
import { initialPlayerState, type PlayerState } from '../../app/domain/player-state';
import { collections, type LedgerEventDoc } from '../../app/storage/collections';
import { consecutiveEvents, newestEvent } from '../../app/storage/ledger-reads';
import { ledgerEvent } from '../../app/storage/player-ledger';
import { migrate } from '../../app/storage/schema';
import { testMongoUri, uniqueDatabaseName } from '../support/test-database';
import { snowflake, stack } from './store-fixture';

let client: MongoClient;
let db: Db;
/** Filters of the finds sent to the ledger since the last `ledgerFinds()`. */
let finds: Document[] = [];

function ledgerFinds(): Document[] {
  const taken = finds;
  finds = [];
  return taken;
}

beforeAll(async () => {
  client = new MongoClient(testMongoUri(), { monitorCommands: true });
  client.on('commandStarted', (event: CommandStartedEvent) => {
    const command = event.command as { find?: unknown; filter?: Document };
    if (event.commandName === 'find' && command.find === 'player_ledger') finds.push(command.filter ?? {});
  });
  db = client.db(uniqueDatabaseName('ledger-reads'));
  await client.connect();
  await migrate(db);
});

afterAll(async () => {
  await db.dropDatabase().catch(() => undefined);
  await client.close();
});

/** `count` grants committed for a new player straight into the ledger (no read model, no history). */
async function playerWithEvents(count: number): Promise<{ guildId: string; userId: string }> {
  const player = { guildId: snowflake(), userId: snowflake() };
  const events: LedgerEventDoc[] = [];
  let head: { seq: number; state: PlayerState; opKey: string | null } = {
    seq: 0,
    state: initialPlayerState(0),
    opKey: null,
  };
  for (let i = 0; i < count; i++) {
    const state = { ...head.state, currency: head.state.currency + 10 };
    const event = ledgerEvent(player, head, `grant:${i}`, null, new Date(), {
      kind: 'grant',
      state,
      grant: { amount: 10, reason: 'test', actorId: null },
    });
    events.push(event);
    head = { seq: event.seq, state, opKey: event.opKey };
  }
  if (events.length > 0) await collections(db).ledger.insertMany(events);
  return player;
}

const byIdOnly = (filter: Document): boolean => Object.keys(filter).join() === '_id' && typeof filter._id === 'string';

test('the head of a player far behind the read model is found by _id lookups, a few of them', async () => {
  const player = await playerWithEvents(90);
  const { stores } = stack(db);
  ledgerFinds();
  const head = await stores.ledger.head(player, 0);
  expect(head.seq).toBe(90);
  expect(head.state.currency).toBe(900);
  const filters = ledgerFinds();
  expect(filters.filter((f) => !byIdOnly(f))).toEqual([]);
  // Gallop to 127 and halve back: about 2·log2(90), not one lookup per event.
  expect(filters.length).toBeLessThanOrEqual(16);
});

test("catching up a player's history reads the ledger by _id lookups only", async () => {
  const player = await playerWithEvents(90);
  const { stores } = stack(db);
  ledgerFinds();
  expect(await stores.projections.catchUpHistory(player)).toBe(true);
  expect(ledgerFinds().filter((f) => !byIdOnly(f))).toEqual([]);
  expect(await stores.queries.projectedSeq(player)).toBe(90);
});

test('newestEvent: none, one, and the edges of the gallop', async () => {
  const ledger = collections(db).ledger;
  const none = await playerWithEvents(0);
  expect(await newestEvent(ledger, none, 0)).toBeNull();
  const one = await playerWithEvents(1);
  expect((await newestEvent(ledger, one, 0))?.seq).toBe(1);
  expect(await newestEvent(ledger, one, 1)).toBeNull();
  for (const count of [2, 3, 4, 7, 8, 9, 64, 65]) {
    const player = await playerWithEvents(count);
    expect((await newestEvent(ledger, player, 0))?.seq).toBe(count);
    expect((await newestEvent(ledger, player, count - 1))?.seq).toBe(count);
  }
});

test('consecutiveEvents: in order, up to the first missing sequence and at most max', async () => {
  const ledger = collections(db).ledger;
  const player = await playerWithEvents(20);
  expect((await consecutiveEvents(ledger, player, 5, 100)).map((e) => e.seq)).toEqual(
    Array.from({ length: 16 }, (_, i) => 5 + i),
  );
  expect((await consecutiveEvents(ledger, player, 1, 11)).map((e) => e.seq)).toEqual(
    Array.from({ length: 11 }, (_, i) => 1 + i),
  );
  expect(await consecutiveEvents(ledger, player, 21, 10)).toEqual([]);
  expect(ledgerFinds().filter((f) => !byIdOnly(f))).toEqual([]);
});
