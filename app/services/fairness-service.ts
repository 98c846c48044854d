/**
 * Verifiable pulls as use cases (docs/fairness.md): a player's seeds, the inputs and check of one
 * pull, the history export that `npx gacha-verify` recomputes, and the public audit of a banner.
 * No command can read or choose an unrevealed server seed: this service hands out commitments, and
 * seeds only once the seed store has revealed them.
 */
import { findBanner } from '../domain/catalog';
import { type BannerAudit, auditBanner } from '../domain/fairness/audit';
import { isClientSeed } from '../domain/fairness/seeds';
import type { LedgerEventDoc } from '../storage/collections';
import type { AuditPeriod } from '../storage/audit-query';
import type { FairnessStore } from '../storage/fairness-store';
import type { PlayerRef } from '../storage/ledger-follower';
import type { PublicEpoch } from '../storage/seed-store';
import type { SettingsStore } from '../storage/settings-store';
import {
  FAIRNESS_EXPORT_FORMAT,
  FAIRNESS_EXPORT_VERSION,
  type FairnessExport,
  fairnessExportSchema,
} from '../verifier/export-format';
import { type VerificationReport, verifyParsedExport } from '../verifier/verify-export';
import { nodeHmacSha256 } from '../verifier/node-hmac';

export interface FairnessStores {
  readonly fairness: FairnessStore;
  readonly settings: SettingsStore;
}

export interface SeedInfo {
  readonly epoch: number;
  readonly commitment: string;
  readonly startedAt: Date;
  readonly nextCommitment: string;
  readonly clientSeed: string;
  /** The newest revealed epoch, if any. */
  readonly lastRevealed: PublicEpoch | null;
}

export type SetClientSeedResult = { readonly ok: true; readonly clientSeed: string } | { readonly ok: false };

export interface PullCheck {
  readonly seq: number;
  readonly at: Date;
  readonly bannerId: string;
  readonly count: number;
  readonly epoch: PublicEpoch | null;
  readonly epochNumber: number;
  readonly commitment: string;
  readonly clientSeed: string;
  readonly rateRevision: number;
  readonly rateHash: string;
  readonly report: VerificationReport;
}

export type AuditPeriodName = 'day' | 'week' | 'month' | 'all';

export interface AuditAnswer {
  readonly audit: BannerAudit;
  readonly period: AuditPeriodName;
  readonly settingsRevision: number;
}

/** Newest ledger events an export carries (a file of a few MB at most; the verifier allows a window). */
export const EXPORT_MAX_EVENTS = 20_000;
const PERIOD_MS: Record<Exclude<AuditPeriodName, 'all'>, number> = {
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
};

/**
 * Where an audit period starts: the last 24 hours exactly (the audit journal holds them); a week or
 * a month from the start of the UTC day it would begin in, so that every day before today is a
 * whole day read from its rollup, never a partial one grouped from history (audit-query.ts).
 */
export function auditPeriodStart(period: Exclude<AuditPeriodName, 'all'>, now: Date): Date {
  const start = now.getTime() - PERIOD_MS[period];
  if (period === 'day') return new Date(start);
  return new Date(Math.floor(start / 86_400_000) * 86_400_000);
}

type OtherKind = Exclude<FairnessExport['events'][number]['kind'], 'pull'>;

function otherKind(event: LedgerEventDoc): OtherKind {
  // A pull recorded before verifiable draws has no inputs to recompute.
  return event.kind === 'pull' ? 'pull-unverifiable' : event.kind;
}

/** One ledger event as the export lists it. */
function exportEvent(event: LedgerEventDoc): FairnessExport['events'][number] {
  const at = event.at.toISOString();
  if (event.kind === 'pull' && event.pull && event.fairness) {
    const f = event.fairness;
    return {
      kind: 'pull',
      seq: event.seq,
      at,
      bannerId: event.pull.bannerId,
      count: event.pull.count === 10 ? 10 : 1,
      epoch: f.epoch,
      clientSeed: f.clientSeed,
      rateRevision: f.rateRevision,
      rateHash: f.rateHash,
      pityBefore: { sinceTop: f.pityBefore.sinceTop, featuredGuaranteed: f.pityBefore.featuredGuaranteed },
      items: event.pull.items.map((i) => ({
        itemId: i.itemId,
        tierId: i.tierId,
        pityCount: i.pityCount,
        featured: i.featured,
        guaranteeSlot: i.guaranteeSlot,
      })),
    };
  }
  return { kind: otherKind(event), seq: event.seq, at };
}

export class FairnessService {
  constructor(
    private readonly stores: FairnessStores,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async seedInfo(player: PlayerRef): Promise<SeedInfo> {
    const [epoch, clientSeed] = await Promise.all([
      this.stores.fairness.activeEpoch(player.guildId),
      this.stores.fairness.clientSeed(player),
    ]);
    const recent = await this.stores.fairness.epochs(player.guildId, Math.max(0, epoch.epoch - 1_001));
    const lastRevealed = [...recent].reverse().find((e) => e.serverSeed !== null) ?? null;
    return {
      epoch: epoch.epoch,
      commitment: epoch.commitment,
      startedAt: epoch.startedAt,
      nextCommitment: epoch.nextCommitment,
      clientSeed,
      lastRevealed,
    };
  }

  /** Sets the player's client seed for their next pulls; refuses anything but 1–64 printable ASCII characters. */
  async setClientSeed(player: PlayerRef, clientSeed: string): Promise<SetClientSeedResult> {
    if (clientSeed.length === 0 || !isClientSeed(clientSeed)) return { ok: false };
    await this.stores.fairness.setClientSeed(player, clientSeed);
    return { ok: true, clientSeed };
  }

  /**
   * A player's history in the export format, newest `maxEvents` ledger events: their pulls with
   * inputs, the epochs they drew from (seeds only once revealed) and the rate tables they used.
   */
  async exportHistory(player: PlayerRef, maxEvents = EXPORT_MAX_EVENTS): Promise<FairnessExport> {
    const events = await this.stores.fairness.playerEvents(player, maxEvents);
    return this.buildExport(player, events);
  }

  private async buildExport(player: PlayerRef, events: readonly LedgerEventDoc[]): Promise<FairnessExport> {
    const fair = events.flatMap((e) => (e.fairness ? [e.fairness] : []));
    const epochNumbers = fair.map((f) => f.epoch);
    const minEpoch = epochNumbers.length > 0 ? Math.min(...epochNumbers) : 0;
    const wantedEpochs = new Set(epochNumbers);
    const [epochs, tables] = await Promise.all([
      wantedEpochs.size > 0
        ? this.stores.fairness.epochs(player.guildId, minEpoch, 100_000)
        : Promise.resolve([] as PublicEpoch[]),
      this.stores.fairness.rateTablesFor(
        player.guildId,
        fair.map((f) => ({ revision: f.rateRevision, hash: f.rateHash })),
      ),
    ]);
    const data: FairnessExport = {
      format: FAIRNESS_EXPORT_FORMAT,
      version: FAIRNESS_EXPORT_VERSION,
      guildId: player.guildId,
      userId: player.userId,
      exportedAt: this.now().toISOString(),
      epochs: epochs
        .filter((e) => wantedEpochs.has(e.epoch))
        .map((e) => ({
          epoch: e.epoch,
          commitment: e.commitment,
          serverSeed: e.serverSeed,
          startedAt: e.startedAt.toISOString(),
          revealedAt: e.revealedAt ? e.revealedAt.toISOString() : null,
        })),
      rateRevisions: tables.map((t) => ({ revision: t.revision, hash: t.hash, catalog: t.catalog })),
      events: events.map(exportEvent),
    };
    // What the bot hands out is what the verifier reads: a schema failure here is a bug, not the player's.
    return fairnessExportSchema.parse(data);
  }

  /** The inputs of one of the player's pulls (default: the newest) and whether it verifies. */
  async checkPull(player: PlayerRef, seq?: number): Promise<PullCheck | null> {
    const event = await this.stores.fairness.pullEvent(player, seq);
    if (!event?.pull || !event.fairness) return null;
    const data = await this.buildExport(player, [event]);
    const epoch = data.epochs.find((e) => e.epoch === event.fairness?.epoch);
    return {
      seq: event.seq,
      at: event.at,
      bannerId: event.pull.bannerId,
      count: event.pull.count,
      epoch: epoch
        ? {
            epoch: epoch.epoch,
            commitment: epoch.commitment,
            startedAt: new Date(epoch.startedAt),
            serverSeed: epoch.serverSeed,
            revealedAt: epoch.revealedAt === null ? null : new Date(epoch.revealedAt),
          }
        : null,
      epochNumber: event.fairness.epoch,
      commitment: event.fairness.commitment,
      clientSeed: event.fairness.clientSeed,
      rateRevision: event.fairness.rateRevision,
      rateHash: event.fairness.rateHash,
      report: verifyParsedExport(data, { hmac: nodeHmacSha256 }),
    };
  }

  /** The public audit of a banner (default: the standard one) over a period, against the current rates. */
  async audit(guildId: string, bannerId: string | undefined, period: AuditPeriodName): Promise<AuditAnswer> {
    const { settings, revision } = await this.stores.settings.get(guildId);
    const banner = bannerId
      ? findBanner(settings.catalog, bannerId)
      : (settings.catalog.banners.find((b) => b.kind === 'standard') ?? findBanner(settings.catalog, ''));
    const now = this.now();
    const range: AuditPeriod = period === 'all' ? { to: now } : { from: auditPeriodStart(period, now), to: now };
    const cells = await this.stores.fairness.auditCells(guildId, banner.id, range);
    return { audit: auditBanner(settings.catalog, banner.id, cells), period, settingsRevision: revision };
  }
}
