/**
 * What the logical dump carries, against the real test server: the social collections (moves,
 * their marks, wishes, player preferences) are dumped and restored with the rest, in an order that
 * keeps a dump taken while the bot runs recoverable; and every collection the storage layer names
 * is either dumped or excluded with a reason (app/backup/dump-plan.ts), so a new collection cannot
 * be left out silently.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dumpDatabase } from '../../app/backup/dump-database';
import { BACKUP_PLAN, backupRoleOf } from '../../app/backup/dump-plan';
import { restoreDatabase } from '../../app/backup/restore-database';
import { EMPTY_OFFER } from '../../app/domain/moves';
import { COLLECTIONS } from '../../app/storage/collections';
import { auditLedger } from '../../app/storage/ledger-audit';
import { SOCIAL_COLLECTIONS } from '../../app/storage/social-store';
import { openTestDatabase } from '../support/test-database';
import { openStore, snowflake, stack } from '../storage/store-fixture';

const STORAGE_DIR = path.join(__dirname, '../../app/storage');
const APP_DIR = path.join(__dirname, '../../app');

/** Every collection name a storage module exports: `*_COLLECTION` strings and `*COLLECTIONS` maps. */
async function namedCollections(): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const file of readdirSync(STORAGE_DIR).filter((f) => f.endsWith('.ts'))) {
    const mod = (await import(path.join(STORAGE_DIR, file))) as Record<string, unknown>;
    for (const [exported, value] of Object.entries(mod)) {
      if (/_COLLECTION$/.test(exported) && typeof value === 'string') names.set(value, `${file}: ${exported}`);
      if (/COLLECTIONS$/.test(exported) && typeof value === 'object' && value !== null) {
        for (const [key, name] of Object.entries(value)) {
          if (typeof name === 'string') names.set(name, `${file}: ${exported}.${key}`);
        }
      }
    }
  }
  return names;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('every collection is dumped or excluded with a reason', () => {
  it('classifies every collection name the storage layer exports', async () => {
    const named = await namedCollections();
    expect(named.size).toBeGreaterThanOrEqual(15);
    for (const name of [
      COLLECTIONS.moves,
      COLLECTIONS.moveMarks,
      SOCIAL_COLLECTIONS.wishes,
      SOCIAL_COLLECTIONS.prefs,
    ]) {
      expect(named.has(name)).toBe(true);
    }
    const unclassified = [...named]
      .filter(([name]) => !backupRoleOf(name))
      .map(([name, where]) => `${name} (${where})`);
    expect(unclassified).toEqual([]);
    for (const [name, role] of BACKUP_PLAN) {
      if (role.dump === 'excluded' || role.dump === 'after-ledger') expect(role.why.length).toBeGreaterThan(20);
      expect(named.has(name)).toBe(true);
    }
  });

  it('names collections only through those constants (no literal name passed to db.collection)', () => {
    const literal = /\.collection(?:<[^>]*>)?\(\s*['"`]/;
    const offenders = sourceFiles(APP_DIR).filter((file) => literal.test(readFileSync(file, 'utf8')));
    expect(offenders.map((f) => path.relative(APP_DIR, f))).toEqual([]);
  });
});

describe('the social collections in a dump and a restore', () => {
  it('dumps moves, their marks, wishes and preferences — the move facts after the ledger — and restores them', async () => {
    const source = await openStore();
    const target = await openTestDatabase('restore-social');
    try {
      const svc = stack(source.db);
      const guildId = snowflake();
      const a = { guildId, userId: snowflake() };
      const b = { guildId, userId: snowflake() };
      await svc.gacha.grant(a, `fund-${a.userId}`, 1_000, 'test', null);
      await svc.gacha.pull({ ...a, interactionId: snowflake() }, { count: 10 });
      const itemId = Object.keys((await svc.gacha.profile(a)).state.owned)[0] ?? '';
      const member = { userId: b.userId, isBot: false, isMember: true };
      const trade = await svc.trades.proposeTrade(
        { ...a, interactionId: snowflake() },
        member,
        { ...EMPTY_OFFER, items: { [itemId]: 1 } },
        { ...EMPTY_OFFER, currency: 25 },
      );
      await svc.trades.accept(guildId, trade.move._id, a.userId);
      await svc.trades.accept(guildId, trade.move._id, b.userId);
      const gift = await svc.trades.proposeGift(
        { ...b, interactionId: snowflake() },
        { ...member, userId: a.userId },
        {
          ...EMPTY_OFFER,
          currency: 5,
        },
      );
      await svc.trades.cancel(guildId, gift.move._id, b.userId);
      await svc.social.addWish(b, itemId);
      await svc.social.setWishPings(b, false);
      await svc.social.setFavourite(b, itemId);
      await svc.upkeep.flush();

      const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gacha-social-dump-')), 'social.gbdump.gz');
      const { manifest } = await dumpDatabase(source.db, file);
      const order = manifest.collections.map((c) => c.name);
      const count = (name: string) => manifest.collections.find((c) => c.name === name)?.count;
      expect(count(COLLECTIONS.moves)).toBe(2);
      expect(count(COLLECTIONS.moveMarks)).toBe(4);
      expect(count(SOCIAL_COLLECTIONS.wishes)).toBe(1);
      expect(count(SOCIAL_COLLECTIONS.prefs)).toBe(1);
      // A move and its marks are written before the ledger events they govern: dumped after the
      // ledger, every escrow or receipt in the dump finds its move and its decision.
      const ledgerAt = order.indexOf(COLLECTIONS.ledger);
      expect(order.indexOf(COLLECTIONS.moves)).toBeGreaterThan(ledgerAt);
      expect(order.indexOf(COLLECTIONS.moveMarks)).toBeGreaterThan(ledgerAt);
      // Derived collections still come before it.
      expect(order.indexOf(COLLECTIONS.users)).toBeLessThan(ledgerAt);
      expect(order.indexOf(COLLECTIONS.history)).toBeLessThan(ledgerAt);

      await restoreDatabase(target.db, file, { dryRun: false, force: false });
      for (const name of [
        COLLECTIONS.moves,
        COLLECTIONS.moveMarks,
        SOCIAL_COLLECTIONS.wishes,
        SOCIAL_COLLECTIONS.prefs,
      ]) {
        const sorted = { sort: { _id: 1 } } as const;
        expect(await target.db.collection(name).find({}, sorted).toArray()).toEqual(
          await source.db.collection(name).find({}, sorted).toArray(),
        );
      }
      const restored = stack(target.db);
      expect((await restored.trades.get(guildId, trade.move._id)).state).toBe('settled');
      expect((await restored.trades.get(guildId, gift.move._id)).state).toBe('aborted');
      expect((await restored.social.wishlist(b)).itemIds).toEqual([itemId]);
      expect(await restored.social.prefs(b)).toEqual({ wishPings: false, favouriteItemId: itemId });
      expect((await auditLedger(target.db, guildId, { inFlightGraceMs: 0 })).problems).toEqual([]);
    } finally {
      await target.close();
      await source.close();
    }
  }, 120_000);
});
