/**
 * Dumps every collection of a database into a dump file, documents in `_id` order as raw BSON.
 *
 * Without transactions (standalone mongod, FerretDB) a dump is not a point-in-time snapshot, so
 * the order is chosen to make it recoverable: derived collections first, the player ledger (the
 * source of truth) last. A restored ledger therefore holds at least every event the restored read
 * model and history reflect, and the bot's start-up recovery rolls the rest forward.
 */
import type { Db, Document } from 'mongodb';
import { COLLECTIONS } from '../storage/collections';
import { type DumpManifest, DumpWriter } from './dump-format';

/** Dump order: derived data first, the ledger last; unknown collections go in the middle. */
export const DUMP_ORDER: readonly string[] = [
  COLLECTIONS.meta,
  COLLECTIONS.settings,
  // After the settings: art is stored before a revision names it, so every art id a dumped
  // revision names is in the dump.
  COLLECTIONS.art,
  COLLECTIONS.users,
  COLLECTIONS.history,
  COLLECTIONS.audit,
  COLLECTIONS.ledger,
];

export function orderCollections(names: readonly string[]): string[] {
  const rank = (name: string): number => {
    const i = DUMP_ORDER.indexOf(name);
    if (i >= 0) return i === DUMP_ORDER.length - 1 ? 1_000 : i;
    return 500;
  };
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export interface DumpResult {
  readonly manifest: DumpManifest;
  readonly durationMs: number;
}

/**
 * A partial dump (the migration's final delta): which collections, and per collection a filter
 * (default: every document). Undefined = the whole database, as the daily backup dumps it.
 */
export interface DumpSelection {
  readonly include?: (name: string) => boolean;
  readonly filter?: (name: string) => Document;
}

export async function dumpDatabase(
  db: Db,
  path: string,
  now: () => Date = () => new Date(),
  selection: DumpSelection = {},
): Promise<DumpResult> {
  const started = Date.now();
  const infos = await db.listCollections({}, { nameOnly: true }).toArray();
  const names = orderCollections(
    infos.map((c) => c.name).filter((n) => !n.startsWith('system.') && (selection.include?.(n) ?? true)),
  );
  const writer = new DumpWriter(path, db.databaseName);
  for (const name of names) {
    const collection = db.collection(name);
    const indexes = (await collection.listIndexes().toArray()) as Document[];
    await writer.beginCollection({ name, indexes });
    const cursor = collection.find(selection.filter?.(name) ?? {}, { raw: true, sort: { _id: 1 }, batchSize: 1_000 });
    for await (const doc of cursor) {
      const raw = doc as unknown;
      if (!(raw instanceof Uint8Array)) throw new Error('the driver did not return raw BSON');
      await writer.document(raw);
    }
  }
  const manifest = await writer.close(now());
  return { manifest, durationMs: Date.now() - started };
}
