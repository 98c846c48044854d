/**
 * Recomputes every pull of a fairness export and says exactly where verification fails. Runs the
 * bot's own pull engine over the verifiable stream, so the rules checked are the rules applied.
 * Pure: used by the CLI (`gacha-verify`) and the static page alike.
 */
import { type Catalog, findBanner, parseCatalog } from '../domain/catalog';
import { isGachaError } from '../domain/errors';
import { VerifiableRng } from '../domain/fairness/draw-stream';
import { rateTableHash } from '../domain/fairness/rate-table-hash';
import type { HmacSha256Factory } from '../domain/fairness/sha256';
import { seedCommitment } from '../domain/fairness/seeds';
import { type PityState, initialPlayerState } from '../domain/player-state';
import { performPull } from '../domain/pull-engine';
import { describeIssues } from '../domain/catalog';
import {
  type ExportedEpoch,
  type ExportedItem,
  type ExportedPull,
  type FairnessExport,
  fairnessExportSchema,
} from './export-format';

export type FailureCode =
  | 'invalid-export'
  | 'sequence-gap'
  | 'sequence-duplicate'
  | 'epoch-missing'
  | 'seed-commitment-mismatch'
  | 'pull-after-reveal'
  | 'rate-revision-missing'
  | 'rate-revision-hash-mismatch'
  | 'rate-revision-invalid'
  | 'rate-hash-mismatch'
  | 'pity-chain-broken'
  | 'pull-not-reproducible'
  | 'result-mismatch';

/** Where a check failed: the pull (sequence, slot), the epoch, or the rate revision. */
export interface VerificationFailure {
  readonly code: FailureCode;
  readonly seq?: number;
  readonly slot?: number;
  readonly epoch?: number;
  readonly revision?: number;
  /** Short technical detail in English (ids, expected vs found). */
  readonly detail: string;
}

export interface VerificationReport {
  readonly ok: boolean;
  readonly pulls: number;
  /** Pulls recomputed and matching. */
  readonly verified: number;
  /** Pulls whose epoch's seed is not revealed yet: cannot be checked today. */
  readonly pending: number;
  readonly unrevealedEpochs: readonly number[];
  readonly failures: readonly VerificationFailure[];
}

const MAX_FAILURES = 1_000;

function sameItem(a: ExportedItem, b: ExportedItem): boolean {
  return (
    a.itemId === b.itemId &&
    a.tierId === b.tierId &&
    a.pityCount === b.pityCount &&
    a.featured === b.featured &&
    a.guaranteeSlot === b.guaranteeSlot
  );
}

function describeItem(item: ExportedItem | undefined): string {
  if (!item) return '(none)';
  return `${item.tierId}/${item.itemId} pity ${item.pityCount}${item.featured ? ' featured' : ''}${item.guaranteeSlot ? ' guarantee-slot' : ''}`;
}

function revisionKey(revision: number, hash: string): string {
  return `${revision}:${hash}`;
}

interface RevisionCheck {
  readonly catalog: Catalog | null;
}

export interface VerifyOptions {
  /**
   * The HMAC-SHA-256 primitive of the draw stream: node:crypto's in Node
   * (app/verifier/node-hmac.ts), the plain-TypeScript one in the browser page.
   */
  readonly hmac: HmacSha256Factory;
}

export function verifyExport(input: unknown, options: VerifyOptions): VerificationReport {
  const parsed = fairnessExportSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      pulls: 0,
      verified: 0,
      pending: 0,
      unrevealedEpochs: [],
      failures: [{ code: 'invalid-export', detail: describeIssues(parsed.error).join('; ') }],
    };
  }
  return verifyParsedExport(parsed.data, options);
}

export function verifyParsedExport(data: FairnessExport, options: VerifyOptions): VerificationReport {
  const failures: VerificationFailure[] = [];
  const fail = (failure: VerificationFailure) => {
    if (failures.length < MAX_FAILURES) failures.push(failure);
  };

  const epochs = new Map<number, ExportedEpoch>();
  const badEpochs = new Set<number>();
  for (const epoch of data.epochs) {
    epochs.set(epoch.epoch, epoch);
    if (epoch.serverSeed !== null && seedCommitment(epoch.serverSeed) !== epoch.commitment) {
      badEpochs.add(epoch.epoch);
      fail({
        code: 'seed-commitment-mismatch',
        epoch: epoch.epoch,
        detail: `SHA-256 of the revealed seed is ${seedCommitment(epoch.serverSeed)}, the commitment is ${epoch.commitment}`,
      });
    }
  }

  const revisions = new Map<string, RevisionCheck>();
  for (const revision of data.rateRevisions) {
    let catalog: Catalog | null = null;
    try {
      catalog = parseCatalog(revision.catalog);
    } catch (error) {
      fail({
        code: 'rate-revision-invalid',
        revision: revision.revision,
        detail: isGachaError(error) ? error.message : String(error),
      });
    }
    if (catalog) {
      const hash = rateTableHash(catalog);
      if (hash !== revision.hash) {
        fail({
          code: 'rate-revision-hash-mismatch',
          revision: revision.revision,
          detail: `the catalog hashes to ${hash}, the revision says ${revision.hash}`,
        });
        catalog = null;
      }
    }
    revisions.set(revisionKey(revision.revision, revision.hash), { catalog });
  }

  const events = [...data.events].sort((a, b) => a.seq - b.seq);
  for (let i = 1; i < events.length; i++) {
    const previous = events[i - 1];
    const current = events[i];
    if (!previous || !current) continue;
    if (current.seq === previous.seq) {
      fail({ code: 'sequence-duplicate', seq: current.seq, detail: `two events claim sequence ${current.seq}` });
    } else if (current.seq !== previous.seq + 1) {
      fail({
        code: 'sequence-gap',
        seq: previous.seq + 1,
        detail: `sequences ${previous.seq + 1}–${current.seq - 1} are missing from the export`,
      });
    }
  }

  let pulls = 0;
  let verified = 0;
  let pending = 0;
  const unrevealed = new Set<number>();
  /** Pity after the last recomputed pull of each banner kind, cleared by a reset. */
  const pityAfter = new Map<string, PityState>();
  for (const event of events) {
    if (event.kind === 'reset' || event.kind === 'pull-unverifiable') {
      pityAfter.clear();
      continue;
    }
    if (event.kind !== 'pull') continue;
    pulls++;
    const outcome = checkPull(data, event, epochs, badEpochs, revisions, pityAfter, fail, options);
    // After a pull that could not be recomputed, the next pull of its kind (of any kind, when
    // not even the banner is known) starts a new chain.
    if (outcome.status !== 'verified') {
      if (outcome.kind === null) pityAfter.clear();
      else pityAfter.delete(outcome.kind);
    }
    if (outcome.status === 'verified') verified++;
    if (outcome.status === 'pending') {
      pending++;
      unrevealed.add(event.epoch);
    }
  }
  return {
    ok: failures.length === 0,
    pulls,
    verified,
    pending,
    unrevealedEpochs: [...unrevealed].sort((a, b) => a - b),
    failures,
  };
}

function checkPull(
  data: FairnessExport,
  pull: ExportedPull,
  epochs: ReadonlyMap<number, ExportedEpoch>,
  badEpochs: ReadonlySet<number>,
  revisions: ReadonlyMap<string, RevisionCheck>,
  pityAfter: Map<string, PityState>,
  fail: (failure: VerificationFailure) => void,
  options: VerifyOptions,
): { status: 'verified' | 'pending' | 'failed'; kind: string | null } {
  const { seq } = pull;
  // A revision number may have had two catalogs (revision 0 is the code's default catalog, which a
  // release can change): the pull names its revision and hash, and both must match a table.
  const revision = revisions.get(revisionKey(pull.rateRevision, pull.rateHash));
  if (!revision) {
    const hashes = data.rateRevisions.filter((r) => r.revision === pull.rateRevision).map((r) => r.hash);
    if (hashes.length === 0) {
      fail({
        code: 'rate-revision-missing',
        seq,
        revision: pull.rateRevision,
        detail: 'the export lacks this revision',
      });
    } else {
      fail({
        code: 'rate-hash-mismatch',
        seq,
        revision: pull.rateRevision,
        detail: `the pull names hash ${pull.rateHash}, revision ${pull.rateRevision} has ${hashes.join(', ')}`,
      });
    }
    return { status: 'failed', kind: null };
  }
  const catalog = revision.catalog;
  if (!catalog) return { status: 'failed', kind: null };
  let kind: string;
  try {
    kind = findBanner(catalog, pull.bannerId).kind;
  } catch {
    fail({
      code: 'pull-not-reproducible',
      seq,
      detail: `banner ${pull.bannerId} is not in revision ${pull.rateRevision}`,
    });
    return { status: 'failed', kind: null };
  }
  const expectedPity = pityAfter.get(kind);
  if (
    expectedPity &&
    (expectedPity.sinceTop !== pull.pityBefore.sinceTop ||
      expectedPity.featuredGuaranteed !== pull.pityBefore.featuredGuaranteed)
  ) {
    fail({
      code: 'pity-chain-broken',
      seq,
      detail: `pity before is ${JSON.stringify(pull.pityBefore)}, the previous ${kind} pull left ${JSON.stringify(expectedPity)}`,
    });
  }
  const epoch = epochs.get(pull.epoch);
  if (!epoch) {
    fail({ code: 'epoch-missing', seq, epoch: pull.epoch, detail: 'the export lacks this epoch' });
    return { status: 'failed', kind };
  }
  if (epoch.revealedAt !== null && Date.parse(pull.at) >= Date.parse(epoch.revealedAt)) {
    fail({
      code: 'pull-after-reveal',
      seq,
      epoch: pull.epoch,
      detail: `pulled at ${pull.at}, the seed was revealed at ${epoch.revealedAt}`,
    });
  }
  if (epoch.serverSeed === null) {
    return { status: 'pending', kind };
  }
  if (badEpochs.has(pull.epoch)) {
    return { status: 'failed', kind };
  }
  const base = initialPlayerState(Number.MAX_SAFE_INTEGER);
  const state = { ...base, pity: { ...base.pity, [kind]: pull.pityBefore } };
  const rng = new VerifiableRng(
    {
      serverSeedHex: epoch.serverSeed,
      clientSeed: pull.clientSeed,
      guildId: data.guildId,
      userId: data.userId,
      seq,
    },
    { hmac: options.hmac },
  );
  let recomputed: ExportedItem[];
  try {
    const outcome = performPull(catalog, pull.bannerId, pull.count, state, rng, new Date(pull.at));
    recomputed = outcome.items.map((i) => ({
      itemId: i.itemId,
      tierId: i.tierId,
      pityCount: i.pityCount,
      featured: i.featured,
      guaranteeSlot: i.guaranteeSlot,
    }));
    pityAfter.set(kind, outcome.state.pity[outcome.bannerKind]);
  } catch (error) {
    fail({ code: 'pull-not-reproducible', seq, detail: error instanceof Error ? error.message : String(error) });
    return { status: 'failed', kind };
  }
  const slots = Math.max(recomputed.length, pull.items.length);
  for (let slot = 0; slot < slots; slot++) {
    const expected = recomputed[slot];
    const recorded = pull.items[slot];
    if (!expected || !recorded || !sameItem(expected, recorded)) {
      fail({
        code: 'result-mismatch',
        seq,
        slot,
        detail: `recorded ${describeItem(recorded)}, recomputed ${describeItem(expected)}`,
      });
      return { status: 'failed', kind };
    }
  }
  return { status: 'verified', kind };
}
