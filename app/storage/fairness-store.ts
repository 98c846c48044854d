/**
 * What verifiable pulls need from the database besides the ledger: the guild's seed epochs
 * (SeedStore), each player's client seed, the rate tables (catalogs) pulls were drawn from, a
 * player's pull events for `/gacha verify` and `/history export`, and the per-epoch pull count that
 * rotates an epoch after N pulls.
 *
 * Documents:
 *  - `fairness_client_seeds` `<guild>:<user>`: the player's chosen client seed (last write wins; it
 *    moves nothing, and each pull records the seed it used).
 *  - `fairness_rate_tables` `<guild>:<revision>:<hash>`: the catalog of a settings revision as
 *    canonical JSON, inserted once by the first pull under it (a unique `_id`), so an export can
 *    give the exact table even after the code's default catalog changed.
 */
import type { Collection, Db } from 'mongodb';
import type { Catalog } from '../domain/catalog';
import { canonicalJson, rateTableHash } from '../domain/fairness/rate-table-hash';
import { DEFAULT_CLIENT_SEED, isClientSeed } from '../domain/fairness/seeds';
import { LruCache } from '../shared/lru-cache';
import type { AuditCell } from '../domain/fairness/audit';
import { type AuditPeriod, auditCells } from './audit-query';
import { collections, type Collections, type LedgerEventDoc } from './collections';
import type { PlayerRef } from './ledger-follower';
import { isDuplicateKeyError } from './mongo-errors';
import { type ActiveEpoch, type PublicEpoch, type RotationPolicy, type SeedSealer, SeedStore } from './seed-store';

export const CLIENT_SEEDS_COLLECTION = 'fairness_client_seeds';
export const RATE_TABLES_COLLECTION = 'fairness_rate_tables';

interface ClientSeedDoc {
  _id: string;
  guildId: string;
  userId: string;
  clientSeed: string;
  setAt: Date;
}

interface RateTableDoc {
  _id: string;
  guildId: string;
  revision: number;
  hash: string;
  /** canonicalJson(catalog): the text the hash is taken over. */
  catalogJson: string;
  recordedAt: Date;
}

export interface RateTable {
  readonly revision: number;
  readonly hash: string;
  /** The catalog as plain JSON (dates as ISO strings), as the export carries it. */
  readonly catalog: unknown;
}

export interface FairnessStoreOptions {
  readonly policy?: RotationPolicy;
  readonly now?: () => Date;
  readonly cacheTtlMs?: number;
}

const hashes = new WeakMap<Catalog, string>();

/** The rate-table hash of a catalog object (computed once per settings snapshot). */
export function catalogHash(catalog: Catalog): string {
  let hash = hashes.get(catalog);
  if (hash === undefined) {
    hash = rateTableHash(catalog);
    hashes.set(catalog, hash);
  }
  return hash;
}

export class FairnessStore {
  private readonly seeds: SeedStore;
  private readonly c: Collections;
  private readonly clientSeeds: Collection<ClientSeedDoc>;
  private readonly rateTables: Collection<RateTableDoc>;
  private readonly now: () => Date;
  /** Rate tables this process already recorded (an insert per revision, not per pull). */
  private readonly recorded = new LruCache<string, true>(1_000);

  constructor(
    private readonly db: Db,
    sealer: SeedSealer,
    options: FairnessStoreOptions = {},
  ) {
    this.seeds = new SeedStore(db, sealer, options);
    this.c = collections(db);
    this.clientSeeds = db.collection<ClientSeedDoc>(CLIENT_SEEDS_COLLECTION);
    this.rateTables = db.collection<RateTableDoc>(RATE_TABLES_COLLECTION);
    this.now = options.now ?? (() => new Date());
  }

  async ensureIndexes(): Promise<void> {
    await this.seeds.ensureIndexes();
    await this.c.ledger.createIndex({ guildId: 1, 'fairness.epoch': 1 }, { name: 'guild_fairness_epoch' }, undefined);
    await this.rateTables.createIndex({ guildId: 1, revision: 1 }, { name: 'guild_revision' }, undefined);
  }

  /** The epoch a pull draws from now; rotates by age, or by the pulls already drawn from it. */
  activeEpoch(guildId: string): Promise<ActiveEpoch> {
    return this.seeds.activeEpoch(guildId, (epoch) => this.pullsInEpoch(guildId, epoch));
  }

  /** Pulls (draws) committed in an epoch of a guild: one count on the ledger's epoch index. */
  private async pullsInEpoch(guildId: string, epoch: number): Promise<number> {
    const [row] = await this.c.ledger
      .aggregate<{ pulls: number }>([
        { $match: { guildId, 'fairness.epoch': epoch } },
        { $group: { _id: null, pulls: { $sum: '$pull.count' } } },
      ])
      .toArray();
    return row?.pulls ?? 0;
  }

  epochs(guildId: string, fromEpoch = 0, limit = 1_000): Promise<PublicEpoch[]> {
    return this.seeds.epochs(guildId, fromEpoch, limit);
  }

  async clientSeed(player: PlayerRef): Promise<string> {
    const doc = await this.clientSeeds.findOne({ _id: `${player.guildId}:${player.userId}` });
    return doc && isClientSeed(doc.clientSeed) ? doc.clientSeed : DEFAULT_CLIENT_SEED;
  }

  async setClientSeed(player: PlayerRef, clientSeed: string): Promise<void> {
    if (!isClientSeed(clientSeed)) throw new RangeError('a client seed is 0–64 printable ASCII characters');
    await this.clientSeeds.updateOne(
      { _id: `${player.guildId}:${player.userId}` },
      { $set: { guildId: player.guildId, userId: player.userId, clientSeed, setAt: this.now() } },
      { upsert: true },
    );
  }

  /** Keeps the catalog a pull is drawn from, once per (guild, revision, hash). */
  async recordRateTable(guildId: string, revision: number, catalog: Catalog): Promise<string> {
    const hash = catalogHash(catalog);
    const id = `${guildId}:${revision}:${hash}`;
    if (this.recorded.get(id)) return hash;
    try {
      await this.rateTables.insertOne({
        _id: id,
        guildId,
        revision,
        hash,
        catalogJson: canonicalJson(catalog),
        recordedAt: this.now(),
      });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    this.recorded.set(id, true);
    return hash;
  }

  /** The recorded tables of these (revision, hash) pairs. */
  async rateTablesFor(guildId: string, wanted: readonly { revision: number; hash: string }[]): Promise<RateTable[]> {
    if (wanted.length === 0) return [];
    const ids = [...new Set(wanted.map((w) => `${guildId}:${w.revision}:${w.hash}`))];
    const docs = await this.rateTables.find({ _id: { $in: ids } }).toArray();
    return docs
      .map((d) => ({ revision: d.revision, hash: d.hash, catalog: JSON.parse(d.catalogJson) as unknown }))
      .sort((a, b) => a.revision - b.revision);
  }

  /** The player's newest `limit` ledger events, in sequence order. */
  async playerEvents(player: PlayerRef, limit: number): Promise<LedgerEventDoc[]> {
    const newest = await this.c.ledger
      .find({ guildId: player.guildId, userId: player.userId })
      .sort({ seq: -1 })
      .limit(limit)
      .toArray();
    return newest.reverse();
  }

  /** The player's pull at `seq`, or their newest pull. */
  async pullEvent(player: PlayerRef, seq?: number): Promise<LedgerEventDoc | null> {
    const filter = { guildId: player.guildId, userId: player.userId, kind: 'pull' as const };
    if (seq !== undefined) return this.c.ledger.findOne({ ...filter, seq });
    return this.c.ledger.findOne(filter, { sort: { seq: -1 } });
  }

  /** A banner's audit cells in a period (daily rollups + the unsettled tail; audit-query.ts). */
  auditCells(guildId: string, bannerId: string, period: AuditPeriod): Promise<AuditCell[]> {
    return auditCells(this.db, guildId, bannerId, period, this.now());
  }
}
