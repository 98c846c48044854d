/**
 * The fairness export (`/history export`): everything a player needs to recompute their pulls with
 * no access to the bot — the ledger events in sequence order with each pull's inputs and results,
 * the epochs' commitments and (once revealed) server seeds, and the rate-table revisions the pulls
 * name, each with its hash. Documented in docs/fairness.md, "Export format".
 */
import { z } from 'zod';

export const FAIRNESS_EXPORT_FORMAT = 'gacha-bot.fairness-export';
export const FAIRNESS_EXPORT_VERSION = 1;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits');
const timestamp = z.iso.datetime({ offset: true });
const discordId = z.string().min(1).max(64);
const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const exportedEpochSchema = z
  .object({
    epoch: z.number().int().min(0),
    /** SHA-256 of the server seed, published before the epoch started. */
    commitment: hex64,
    /** The server seed, null until it is revealed. */
    serverSeed: hex64.nullable(),
    startedAt: timestamp,
    /** When the seed became public (null while unrevealed); pulls must be committed before it. */
    revealedAt: timestamp.nullable(),
  })
  .strict();

export const exportedRateRevisionSchema = z
  .object({
    revision: z.number().int().min(0),
    /** SHA-256 of the catalog's canonical JSON (docs/fairness.md, "Rate-table hash"). */
    hash: hex64,
    catalog: z.unknown(),
  })
  .strict();

export const exportedItemSchema = z
  .object({
    itemId: z.string().min(1).max(64),
    tierId: z.string().min(1).max(64),
    pityCount: z.number().int().min(1),
    featured: z.boolean(),
    guaranteeSlot: z.boolean(),
  })
  .strict();

export const exportedPullSchema = z
  .object({
    kind: z.literal('pull'),
    seq,
    at: timestamp,
    bannerId: z.string().min(1).max(64),
    count: z.union([z.literal(1), z.literal(10)]),
    epoch: z.number().int().min(0),
    clientSeed: z.string().max(64),
    rateRevision: z.number().int().min(0),
    rateHash: hex64,
    /** Pity of the banner's kind before this pull. */
    pityBefore: z.object({ sinceTop: z.number().int().min(0), featuredGuaranteed: z.boolean() }).strict(),
    items: z.array(exportedItemSchema).min(1).max(10),
  })
  .strict();

/**
 * Ledger events that draw nothing; listed so that the sequence has no gaps. `pull-unverifiable` is
 * a pull committed before draws were verifiable (it carries no inputs; the pity chain restarts
 * after it, like after a `reset`).
 */
export const exportedOtherEventSchema = z
  .object({
    kind: z.enum([
      'daily',
      'spark',
      'grant',
      'reset',
      'exchange',
      'gift-out',
      'gift-in',
      'trade-out',
      'trade-in',
      'reversal-out',
      'reversal-in',
      'move-refund',
      'pull-unverifiable',
    ]),
    seq,
    at: timestamp,
  })
  .strict();

export const fairnessExportSchema = z
  .object({
    format: z.literal(FAIRNESS_EXPORT_FORMAT),
    version: z.literal(FAIRNESS_EXPORT_VERSION),
    guildId: discordId,
    userId: discordId,
    exportedAt: timestamp,
    epochs: z.array(exportedEpochSchema).max(100_000),
    rateRevisions: z.array(exportedRateRevisionSchema).max(10_000),
    events: z.array(z.discriminatedUnion('kind', [exportedPullSchema, exportedOtherEventSchema])).max(1_000_000),
  })
  .strict();

export type FairnessExport = z.infer<typeof fairnessExportSchema>;
export type ExportedEpoch = z.infer<typeof exportedEpochSchema>;
export type ExportedRateRevision = z.infer<typeof exportedRateRevisionSchema>;
export type ExportedPull = z.infer<typeof exportedPullSchema>;
export type ExportedItem = z.infer<typeof exportedItemSchema>;
