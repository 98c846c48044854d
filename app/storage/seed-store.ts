/**
 * Server seeds per guild and epoch (docs/fairness.md, "Seeds and epochs"). Everything here is an
 * insert on a unique `_id` or a read, so processes that rotate at the same moment agree on one
 * seed per epoch: FerretDB's updates are not atomic, its unique indexes are.
 *
 * Documents in `fairness_seeds`:
 *  - seed  `<guild>:<epoch>`       commitment + the seed sealed with AES-256-GCM (never in clear
 *                                  before its reveal); inserted one epoch ahead, so the
 *                                  commitment of epoch e+1 is public for all of epoch e.
 *  - start `<guild>:<epoch>:start` when epoch e began (the first inserter's clock wins).
 * Epoch e is revealed `revealDelayMs` after epoch e+1 started; pulls only ever draw from the newest
 * started epoch, and a process trusts its cache for `cacheTtlMs` (much shorter than the delay), so
 * no pull is committed with a seed that is already public. On reveal the clear seed is written
 * into its document (an idempotent `$set`: every process writes the same value), so dumps taken
 * after the reveal carry it without the sealing key.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import type { Collection, Db } from 'mongodb';
import { toHex } from '../domain/fairness/bytes';
import { SERVER_SEED_BYTES, seedCommitment } from '../domain/fairness/seeds';
import { isDuplicateKeyError } from './mongo-errors';

export const FAIRNESS_SEEDS_COLLECTION = 'fairness_seeds';
/** Environment variable holding the sealing key: 32 bytes, base64 (an SSM SecureString on the host). */
export const SEED_KEY_ENV = 'GACHA_FAIRNESS_SEED_KEY';

interface SealedSeed {
  iv: string;
  tag: string;
  data: string;
}

export interface SeedDoc {
  _id: string;
  kind: 'seed';
  guildId: string;
  epoch: number;
  commitment: string;
  sealed: SealedSeed;
  committedAt: Date;
  /** Written at the reveal; absent before. */
  revealedSeed?: string;
  revealedAt?: Date;
}

export interface EpochStartDoc {
  _id: string;
  kind: 'start';
  guildId: string;
  epoch: number;
  startedAt: Date;
  reason: 'first' | 'time' | 'pulls' | 'restore';
}

type FairnessDoc = SeedDoc | EpochStartDoc;

export const FAIRNESS_RESTORES_COLLECTION = 'fairness_restores';
/** Restored epochs are left behind by at least this many epoch numbers. */
export const RESTORE_EPOCH_GAP = 1_000;

/**
 * Written by a database restore (`markRestoredSeeds`, which needs no sealing key): from then on no
 * epoch below `epoch` of a guild is drawn from — the bot's next `activeEpoch` starts that epoch with
 * a fresh seed. Guilds the dump did not know start at `gap`.
 */
export interface RestoreMarkerDoc {
  _id: 'latest';
  restoredAt: Date;
  gap: number;
  epochs: { guildId: string; epoch: number }[];
}

/**
 * After a restore: the dump cannot know which of its seeds were revealed after it was taken, so no
 * restored epoch may be drawn from again. Records, per guild, an epoch `gap` above the newest the
 * database holds (well above any the lost timeline can have reached); the seed store starts it with
 * a new seed at the guild's next pull (exactly once across processes: a unique start `_id`).
 */
export async function markRestoredSeeds(db: Db, at: Date, gap = RESTORE_EPOCH_GAP): Promise<number> {
  const seeds = await db
    .collection<FairnessDoc>(FAIRNESS_SEEDS_COLLECTION)
    .find({ kind: 'seed' }, { projection: { guildId: 1, epoch: 1 } })
    .toArray();
  const newest = new Map<string, number>();
  for (const s of seeds) newest.set(s.guildId, Math.max(newest.get(s.guildId) ?? -1, s.epoch));
  const epochs = [...newest].map(([guildId, epoch]) => ({ guildId, epoch: epoch + gap }));
  await db
    .collection<RestoreMarkerDoc>(FAIRNESS_RESTORES_COLLECTION)
    .replaceOne({ _id: 'latest' }, { restoredAt: at, gap, epochs }, { upsert: true });
  return epochs.length;
}

/**
 * An unrevealed server seed. Its text never reaches JSON, string conversion or `util.inspect`
 * (loggers, metrics labels, error messages); only `reveal()` hands the hex to the draw.
 */
export class ServerSeedSecret {
  readonly #hex: string;
  constructor(hex: string) {
    this.#hex = hex;
  }
  reveal(): string {
    return this.#hex;
  }
  toJSON(): string {
    return '[unrevealed server seed]';
  }
  toString(): string {
    return '[unrevealed server seed]';
  }
  [inspect.custom](): string {
    return '[unrevealed server seed]';
  }
}

/** AES-256-GCM with the document id as associated data: a sealed seed cannot be moved to another epoch. */
export class SeedSealer {
  readonly #key: Buffer;
  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new RangeError('the seed sealing key is 32 bytes');
    this.#key = Buffer.from(key);
  }

  static fromEnv(env: NodeJS.ProcessEnv): SeedSealer {
    const value = env[SEED_KEY_ENV];
    if (!value) throw new Error(`${SEED_KEY_ENV} is not set`);
    return new SeedSealer(Buffer.from(value, 'base64'));
  }

  seal(id: string, seedHex: string): SealedSeed {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(id, 'utf8'));
    const data = Buffer.concat([cipher.update(Buffer.from(seedHex, 'hex')), cipher.final()]);
    return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  }

  open(id: string, sealed: SealedSeed): string {
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(id, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('hex');
  }
}

export interface RotationPolicy {
  /** Start a new epoch once the current one is this old. */
  readonly maxAgeMs: number;
  /** …or once it holds this many pulls (counted by the caller). */
  readonly maxPulls: number;
  /** Reveal an epoch's seed this long after the next epoch started. */
  readonly revealDelayMs: number;
}

export const DEFAULT_ROTATION: RotationPolicy = {
  maxAgeMs: 24 * 3_600_000,
  maxPulls: 10_000,
  revealDelayMs: 10 * 60_000,
};

/** The epoch pulls draw from now. */
export interface ActiveEpoch {
  readonly guildId: string;
  readonly epoch: number;
  readonly commitment: string;
  readonly startedAt: Date;
  readonly seed: ServerSeedSecret;
  /** Commitment of the next epoch, already fixed. */
  readonly nextCommitment: string;
}

/** Public view of an epoch: the seed only once revealed. */
export interface PublicEpoch {
  readonly epoch: number;
  readonly commitment: string;
  readonly startedAt: Date;
  readonly serverSeed: string | null;
  readonly revealedAt: Date | null;
}

export interface SeedStoreOptions {
  readonly policy?: RotationPolicy;
  readonly now?: () => Date;
  readonly cacheTtlMs?: number;
}

function seedId(guildId: string, epoch: number): string {
  return `${guildId}:${epoch}`;
}

function startId(guildId: string, epoch: number): string {
  return `${guildId}:${epoch}:start`;
}

export class SeedStore {
  private readonly docs: Collection<FairnessDoc>;
  private readonly restores: Collection<RestoreMarkerDoc>;
  private readonly policy: RotationPolicy;
  private readonly now: () => Date;
  private readonly cacheTtlMs: number;
  private readonly cache = new Map<string, { at: number; epoch: ActiveEpoch }>();
  /** Refreshes running, per guild: callers that find the cache stale meanwhile wait for it. */
  private readonly refreshing = new Map<string, Promise<ActiveEpoch>>();

  constructor(
    db: Db,
    private readonly sealer: SeedSealer,
    options: SeedStoreOptions = {},
  ) {
    this.docs = db.collection<FairnessDoc>(FAIRNESS_SEEDS_COLLECTION);
    this.restores = db.collection<RestoreMarkerDoc>(FAIRNESS_RESTORES_COLLECTION);
    this.policy = options.policy ?? DEFAULT_ROTATION;
    this.now = options.now ?? (() => new Date());
    // The refresh counts the epoch's pulls on the ledger (a scan on FerretDB): once a minute per
    // guild, not every 5 s; an epoch may run over its pull bound by what a guild pulls meanwhile.
    this.cacheTtlMs = Math.min(options.cacheTtlMs ?? 60_000, this.policy.revealDelayMs / 4);
  }

  async ensureIndexes(): Promise<void> {
    await this.docs.createIndex({ guildId: 1, kind: 1, epoch: -1 }, { name: 'guild_kind_epoch' }, undefined);
  }

  /**
   * The epoch to draw from, rotating first when the current one is due (by age, or by
   * `pullsInEpoch`: a number the caller knows, or a count of the current epoch's pulls). Concurrent callers agree: each epoch's seed and start
   * are claimed by one insert.
   */
  async activeEpoch(
    guildId: string,
    pullsInEpoch: number | ((epoch: number) => Promise<number>) = 0,
  ): Promise<ActiveEpoch> {
    const cached = this.cache.get(guildId);
    const nowMs = Date.now();
    const known = typeof pullsInEpoch === 'number' ? pullsInEpoch : 0;
    if (cached && nowMs - cached.at < this.cacheTtlMs && known < this.policy.maxPulls) return cached.epoch;
    if (typeof pullsInEpoch === 'number') return this.refresh(guildId, pullsInEpoch, nowMs);
    // One refresh per guild at a time: the count is a scan of the ledger on FerretDB, and every
    // pull of the guild arriving while the cache is stale ran its own, all holding the pool.
    const running = this.refreshing.get(guildId);
    if (running) return running;
    const refresh = this.refresh(guildId, pullsInEpoch, nowMs).finally(() => {
      if (this.refreshing.get(guildId) === refresh) this.refreshing.delete(guildId);
    });
    this.refreshing.set(guildId, refresh);
    return refresh;
  }

  private async refresh(
    guildId: string,
    pullsInEpoch: number | ((epoch: number) => Promise<number>),
    nowMs: number,
  ): Promise<ActiveEpoch> {
    const now = this.now();
    let start = await this.latestStart(guildId);
    const restored = await this.restoreTarget(guildId);
    if (restored !== null && (!start || start.epoch < restored)) {
      start = await this.claimStart(guildId, restored, now, 'restore');
    } else if (!start) {
      start = await this.claimStart(guildId, 0, now, 'first');
    } else {
      const age = now.getTime() - start.startedAt.getTime();
      // Counted only when the cache is refreshed: an epoch may run over its pull bound by what
      // the guild pulls within one cache period.
      const pulls = typeof pullsInEpoch === 'number' ? pullsInEpoch : await pullsInEpoch(start.epoch);
      const reason = age >= this.policy.maxAgeMs ? 'time' : pulls >= this.policy.maxPulls ? 'pulls' : null;
      if (reason) start = await this.claimStart(guildId, start.epoch + 1, now, reason);
    }
    const [current, next] = await Promise.all([
      this.ensureSeed(guildId, start.epoch),
      this.ensureSeed(guildId, start.epoch + 1),
    ]);
    const epoch: ActiveEpoch = {
      guildId,
      epoch: start.epoch,
      commitment: current.commitment,
      startedAt: start.startedAt,
      seed: new ServerSeedSecret(this.sealer.open(current._id, current.sealed)),
      nextCommitment: next.commitment,
    };
    this.cache.set(guildId, { at: nowMs, epoch });
    return epoch;
  }

  /**
   * Epochs of a guild from `fromEpoch` on, newest last, with seeds of revealed epochs (writing the
   * clear seed into the document at its first reveal). The seed of the current epoch and of any
   * epoch still inside its reveal delay is never returned.
   */
  async epochs(guildId: string, fromEpoch = 0, limit = 1_000): Promise<PublicEpoch[]> {
    const now = this.now();
    const [seeds, starts] = await Promise.all([
      this.docs
        .find({ guildId, kind: 'seed', epoch: { $gte: fromEpoch } })
        .sort({ epoch: 1 })
        .limit(limit + 1)
        .toArray(),
      this.docs
        .find({ guildId, kind: 'start', epoch: { $gte: fromEpoch } })
        .sort({ epoch: 1 })
        .limit(limit + 1)
        .toArray(),
    ]);
    const startOf = new Map(starts.map((s) => [s.epoch, s as EpochStartDoc]));
    const startedEpochs = [...startOf.keys()].sort((a, b) => a - b);
    const out: PublicEpoch[] = [];
    for (const doc of seeds) {
      if (doc.kind !== 'seed' || out.length >= limit) continue;
      const start = startOf.get(doc.epoch);
      if (!start) continue; // committed for the future: only its commitment is public (nextCommitment)
      // The next epoch that started (epoch + 1, or the first after a restore's jump).
      const nextEpoch = startedEpochs.find((e) => e > doc.epoch);
      const successor = nextEpoch === undefined ? undefined : startOf.get(nextEpoch);
      const revealAt = successor ? new Date(successor.startedAt.getTime() + this.policy.revealDelayMs) : null;
      let serverSeed: string | null = null;
      if (revealAt && now >= revealAt) {
        serverSeed = doc.revealedSeed ?? this.sealer.open(doc._id, doc.sealed);
        if (doc.revealedSeed === undefined) {
          await this.docs.updateOne({ _id: doc._id }, { $set: { revealedSeed: serverSeed, revealedAt: revealAt } });
        }
      }
      out.push({
        epoch: doc.epoch,
        commitment: doc.commitment,
        startedAt: start.startedAt,
        serverSeed,
        revealedAt: serverSeed === null ? null : revealAt,
      });
    }
    return out;
  }

  /**
   * After a restore: the dump cannot know which seeds were revealed after it was taken, so no
   * restored epoch may be drawn from again. Starts a new epoch with a fresh seed `gap` above the
   * highest epoch the database knows (well above any the lost timeline can have reached); the
   * restored epochs are then revealed after the usual delay.
   */
  async startFreshEpochAfterRestore(guildId: string, gap = 1_000): Promise<number> {
    const newest = await this.docs.findOne({ guildId, kind: 'seed' }, { sort: { epoch: -1 } });
    const epoch = (newest?.epoch ?? -1) + gap;
    await this.claimStart(guildId, epoch, this.now(), 'restore');
    await this.ensureSeed(guildId, epoch + 1);
    this.cache.delete(guildId);
    return epoch;
  }

  /** The epoch a restore asked this guild to start at, if there was a restore. */
  private async restoreTarget(guildId: string): Promise<number | null> {
    const marker = await this.restores.findOne({ _id: 'latest' });
    if (!marker) return null;
    return marker.epochs.find((e) => e.guildId === guildId)?.epoch ?? marker.gap;
  }

  private async latestStart(guildId: string): Promise<EpochStartDoc | null> {
    const doc = await this.docs.findOne({ guildId, kind: 'start' }, { sort: { epoch: -1 } });
    return doc?.kind === 'start' ? doc : null;
  }

  private async claimStart(
    guildId: string,
    epoch: number,
    at: Date,
    reason: EpochStartDoc['reason'],
  ): Promise<EpochStartDoc> {
    // The epoch's seed (and so its commitment) exists before the epoch can start.
    await this.ensureSeed(guildId, epoch);
    const doc: EpochStartDoc = { _id: startId(guildId, epoch), kind: 'start', guildId, epoch, startedAt: at, reason };
    try {
      await this.docs.insertOne(doc);
      return doc;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const winner = await this.docs.findOne({ _id: doc._id });
    if (winner?.kind !== 'start') throw new Error(`epoch start ${doc._id} vanished`);
    return winner;
  }

  private async ensureSeed(guildId: string, epoch: number): Promise<SeedDoc> {
    const id = seedId(guildId, epoch);
    const existing = await this.docs.findOne({ _id: id });
    if (existing?.kind === 'seed') return existing;
    const seedHex = toHex(randomBytes(SERVER_SEED_BYTES));
    const doc: SeedDoc = {
      _id: id,
      kind: 'seed',
      guildId,
      epoch,
      commitment: seedCommitment(seedHex),
      sealed: this.sealer.seal(id, seedHex),
      committedAt: this.now(),
    };
    try {
      await this.docs.insertOne(doc);
      return doc;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const winner = await this.docs.findOne({ _id: id });
    if (winner?.kind !== 'seed') throw new Error(`seed ${id} vanished`);
    return winner;
  }
}
