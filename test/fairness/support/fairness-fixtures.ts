/** A catalog with a limited 50/50 banner, fixed seeds, and a simulated player history as an export. */
import type { Catalog } from '../../../app/domain/catalog';
import { defaultCatalog } from '../../../app/domain/default-catalog';
import { toHex, utf8 } from '../../../app/domain/fairness/bytes';
import { VerifiableRng } from '../../../app/domain/fairness/draw-stream';
import { rateTableHash } from '../../../app/domain/fairness/rate-table-hash';
import { seedCommitment } from '../../../app/domain/fairness/seeds';
import { sha256 } from '../../../app/domain/fairness/sha256';
import { initialPlayerState, type PlayerState } from '../../../app/domain/player-state';
import { performPull } from '../../../app/domain/pull-engine';
import { nodeHmacSha256 } from '../../../app/verifier/node-hmac';
import {
  FAIRNESS_EXPORT_FORMAT,
  FAIRNESS_EXPORT_VERSION,
  type FairnessExport,
} from '../../../app/verifier/export-format';

export const GUILD_ID = '123456789012345678';
export const USER_ID = '234567890123456789';

/** A fixed, reproducible server seed per label (tests only; the bot draws seeds from node:crypto). */
export function fixedSeed(label: string): string {
  return toHex(sha256(utf8(label)));
}

export function catalogWithLimitedBanner(): Catalog {
  const catalog = defaultCatalog();
  const ur = catalog.items.filter((i) => i.tierId === 'UR').map((i) => i.id);
  const ssr = catalog.items.filter((i) => i.tierId === 'SSR').map((i) => i.id);
  catalog.banners.push({
    id: 'festival',
    kind: 'limited',
    name: { ja: '祭りガチャ', en: 'Festival' },
    featuredItemIds: [ur[0] ?? '', ssr[0] ?? ''],
    rateUpSharePpm: 500_000,
    pity: { hardPity: 90, softPityStart: 74, softPityStepPpm: 60_000 },
    sparkThreshold: 200,
  });
  return catalog;
}

export interface SimulatedHistory {
  readonly exported: FairnessExport;
  readonly finalState: PlayerState;
}

/**
 * `pulls` pulls (mixed single and 10-pulls on both banners, a daily claim every 25 events) over
 * epochs of `perEpoch` pulls, all revealed except the last when `lastUnrevealed`.
 */
export function simulateHistory(pulls: number, options: { perEpoch?: number; lastUnrevealed?: boolean } = {}) {
  const perEpoch = options.perEpoch ?? 1_000;
  const catalog = catalogWithLimitedBanner();
  const hash = rateTableHash(catalog);
  const start = Date.parse('2026-11-01T00:00:00Z');
  const epochCount = Math.ceil(pulls / perEpoch);
  const epochs = Array.from({ length: epochCount }, (_, epoch) => {
    const seed = fixedSeed(`epoch-${epoch}`);
    const revealed = !(options.lastUnrevealed && epoch === epochCount - 1);
    return {
      epoch,
      commitment: seedCommitment(seed),
      serverSeed: revealed ? seed : null,
      startedAt: new Date(start + epoch * 3_600_000).toISOString(),
      revealedAt: revealed ? new Date(start + (epoch + 1) * 3_600_000 + 600_000).toISOString() : null,
    };
  });
  let state = initialPlayerState(Number.MAX_SAFE_INTEGER);
  const events: FairnessExport['events'] = [];
  let seq = 1;
  for (let n = 0; n < pulls; n++) {
    if (seq % 25 === 0) {
      events.push({ kind: 'daily', seq, at: new Date(start + seq).toISOString() });
      seq++;
    }
    const epoch = Math.floor(n / perEpoch);
    const epochSeed = fixedSeed(`epoch-${epoch}`);
    const bannerId = n % 3 === 0 ? 'festival' : 'standard';
    const count = n % 7 === 0 ? 10 : 1;
    const clientSeed = n < pulls / 2 ? '' : 'my-lucky-seed';
    const at = new Date(start + epoch * 3_600_000 + (n % perEpoch) * 1_000);
    const kind = bannerId === 'festival' ? 'limited' : 'standard';
    const pityBefore = state.pity[kind];
    const rng = new VerifiableRng(
      { serverSeedHex: epochSeed, clientSeed, guildId: GUILD_ID, userId: USER_ID, seq },
      { hmac: nodeHmacSha256 },
    );
    const outcome = performPull(catalog, bannerId, count, state, rng, at);
    state = { ...outcome.state, owned: {} };
    events.push({
      kind: 'pull',
      seq,
      at: at.toISOString(),
      bannerId,
      count,
      epoch,
      clientSeed,
      rateRevision: 1,
      rateHash: hash,
      pityBefore,
      items: outcome.items.map((i) => ({
        itemId: i.itemId,
        tierId: i.tierId,
        pityCount: i.pityCount,
        featured: i.featured,
        guaranteeSlot: i.guaranteeSlot,
      })),
    });
    seq++;
  }
  const exported: FairnessExport = {
    format: FAIRNESS_EXPORT_FORMAT,
    version: FAIRNESS_EXPORT_VERSION,
    guildId: GUILD_ID,
    userId: USER_ID,
    exportedAt: new Date(start + 100 * 86_400_000).toISOString(),
    epochs,
    rateRevisions: [{ revision: 1, hash, catalog: JSON.parse(JSON.stringify(catalog)) as unknown }],
    events,
  };
  return { exported, finalState: state };
}
