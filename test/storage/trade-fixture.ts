/**
 * What the gift and trade tests on the real test server share: the migrated test database of the
 * test file (opened before its tests, closed after), offers and counterparties in one word, two
 * players of a fresh guild who own pulled items, and the whole-guild ledger audit.
 */
import { EMPTY_OFFER, type Counterparty, type Offer } from '../../app/domain/moves';
import { auditLedger } from '../../app/storage/ledger-audit';
import type { TestDatabase } from '../support/test-database';
import { openStore, snowflake, stack, type TestStack } from './store-fixture';

export const member = (userId: string): Counterparty => ({ userId, isBot: false, isMember: true });
export const items = (entries: Record<string, number>): Offer => ({ ...EMPTY_OFFER, items: entries });
export const coins = (currency: number): Offer => ({ ...EMPTY_OFFER, currency });

export interface Player {
  readonly guildId: string;
  readonly userId: string;
}

export async function state(svc: TestStack, player: Player) {
  return (await svc.gacha.profile(player)).state;
}

/** Funds the player for `pulls` ten-pulls, pulls them, and returns the first item the player owns. */
async function pullItems(svc: TestStack, player: Player, pulls: number): Promise<string> {
  await svc.gacha.grant(player, `fund-${player.userId}`, pulls * 1_000, 'test', null);
  for (let i = 0; i < pulls; i++) await svc.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
  const itemId = Object.keys((await state(svc, player)).owned)[0];
  if (!itemId) throw new Error('no item pulled');
  return itemId;
}

/**
 * Registers this test file's database (beforeAll/afterAll) and returns the helpers bound to it.
 * Call once, at the top of the test file.
 */
export function tradeFixture() {
  let opened: TestDatabase | undefined;
  beforeAll(async () => {
    opened = await openStore();
  });
  afterAll(async () => {
    await opened?.close();
  });
  const database = {
    get db() {
      if (!opened) throw new Error('the test database is opened in beforeAll');
      return opened.db;
    },
  };

  /** Two players of a fresh guild: `a` has pulled `pulls` ten-pulls (so owns items), `b` has the opening balance. */
  async function twoPlayers(svc: TestStack = stack(database.db), pulls = 1) {
    const guildId = snowflake();
    const a = { guildId, userId: snowflake() };
    const b = { guildId, userId: snowflake() };
    const itemId = await pullItems(svc, a, pulls);
    return { svc, guildId, a, b, itemId };
  }

  /** Two players of a fresh guild who have both pulled one ten-pull, so each owns items of its own. */
  async function twoPullingPlayers(svc: TestStack = stack(database.db)) {
    const { itemId: aItem, ...players } = await twoPlayers(svc);
    return { ...players, aItem, bItem: await pullItems(svc, players.b, 1) };
  }

  async function expectClean(guildId: string) {
    expect((await auditLedger(database.db, guildId, { inFlightGraceMs: 0 })).problems).toEqual([]);
  }

  return { database, twoPlayers, twoPullingPlayers, expectClean };
}
