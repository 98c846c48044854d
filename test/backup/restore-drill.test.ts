/**
 * Restore drill against the real test server: realistic data (players with pulls, dailies and
 * grants, history, settings with Japanese text, audit entries, plus a collection holding every
 * BSON type) → backup → drop → restore → identical data; corrupted and truncated dumps are
 * rejected with a clear error and change nothing.
 */
import { copyFileSync, mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Binary, BSON, Double, Int32, Long, ObjectId, type Db, Timestamp, BSONRegExp } from 'mongodb';
import { DumpError, DumpWriter, validateDump } from '../../app/backup/dump-format';
import { DUMP_ORDER, dumpDatabase } from '../../app/backup/dump-database';
import { RestoreRefused, restoreDatabase } from '../../app/backup/restore-database';
import { addItem } from '../../app/domain/catalog-edits';
import { ArtStore } from '../../app/storage/art-store';
import { COLLECTIONS, type LedgerEventDoc } from '../../app/storage/collections';
import {
  FAIRNESS_RESTORES_COLLECTION,
  FAIRNESS_SEEDS_COLLECTION,
  RESTORE_EPOCH_GAP,
  type SeedDoc,
} from '../../app/storage/seed-store';
import { auditLedger } from '../../app/storage/ledger-audit';
import { openTestDatabase, type TestDatabase } from '../support/test-database';
import { openStore, snowflake, stack } from '../storage/store-fixture';

const workDir = mkdtempSync(path.join(os.tmpdir(), 'gacha-dump-'));
/** Card art the drill stores (bytes need not be an image for the store; the id is their address). */
const ART = {
  guildId: '1300000000000000001',
  bytes: Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37) % 256)),
};
const ART_ID = 'a'.repeat(64);

async function seed(db: Db): Promise<void> {
  const { gacha, admin, upkeep } = stack(db);
  const guildId = snowflake();
  await admin.changeSettings(guildId, snowflake(), 'add-item', (current) => ({
    ...current,
    catalog: addItem(current.catalog, {
      id: 'sakura-miko',
      tierId: 'SSR',
      name: { ja: '桜の巫女', en: 'Sakura Shrine Maiden' },
    }),
  }));
  for (let p = 0; p < 12; p += 1) {
    const player = { guildId, userId: snowflake() };
    await gacha.grant(player, `seed-${p}`, 20_000, '初期付与 / opening grant', null);
    await gacha.daily({ ...player, interactionId: snowflake() });
    await gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 });
    await gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 });
  }
  await upkeep.flush();
  await new ArtStore(db).put(
    ART.guildId,
    { id: ART_ID, data: ART.bytes, contentType: 'image/webp', width: 320, height: 448 },
    null,
  );
  await db.collection('bson_types').insertMany([
    {
      _id: 'every-type' as never,
      double: new Double(1.5),
      wholeDouble: new Double(3),
      int32: new Int32(-7),
      int64: Long.fromString('9007199254740993'),
      string: 'ガチャ 🎲 \u00e9',
      bool: true,
      nil: null,
      date: new Date('2026-11-29T03:00:00.123Z'),
      objectId: new ObjectId('65f0a1b2c3d4e5f601234567'),
      binary: new Binary(Buffer.from([0, 1, 2, 250, 255])),
      timestamp: new Timestamp({ t: 1_764_385_200, i: 3 }),
      regex: new BSONRegExp('^ssr-', 'i'),
      array: [1, 'two', { three: 3 }],
      nested: { deeper: { deepest: ['x'] } },
    },
  ]);
}

/** Every collection's documents, but the restore's own marker (not data from the dump; tested below). */
async function snapshot(db: Db): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    if (name === FAIRNESS_RESTORES_COLLECTION) continue;
    const docs = await db
      .collection(name)
      .find({}, { raw: true, sort: { _id: 1 } })
      .toArray();
    out[name] = docs.map((d) => Buffer.from(d as unknown as Uint8Array).toString('base64'));
  }
  return out;
}

describe('backup and restore drill', () => {
  let source: TestDatabase;
  let dumpFile: string;
  let before: Record<string, string[]>;

  beforeAll(async () => {
    source = await openStore();
    await seed(source.db);
    before = await snapshot(source.db);
    dumpFile = path.join(workDir, 'drill.gbdump.gz');
  }, 120_000);

  afterAll(async () => {
    await source.close();
  });

  it('dumps every collection, derived ones before the ledger, with counts and checksums in the manifest', async () => {
    const { manifest } = await dumpDatabase(source.db, dumpFile);
    const names = manifest.collections.map((c) => c.name);
    expect([...names].sort()).toEqual(Object.keys(before).sort());
    // The read model and history before the ledger; the seeds its pulls were drawn from after it.
    expect(names.indexOf(COLLECTIONS.users)).toBeLessThan(names.indexOf(COLLECTIONS.ledger));
    expect(names.indexOf(COLLECTIONS.history)).toBeLessThan(names.indexOf(COLLECTIONS.ledger));
    expect(names.indexOf(FAIRNESS_SEEDS_COLLECTION)).toBeGreaterThan(names.indexOf(COLLECTIONS.ledger));
    expect(manifest.collections.find((c) => c.name === COLLECTIONS.art)?.count).toBe(1);
    // Settings before art: a revision naming art is dumped with (or before) the art it names.
    const order = manifest.collections.map((c) => c.name);
    expect(order.indexOf(COLLECTIONS.settings)).toBeLessThan(order.indexOf(COLLECTIONS.art));
    expect(DUMP_ORDER).toContain(COLLECTIONS.ledger);
    for (const entry of manifest.collections) expect(entry.count).toBe(before[entry.name]?.length);
    expect(manifest.collections.find((c) => c.name === COLLECTIONS.history)?.count).toBeGreaterThanOrEqual(12 * 11);
    expect((await validateDump(dumpFile)).collections).toEqual(manifest.collections);
  });

  it('restores into an empty database byte for byte, indexes included, and the ledger audits clean', async () => {
    const target = await openTestDatabase('restore-target');
    try {
      const result = await restoreDatabase(target.db, dumpFile, { dryRun: false, force: false });
      expect(result.restored).toBe(true);
      expect(await snapshot(target.db)).toEqual(before);
      const sourceIndexes = await source.db.collection(COLLECTIONS.ledger).indexes();
      const targetIndexes = await target.db.collection(COLLECTIONS.ledger).indexes();
      const names = (indexes: { name?: unknown }[]) => indexes.map((i) => String(i.name)).sort();
      expect(names(targetIndexes)).toEqual(names(sourceIndexes));
      const report = await auditLedger(target.db);
      expect(report.problems).toEqual([]);
      const types = await target.db.collection('bson_types').findOne({}, { promoteValues: false, promoteLongs: false });
      expect(types?.int64).toBeInstanceOf(Long);
      expect(types?.wholeDouble).toBeInstanceOf(Double);
      expect(types?.binary).toBeInstanceOf(Binary);
      // Card art is in the dump with its index, and reads back as the same bytes.
      expect(await new ArtStore(target.db).get(ART.guildId, ART_ID)).toEqual(ART.bytes);
      const artIndexes = (await target.db.collection(COLLECTIONS.art).indexes()).map((i) => String(i.name));
      expect(artIndexes).toContain('guild_recent');
    } finally {
      await target.close();
    }
  });

  it('holds only sealed seeds, and after a restore no restored seed is drawn from again', async () => {
    const seeds = await source.db.collection<SeedDoc>(FAIRNESS_SEEDS_COLLECTION).find({ kind: 'seed' }).toArray();
    expect(seeds.length).toBeGreaterThan(0);
    // Nothing was revealed yet: the dump holds ciphertext only.
    expect(seeds.every((s) => s.revealedSeed === undefined && s.sealed.data.length > 0)).toBe(true);
    const newestRestored = Math.max(...seeds.map((s) => s.epoch));
    const target = await openTestDatabase('restore-fairness');
    try {
      const result = await restoreDatabase(target.db, dumpFile, { dryRun: false, force: false });
      expect(result.freshEpochGuilds).toBe(new Set(seeds.map((s) => s.guildId)).size);
      const pulled = await source.db.collection<LedgerEventDoc>(COLLECTIONS.ledger).findOne({ kind: 'pull' });
      if (!pulled) throw new Error('the drill made no pull');
      const restoredCommitments = new Set(seeds.map((s) => s.commitment));
      // Two bot processes after the restore: they agree on one fresh epoch, far above the restored ones.
      const [a, b] = [stack(target.db), stack(target.db)];
      const player = { guildId: pulled.guildId, userId: pulled.userId };
      const [first, second] = await Promise.all([
        a.gacha.pull({ ...player, interactionId: snowflake() }, { count: 1 }),
        b.gacha.pull({ ...player, interactionId: snowflake() }, { count: 10 }),
      ]);
      expect(first.fairness?.epoch).toBe(newestRestored + RESTORE_EPOCH_GAP);
      expect(second.fairness?.epoch).toBe(newestRestored + RESTORE_EPOCH_GAP);
      expect(restoredCommitments.has(first.fairness?.commitment ?? '')).toBe(false);
      const starts = await target.db
        .collection(FAIRNESS_SEEDS_COLLECTION)
        .countDocuments({ guildId: pulled.guildId, kind: 'start', reason: 'restore' });
      expect(starts).toBe(1);
      // A guild the dump never saw starts above the gap too.
      const stranger = await a.gacha.pull(
        { guildId: snowflake(), userId: snowflake(), interactionId: snowflake() },
        { count: 1 },
      );
      expect(stranger.fairness?.epoch).toBe(RESTORE_EPOCH_GAP);
    } finally {
      await target.close();
    }
  });

  it('survives drop → restore of the very same database', async () => {
    const db = source.db;
    await db.dropDatabase();
    expect(await snapshot(db)).toEqual({});
    await restoreDatabase(db, dumpFile, { dryRun: false, force: false });
    expect(await snapshot(db)).toEqual(before);
  });

  it('refuses a non-empty target without --force and shows the plan in a dry run without changing it', async () => {
    const target = await openTestDatabase('restore-nonempty');
    try {
      await target.db.collection(COLLECTIONS.users).insertOne({ _id: 'someone' as never, guildId: 'g' });
      const dry = await restoreDatabase(target.db, dumpFile, { dryRun: true, force: false });
      expect(dry.restored).toBe(false);
      expect(dry.plan.find((l) => l.collection === COLLECTIONS.users)).toMatchObject({
        inTarget: 1,
        action: 'refused',
      });
      expect(dry.plan.find((l) => l.collection === COLLECTIONS.ledger)).toMatchObject({
        inTarget: 0,
        action: 'create',
      });
      await expect(restoreDatabase(target.db, dumpFile, { dryRun: false, force: false })).rejects.toThrow(
        RestoreRefused,
      );
      expect(Object.keys(await snapshot(target.db))).toEqual([COLLECTIONS.users]);
      expect(await target.db.collection(COLLECTIONS.users).countDocuments()).toBe(1);
      await restoreDatabase(target.db, dumpFile, { dryRun: false, force: true });
      expect(await snapshot(target.db)).toEqual(before);
    } finally {
      await target.close();
    }
  });

  it.each([
    [
      'truncated',
      (file: string) => {
        truncateSync(file, Math.floor(statSync(file).size * 0.6));
      },
      /truncated|corrupted/,
    ],
    [
      'corrupted in the middle',
      (file: string) => {
        const bytes = readFileSync(file);
        const at = Math.floor(bytes.length / 2);
        bytes[at] = (bytes[at] ?? 0) ^ 0xff;
        writeFileSync(file, bytes);
      },
      /corrupted|truncated/,
    ],
    [
      'not a dump',
      (file: string) => {
        writeFileSync(file, 'hello');
      },
      /corrupted|truncated|header/,
    ],
  ])('rejects a %s dump with a clear error and changes nothing', async (_label, damage, message) => {
    const broken = path.join(workDir, `broken-${Math.random().toString(36).slice(2)}.gz`);
    copyFileSync(dumpFile, broken);
    damage(broken);
    const target = await openTestDatabase('restore-broken');
    try {
      await target.db.collection('keep').insertOne({ _id: 'untouched' as never });
      const attempt = restoreDatabase(target.db, broken, { dryRun: false, force: true });
      await expect(attempt).rejects.toThrow(DumpError);
      await expect(restoreDatabase(target.db, broken, { dryRun: false, force: true })).rejects.toThrow(message);
      expect(Object.keys(await snapshot(target.db))).toEqual(['keep']);
    } finally {
      await target.close();
    }
  });

  it('detects a dump whose content no longer matches its manifest', async () => {
    const file = path.join(workDir, 'lying.gz');
    const writer = new DumpWriter(file, 'x');
    await writer.beginCollection({ name: 'c', indexes: [] });
    await writer.document(BSON.serialize({ _id: 1, v: 'a' }));
    await writer.close(new Date());
    // Re-encode with a changed document but the original manifest.
    const plain = gunzipSync(readFileSync(file));
    const at = plain.indexOf(Buffer.from('a\u0000'));
    plain[at] = 'b'.charCodeAt(0);
    writeFileSync(file, gzipSync(plain));
    await expect(validateDump(file)).rejects.toThrow(/checksum/);
  });
});
