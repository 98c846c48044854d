/**
 * Moving the bot's database from the local mongod to an external one (Atlas or a replica set)
 * with the dump's plan (app/backup/dump-plan.ts: which collections, in which order) and a
 * streaming copy (scripts/lib/stream-copy.ts), in two phases:
 *
 *  1. `copy`, while the bot runs: every collection of the source streamed into the empty target.
 *     The high-water mark is the time the copy began: every ledger event the copy missed was committed
 *     after it (an event's `at` is taken just before its insert), so later events are found by
 *     `at ≥ mark − HIGH_WATER_MARGIN_MS`. Then, still with the bot running, the whole ledger audit
 *     on the target (the bulk audit): the players it flags — a problem, or a read model not at
 *     the player's last event, as for a player who changed while the copy ran — are kept for phase 2.
 *  2. `final`, with the bot stopped (the only downtime): the ledger and history from the mark on
 *     (every other collection whole: settings, moves, read model and the rest are small or
 *     mutable) streamed into the target (documents already there, same `_id`,
 *     are skipped; the whole collections are replaced), then the bot's own recovery pass on the
 *     target (history and read model rolled forward from the ledger, open moves settled) and the
 *     ledger audit of the delta players only: those flagged by the bulk audit, those with a ledger
 *     or history document in the delta, those the recovery pass wrote an event for, both sides of
 *     every move created, marked or still open since the mark (and, inside the audit, the other
 *     side of every move of an audited player). Only a clean audit with the source's ledger count
 *     lets the operator switch the SSM parameter.
 *
 * Why auditing only the delta players is enough: the audit of a player reads only that player's
 * read model, history and ledger, and the moves they are a side of. A player outside that set
 * passed the bulk audit with a read model exactly at their last event, and has no ledger or
 * history document dated from the mark − margin on, in the source or from the recovery pass. Ledger
 * events and history records are never changed or deleted once written (the delta skips `_id`s
 * the target holds), and a player's read model moves only when one of their events is projected,
 * so the source's read model that replaced the target's is the one the bulk audit saw. Their
 * moves were neither created nor marked since the mark and are decided, so neither they nor the
 * time-dependent check of an undecided escrow changed. Every input of that player's audit is
 * therefore what the bulk audit checked and found clean. Without the bulk audit's list (a state
 * file from before it), the final audit is the whole-database one.
 */
import { BSON, type Db } from 'mongodb';
import { collectionsInDumpOrder } from '../../app/backup/dump-database';
import { createServices } from '../../app/services/create-services';
import { COLLECTIONS, collections } from '../../app/storage/collections';
import { type LedgerAuditReport, auditLedger } from '../../app/storage/ledger-audit';
import { createStores } from '../../app/storage/stores';
import { type CollectionCopyResult, copyCollection } from './stream-copy';

/** How far before the mark the final delta looks (commits in flight while the copy began). */
export const HIGH_WATER_MARGIN_MS = 5 * 60_000;

/** Collections copied from the mark on in the final delta (append-only, the big ones). */
export const DELTA_COLLECTIONS: readonly string[] = [COLLECTIONS.ledger, COLLECTIONS.history];

export interface BulkAudit {
  readonly durationMs: number;
  readonly players: number;
  readonly problems: number;
  /** Players (`guildId:userId`) with a problem or a read model not at their last event. */
  readonly flaggedPlayers: string[];
}

export interface CopyResult {
  /** ISO time the bulk copy began: the final delta's high-water mark. */
  readonly highWaterMark: string;
  readonly documents: number;
  readonly ledgerEvents: number;
  /** The bulk copy alone (without its audit). */
  readonly durationMs: number;
  readonly bulkAudit: BulkAudit;
}

export interface FinalResult {
  /** The downtime: from the start of the final delta to a clean audit. */
  readonly durationMs: number;
  readonly deltaMs: number;
  readonly recoveryMs: number;
  readonly auditMs: number;
  readonly deltaDocuments: number;
  readonly sourceLedgerEvents: number;
  readonly targetLedgerEvents: number;
  /** Players audited in the downtime: the delta players, or all of them without a bulk audit. */
  readonly auditedPlayers: 'all' | number;
  readonly audit: LedgerAuditReport;
  /** True when the target may be switched to: no audit problem, every ledger event copied. */
  readonly ready: boolean;
}

export interface CopyOptions {
  /** A line per copied collection (and per 100,000 documents of a big one). */
  readonly log?: (line: string) => void;
  readonly batchDocuments?: number;
  /** Awaited after each collection is copied (tests write there as a running bot would). */
  readonly afterCollection?: (name: string) => Promise<void>;
}

export interface FinalOptions extends CopyOptions {
  /**
   * The bulk audit's flagged players (CopyResult.bulkAudit). Given, only the delta players are
   * audited in the downtime; absent, the whole database is.
   */
  readonly flaggedPlayers?: readonly string[];
}

/** The collections to copy, in the dump's order (app/backup/dump-plan.ts), excluded ones left out. */
function progressLogger(log: ((line: string) => void) | undefined): (p: CollectionCopyResult) => void {
  let next = 100_000;
  return (p) => {
    if (p.read < next) return;
    next = (Math.floor(p.read / 100_000) + 1) * 100_000;
    log?.(`  ${p.name}: ${p.read} read, ${p.inserted} written (${(p.durationMs / 1000).toFixed(1)} s)`);
  };
}

function logCollection(log: ((line: string) => void) | undefined, p: CollectionCopyResult): void {
  log?.(
    `  ${p.name}: ${p.read} documents, ${p.inserted} written, ${p.skipped} already there (${(p.durationMs / 1000).toFixed(1)} s, indexes ${(p.indexMs / 1000).toFixed(1)} s)`,
  );
}

/**
 * Phase 1 (bot running): every collection of the source streamed into the empty target
 * (scripts/lib/stream-copy.ts), in the dump's order so that a copy taken while the bot runs is
 * recoverable like a dump.
 */
export async function copyAll(
  source: Db,
  target: Db,
  now: () => Date = () => new Date(),
  options: CopyOptions = {},
): Promise<CopyResult> {
  const started = Date.now();
  const mark = new Date(now().getTime());
  const names = await collectionsInDumpOrder(source);
  const held: string[] = [];
  for (const info of await target.listCollections({}, { nameOnly: true }).toArray()) {
    if (
      !info.name.startsWith('system.') &&
      (await target.collection(info.name).findOne({}, { projection: { _id: 1 } }))
    )
      held.push(info.name);
  }
  if (held.length > 0) throw new Error(`target database ${target.databaseName} is not empty (${held.join(', ')})`);
  let documents = 0;
  let ledgerEvents = 0;
  for (const name of names) {
    const copied = await copyCollection(source, target, name, {
      ...(options.batchDocuments ? { batchDocuments: options.batchDocuments } : {}),
      onBatch: progressLogger(options.log),
    });
    logCollection(options.log, copied);
    documents += copied.read;
    if (name === COLLECTIONS.ledger) ledgerEvents = copied.read;
    await options.afterCollection?.(name);
  }
  const durationMs = Date.now() - started;
  // The bulk audit, bot still running: the target is written by nobody now.
  const auditStarted = Date.now();
  const audit = await auditLedger(target);
  const flaggedPlayers = [...new Set([...audit.flaggedPlayers, ...audit.unsettledPlayers])].sort();
  options.log?.(
    `  bulk audit: ${audit.players} players, ${audit.problems.length} problems, ${flaggedPlayers.length} players flagged for the final audit`,
  );
  return {
    highWaterMark: mark.toISOString(),
    documents,
    ledgerEvents,
    durationMs,
    bulkAudit: {
      durationMs: Date.now() - auditStarted,
      players: audit.players,
      problems: audit.problems.length,
      flaggedPlayers,
    },
  };
}

/** `guildId:userId` of a raw ledger or history document. */
function rawPlayerKey(raw: Uint8Array): string {
  const doc = BSON.deserialize(raw);
  return `${String(doc.guildId)}:${String(doc.userId)}`;
}

/**
 * The players whose audit inputs may differ from what the bulk audit saw (see the top comment),
 * besides those of the delta documents: the recovery pass's events, and both sides of the moves
 * created or marked since `since` or still undecided.
 */
async function playersTouchedOnTarget(target: Db, since: Date, recoveryStarted: Date): Promise<Set<string>> {
  const c = collections(target);
  const touched = new Set<string>();
  // The ledger's `by_time` index on a mongod; only the recovery pass's events are this recent.
  for (const e of await c.ledger
    .find({ at: { $gte: recoveryStarted } }, { projection: { guildId: 1, userId: 1 } })
    .toArray())
    touched.add(`${e.guildId}:${e.userId}`);
  const decided = new Set<string>();
  const recentMarks = new Set<string>();
  for (const m of await c.moveMarks.find({}).toArray()) {
    if (m.mark === 'outcome') decided.add(`${m.guildId}:${m.moveId}`);
    if (m.at >= since) recentMarks.add(`${m.guildId}:${m.moveId}`);
  }
  for (const move of await c.moves.find({}).toArray()) {
    const id = `${move.guildId}:${move._id}`;
    if (move.status === 'open' || move.createdAt >= since || recentMarks.has(id) || !decided.has(id))
      for (const side of move.sides) touched.add(`${move.guildId}:${side.userId}`);
  }
  return touched;
}

/** Phase 2 (bot stopped): the delta since the mark, recovery and the audit on the target. */
export async function copyFinalDelta(
  source: Db,
  target: Db,
  highWaterMark: string,
  marginMs: number = HIGH_WATER_MARGIN_MS,
  options: FinalOptions = {},
): Promise<FinalResult> {
  const mark = new Date(highWaterMark);
  if (Number.isNaN(mark.getTime())) throw new Error(`not a high-water mark: ${highWaterMark}`);
  const since = new Date(mark.getTime() - marginMs);
  const started = Date.now();
  let deltaDocuments = 0;
  const deltaPlayers = new Set<string>(options.flaggedPlayers ?? []);
  const collect = (raw: Uint8Array) => deltaPlayers.add(rawPlayerKey(raw));
  for (const name of await collectionsInDumpOrder(source)) {
    const delta = DELTA_COLLECTIONS.includes(name);
    const copied = await copyCollection(source, target, name, {
      // Ledger: the `by_time` index on a mongod. History has no index on `at` alone: a scan.
      ...(delta ? { filter: { at: { $gte: since } }, onDocument: collect } : { replace: true }),
      ...(options.batchDocuments ? { batchDocuments: options.batchDocuments } : {}),
      onBatch: progressLogger(options.log),
    });
    logCollection(options.log, copied);
    deltaDocuments += copied.read;
  }
  const deltaMs = Date.now() - started;
  const recoveryStarted = Date.now();
  await createServices(createStores(target)).upkeep.recover();
  const recoveryMs = Date.now() - recoveryStarted;
  const auditStarted = Date.now();
  let audit: LedgerAuditReport;
  if (options.flaggedPlayers) {
    for (const key of await playersTouchedOnTarget(target, since, new Date(recoveryStarted))) deltaPlayers.add(key);
    audit = await auditLedger(target, undefined, { players: deltaPlayers });
  } else {
    audit = await auditLedger(target);
  }
  const sourceLedgerEvents = await source.collection(COLLECTIONS.ledger).countDocuments({});
  const targetLedgerEvents = await target.collection(COLLECTIONS.ledger).countDocuments({});
  const auditMs = Date.now() - auditStarted;
  options.log?.(
    `  final audit: ${options.flaggedPlayers ? `${deltaPlayers.size} delta players` : 'every player'} → ${audit.players} audited, ${audit.problems.length} problems`,
  );
  return {
    durationMs: Date.now() - started,
    deltaMs,
    recoveryMs,
    auditMs,
    deltaDocuments,
    sourceLedgerEvents,
    targetLedgerEvents,
    auditedPlayers: options.flaggedPlayers ? audit.players : 'all',
    audit,
    ready: audit.problems.length === 0 && targetLedgerEvents === sourceLedgerEvents,
  };
}
