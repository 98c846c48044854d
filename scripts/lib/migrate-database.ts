/**
 * Moving the bot's database from the local mongod to an external one (Atlas or a replica set)
 * with the dump's plan (app/backup/dump-plan.ts: which collections, in which order) and a
 * streaming copy (scripts/lib/stream-copy.ts), in two phases:
 *
 *  1. `copy`, while the bot runs: every collection of the source streamed into the empty target.
 *     The high-water mark is the time the copy began: every ledger event the copy missed was committed
 *     after it (an event's `at` is taken just before its insert), so later events are found by
 *     `at ≥ mark − HIGH_WATER_MARGIN_MS`.
 *  2. `final`, with the bot stopped (the only downtime): the ledger and history from the mark on
 *     (every other collection whole: settings, moves, read model and the rest are small or
 *     mutable) streamed into the target (documents already there, same `_id`,
 *     are skipped; the whole collections are replaced), then the bot's own recovery pass on the
 *     target (history and read model rolled forward from the ledger, open moves settled) and the
 *     whole-database ledger audit. Only a clean audit with the source's ledger count lets the
 *     operator switch the SSM parameter.
 */
import type { Db } from 'mongodb';
import { orderCollections } from '../../app/backup/dump-database';
import { createServices } from '../../app/services/create-services';
import { COLLECTIONS } from '../../app/storage/collections';
import { type LedgerAuditReport, auditLedger } from '../../app/storage/ledger-audit';
import { createStores } from '../../app/storage/stores';
import { type CollectionCopyResult, copyCollection } from './stream-copy';

/** How far before the mark the final delta looks (commits in flight while the copy began). */
export const HIGH_WATER_MARGIN_MS = 5 * 60_000;

/** Collections copied from the mark on in the final delta (append-only, the big ones). */
export const DELTA_COLLECTIONS: readonly string[] = [COLLECTIONS.ledger, COLLECTIONS.history];

export interface CopyResult {
  /** ISO time the bulk copy began: the final delta's high-water mark. */
  readonly highWaterMark: string;
  readonly documents: number;
  readonly ledgerEvents: number;
  readonly durationMs: number;
}

export interface FinalResult {
  /** The downtime: from the start of the final delta to a clean audit. */
  readonly durationMs: number;
  readonly deltaMs: number;
  readonly recoveryMs: number;
  readonly auditMs: number;
  readonly deltaDocuments: number;
  readonly sourceLedgerEvents: number;
  readonly audit: LedgerAuditReport;
  /** True when the target may be switched to: no audit problem, every ledger event copied. */
  readonly ready: boolean;
}

export interface CopyOptions {
  /** A line per copied collection (and per 100,000 documents of a big one). */
  readonly log?: (line: string) => void;
  readonly batchDocuments?: number;
}

/** The collections to copy, in the dump's order (app/backup/dump-plan.ts), excluded ones left out. */
async function collectionsToCopy(source: Db): Promise<string[]> {
  const infos = await source.listCollections({}, { nameOnly: true }).toArray();
  return orderCollections(infos.map((c) => c.name).filter((n) => !n.startsWith('system.')));
}

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
  const names = await collectionsToCopy(source);
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
  }
  return { highWaterMark: mark.toISOString(), documents, ledgerEvents, durationMs: Date.now() - started };
}

/** Phase 2 (bot stopped): the delta since the mark, recovery and the audit on the target. */
export async function copyFinalDelta(
  source: Db,
  target: Db,
  highWaterMark: string,
  marginMs: number = HIGH_WATER_MARGIN_MS,
  options: CopyOptions = {},
): Promise<FinalResult> {
  const mark = new Date(highWaterMark);
  if (Number.isNaN(mark.getTime())) throw new Error(`not a high-water mark: ${highWaterMark}`);
  const since = new Date(mark.getTime() - marginMs);
  const started = Date.now();
  let deltaDocuments = 0;
  for (const name of await collectionsToCopy(source)) {
    const delta = DELTA_COLLECTIONS.includes(name);
    const copied = await copyCollection(source, target, name, {
      ...(delta ? { filter: { at: { $gte: since } } } : { replace: true }),
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
  const audit = await auditLedger(target);
  const sourceLedgerEvents = await source.collection(COLLECTIONS.ledger).countDocuments({});
  const auditMs = Date.now() - auditStarted;
  return {
    durationMs: Date.now() - started,
    deltaMs,
    recoveryMs,
    auditMs,
    deltaDocuments,
    sourceLedgerEvents,
    audit,
    ready: audit.problems.length === 0 && audit.events === sourceLedgerEvents,
  };
}
