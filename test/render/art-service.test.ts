/**
 * ArtService against the test database: art is set through a new settings revision (the audit),
 * a bad image or an unknown item changes nothing, clearing works once, and a pull picture that
 * cannot be drawn is reported and answered without a picture instead of failing the pull.
 */
import { ArtError } from '../../app/art/art-errors';
import { defaultCatalog } from '../../app/domain/default-catalog';
import { isGachaError } from '../../app/domain/errors';
import { ArtService } from '../../app/services/art-service';
import type { TestDatabase } from '../support/test-database';
import { openStore, snowflake, stack } from '../storage/store-fixture';
import { paintingPng } from './sample-images';

let database: TestDatabase;
beforeAll(async () => {
  database = await openStore();
});
afterAll(async () => {
  await database.close();
});

it('sets art through an audited settings revision; bad input and unknown targets change nothing', async () => {
  const { art, stores } = stack(database.db);
  const guildId = snowflake();
  const admin = snowflake();
  const itemId = defaultCatalog().items[0]?.id ?? '';
  const revision = async () => (await stores.settings.get(guildId)).revision;
  const start = await revision();

  await expect(
    art.setArt({
      guildId,
      actorId: admin,
      target: { kind: 'item', id: itemId },
      input: { kind: 'bytes', data: Buffer.from('nope') },
    }),
  ).rejects.toBeInstanceOf(ArtError);
  const unknown = await art
    .setArt({
      guildId,
      actorId: admin,
      target: { kind: 'item', id: 'no-such-item' },
      input: { kind: 'bytes', data: paintingPng(200, 280) },
    })
    .catch((error: unknown) => error);
  expect(isGachaError(unknown, 'unknown-item')).toBe(true);
  expect(await revision()).toBe(start);
  expect(await stores.art.list(guildId)).toEqual([]);

  const result = await art.setArt({
    guildId,
    actorId: admin,
    target: { kind: 'item', id: itemId },
    input: { kind: 'bytes', data: paintingPng(600, 800, 30) },
  });
  expect(result.snapshot.revision).toBe(start + 1);
  expect(result.bytes).toBeLessThanOrEqual(200 * 1024);
  expect(result.snapshot.settings.catalog.items.find((i) => i.id === itemId)?.art).toBe(result.artId);
  const doc = await database.db.collection('server_settings').findOne({ guildId, revision: start + 1 });
  expect(doc?.actorId).toBe(admin);
  expect(doc?.action).toBe(`art-item: ${itemId} ${result.artId}`);
  expect(await stores.art.get(guildId, result.artId)).not.toBeNull();

  expect(await art.clearArt(guildId, admin, { kind: 'item', id: itemId })).toBe(true);
  expect(await art.clearArt(guildId, admin, { kind: 'item', id: itemId })).toBe(false);
  expect((await stores.settings.get(guildId)).settings.catalog.items.find((i) => i.id === itemId)?.art).toBeUndefined();
});

it('draws the pull picture from the guild art, and reports a failure instead of throwing', async () => {
  const { stores } = stack(database.db);
  const failures: unknown[] = [];
  const service = new ArtService(stores, { onRenderError: (error) => failures.push(error) });
  const catalog = defaultCatalog();
  const item = catalog.items[0];
  if (!item) throw new Error('empty catalog');
  const pulled = {
    itemId: item.id,
    tierId: item.tierId,
    pityCount: 1,
    featured: false,
    topTier: false,
    duplicate: false,
    shardsGained: 0,
    guaranteeSlot: false,
  };
  const image = await service.pullImage(snowflake(), catalog, [pulled], 'ja');
  expect(image?.data.subarray(0, 3).toString('hex')).toBe('ffd8ff');
  expect(failures).toEqual([]);
  const missing = await service.pullImage(snowflake(), catalog, [{ ...pulled, itemId: 'gone' }], 'en');
  expect(missing).toBeNull();
  expect(failures).toHaveLength(1);
});
