/**
 * The logical dump file: a gzip stream of framed BSON. Documents are stored as the exact bytes the
 * server returned, so every BSON type round-trips unchanged; a manifest at the very end holds per
 * collection the document count and a SHA-256 over those bytes. A dump without its manifest
 * (truncated), with a broken gzip stream (CRC) or whose content does not match the manifest
 * (corrupted) is rejected before anything is restored.
 *
 *   "GBDUMP/1\n"  then frames: kind (1 byte: C collection, D document, M manifest),
 *                 length (uint32 LE), BSON payload
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { BSON, type Document } from 'mongodb';

export const DUMP_MAGIC = Buffer.from('GBDUMP/1\n', 'ascii');
export const DUMP_FORMAT_VERSION = 1;
const MAX_FRAME_BYTES = 48 * 1024 * 1024; // MongoDB's documents are ≤ 16 MB

export interface CollectionSpec {
  readonly name: string;
  /** Index specifications as listIndexes returned them (the `_id_` index included). */
  readonly indexes: readonly Document[];
}

export interface CollectionManifest {
  readonly name: string;
  readonly count: number;
  readonly sha256: string;
}

export interface DumpManifest {
  readonly format: number;
  readonly database: string;
  readonly createdAt: Date;
  readonly collections: readonly CollectionManifest[];
}

export class DumpError extends Error {
  override readonly name = 'DumpError';
}

/** Checksum over a collection's documents, in dump order. */
export class CollectionDigest {
  private readonly hash: Hash = createHash('sha256');
  count = 0;
  add(raw: Uint8Array): void {
    this.hash.update(raw);
    this.count += 1;
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

function frame(kind: 'C' | 'D' | 'M', payload: Uint8Array): Buffer {
  const header = Buffer.alloc(5);
  header.write(kind, 0, 'ascii');
  header.writeUInt32LE(payload.length, 1);
  return Buffer.concat([header, payload]);
}

/** Writes a dump file; `close()` appends the manifest built from what was written. */
export class DumpWriter {
  private readonly gzip = createGzip({ level: 6 });
  private readonly done: Promise<void>;
  private readonly manifest: CollectionManifest[] = [];
  private current: { name: string; digest: CollectionDigest } | undefined;

  constructor(
    path: string,
    private readonly database: string,
  ) {
    const out = createWriteStream(path, { mode: 0o600 });
    this.gzip.pipe(out);
    this.done = finished(out);
    this.gzip.write(DUMP_MAGIC);
  }

  private async write(chunk: Buffer): Promise<void> {
    if (!this.gzip.write(chunk)) await new Promise<void>((resolve) => this.gzip.once('drain', resolve));
  }

  async beginCollection(spec: CollectionSpec): Promise<void> {
    this.endCollection();
    this.current = { name: spec.name, digest: new CollectionDigest() };
    await this.write(frame('C', BSON.serialize({ name: spec.name, indexes: spec.indexes })));
  }

  async document(raw: Uint8Array): Promise<void> {
    if (!this.current) throw new DumpError('document written before any collection');
    this.current.digest.add(raw);
    await this.write(frame('D', raw));
  }

  private endCollection(): void {
    if (this.current) {
      this.manifest.push({
        name: this.current.name,
        count: this.current.digest.count,
        sha256: this.current.digest.digest(),
      });
      this.current = undefined;
    }
  }

  async close(createdAt: Date): Promise<DumpManifest> {
    this.endCollection();
    const manifest: DumpManifest = {
      format: DUMP_FORMAT_VERSION,
      database: this.database,
      createdAt,
      collections: this.manifest,
    };
    await this.write(frame('M', BSON.serialize(manifest)));
    this.gzip.end();
    await this.done;
    return manifest;
  }
}

export type DumpEntry =
  | { readonly kind: 'collection'; readonly spec: CollectionSpec }
  | { readonly kind: 'document'; readonly collection: string; readonly raw: Uint8Array };

/**
 * Reads a dump, yielding collections and documents in order, and checks at the end that the
 * content matches the manifest. Consumers must not act on entries until the generator finished
 * without throwing (restore validates in a first full pass).
 */
export async function* readDump(path: string): AsyncGenerator<DumpEntry, DumpManifest> {
  const input = createReadStream(path).pipe(createGunzip());
  let buffer: Buffer = Buffer.alloc(0);
  let magicSeen = false;
  let manifest: DumpManifest | undefined;
  let collection: string | undefined;
  const digests = new Map<string, CollectionDigest>();
  try {
    for await (const chunk of input) {
      buffer = buffer.length === 0 ? (chunk as Buffer) : Buffer.concat([buffer, chunk as Buffer]);
      if (!magicSeen) {
        if (buffer.length < DUMP_MAGIC.length) continue;
        if (!buffer.subarray(0, DUMP_MAGIC.length).equals(DUMP_MAGIC)) {
          throw new DumpError('not a gacha bot dump (bad header)');
        }
        buffer = buffer.subarray(DUMP_MAGIC.length);
        magicSeen = true;
      }
      while (buffer.length >= 5) {
        const kind = String.fromCharCode(buffer[0] ?? 0);
        const length = buffer.readUInt32LE(1);
        if (length > MAX_FRAME_BYTES) throw new DumpError(`corrupted dump: frame of ${length} bytes`);
        if (buffer.length < 5 + length) break;
        const payload = buffer.subarray(5, 5 + length);
        buffer = buffer.subarray(5 + length);
        if (manifest) throw new DumpError('corrupted dump: data after the manifest');
        if (kind === 'C') {
          const spec = parseCollectionSpec(parseBson(payload));
          if (digests.has(spec.name)) throw new DumpError(`corrupted dump: collection ${spec.name} appears twice`);
          collection = spec.name;
          digests.set(spec.name, new CollectionDigest());
          yield { kind: 'collection', spec };
        } else if (kind === 'D') {
          if (collection === undefined) throw new DumpError('corrupted dump: document outside a collection');
          parseBson(payload);
          const raw = Uint8Array.prototype.slice.call(payload);
          digests.get(collection)?.add(raw);
          yield { kind: 'document', collection, raw };
        } else if (kind === 'M') {
          manifest = parseManifest(parseBson(payload));
        } else {
          throw new DumpError(`corrupted dump: unknown frame kind 0x${(buffer[0] ?? 0).toString(16)}`);
        }
      }
    }
  } catch (error) {
    if (error instanceof DumpError) throw error;
    throw new DumpError(`corrupted or truncated dump: ${(error as Error).message}`);
  }
  if (!magicSeen) throw new DumpError('empty or truncated dump (no header)');
  if (buffer.length > 0 || !manifest) throw new DumpError('truncated dump: the manifest is missing');
  verifyAgainstManifest(manifest, digests);
  return manifest;
}

function parseCollectionSpec(doc: Document): CollectionSpec {
  const { name, indexes }: { name?: unknown; indexes?: unknown } = doc;
  if (typeof name !== 'string' || !Array.isArray(indexes) || !indexes.every(isDocument)) {
    throw new DumpError('corrupted dump: bad collection header');
  }
  return { name, indexes };
}

function isDocument(value: unknown): value is Document {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseBson(payload: Buffer): Document {
  try {
    return BSON.deserialize(payload, { promoteValues: false, promoteLongs: false, bsonRegExp: true });
  } catch (error) {
    throw new DumpError(`corrupted dump: invalid BSON (${(error as Error).message})`);
  }
}

function verifyAgainstManifest(manifest: DumpManifest, digests: Map<string, CollectionDigest>): void {
  if (manifest.format !== DUMP_FORMAT_VERSION) {
    throw new DumpError(`unsupported dump format ${manifest.format}`);
  }
  const listed = new Set(manifest.collections.map((c) => c.name));
  for (const name of digests.keys()) {
    if (!listed.has(name)) throw new DumpError(`corrupted dump: ${name} is not in the manifest`);
  }
  for (const entry of manifest.collections) {
    const digest = digests.get(entry.name);
    if (!digest) throw new DumpError(`corrupted dump: ${entry.name} is in the manifest but not in the dump`);
    const count = digest.count;
    const sha = digest.digest();
    if (count !== entry.count || sha !== entry.sha256) {
      throw new DumpError(
        `corrupted dump: ${entry.name} holds ${count} documents (manifest ${entry.count}) with checksum ${sha.slice(0, 12)}… (manifest ${entry.sha256.slice(0, 12)}…)`,
      );
    }
  }
}

/** Reads a whole dump only to validate it; returns its manifest. */
export async function validateDump(path: string): Promise<DumpManifest> {
  const reader = readDump(path);
  for (;;) {
    const next = await reader.next();
    if (next.done) return next.value;
  }
}

/** The manifest as plain values (numbers arrive as Int32/Double wrappers), with its shape checked. */
export function parseManifest(doc: Document): DumpManifest {
  const collections: unknown = doc.collections;
  if (!Array.isArray(collections) || !(doc.createdAt instanceof Date) || typeof doc.database !== 'string') {
    throw new DumpError('corrupted dump: malformed manifest');
  }
  return {
    format: Number(doc.format),
    database: doc.database,
    createdAt: doc.createdAt,
    collections: collections.map((entry: unknown) => {
      const c = entry as Document;
      if (typeof c.name !== 'string' || typeof c.sha256 !== 'string') {
        throw new DumpError('corrupted dump: malformed manifest entry');
      }
      return { name: c.name, count: Number(c.count), sha256: c.sha256 };
    }),
  };
}
