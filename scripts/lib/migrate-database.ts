/**
 * Moving the bot's database from the local mongod to an external one (Atlas or a replica set)
 * with the project's own dump and restore (app/backup/), in two phases:
 *
 *  1. `copy`, while the bot runs: a whole dump of the source restored into the empty target. The
 *     high-water mark is the time the dump began: every ledger event not in the dump was committed
 *     after it (an event's `at` is taken just before its insert), so later events are found by
 *     `at ≥ mark − HIGH_WATER_MARGIN_MS`.
 *  2. `final`, with the bot stopped (the only downtime): a partial dump of the source (the ledger
 *     and history from the mark on; every other collection whole: settings, moves, read model and
 *     the rest are small or mutable) appended to the target (documents already there, same `_id`,
 *     are skipped; the whole collections are replaced), then the bot's own recovery pass on the
 *     target (history and read model rolled forward from the ledger, open moves settled) and the
 *     whole-database ledger audit. Only a clean audit with the source's ledger count lets the
 *     operator switch the SSM parameter.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from 'mongodb';
import { dumpDatabase } from '../../app/backup/dump-database';
import { restoreDatabase } from '../../app/backup/restore-database';
import { createServices } from '../../app/services/create-services';
import { COLLECTIONS } from '../../app/storage/collections';
import { type LedgerAuditReport, auditLedger } from '../../app/storage/ledger-audit';
import { createStores } from '../../app/storage/stores';

/** How far before the mark the final delta looks (commits in flight while the dump began). */
export const HIGH_WATER_MARGIN_MS = 5 * 60_000;

/** Collections copied from the mark on in the final delta (append-only, the big ones). */
export const DELTA_COLLECTIONS: readonly string[] = [COLLECTIONS.ledger, COLLECTIONS.history];

export interface CopyResult {
  /** ISO time the bulk dump began: the final delta's high-water mark. */
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

function workDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'gacha-migrate-'));
}

/** Phase 1 (bot running): the whole source into the empty target. */
export async function copyAll(source: Db, target: Db, now: () => Date = () => new Date()): Promise<CopyResult> {
  const started = Date.now();
  const mark = new Date(now().getTime());
  const dir = workDir();
  try {
    const file = path.join(dir, 'bulk.gbdump.gz');
    const { manifest } = await dumpDatabase(source, file, now);
    await restoreDatabase(target, file, { dryRun: false, force: false });
    const ledger = manifest.collections.find((c) => c.name === COLLECTIONS.ledger)?.count ?? 0;
    return {
      highWaterMark: mark.toISOString(),
      documents: manifest.collections.reduce((n, c) => n + c.count, 0),
      ledgerEvents: ledger,
      durationMs: Date.now() - started,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Phase 2 (bot stopped): the delta since the mark, recovery and the audit on the target. */
export async function copyFinalDelta(
  source: Db,
  target: Db,
  highWaterMark: string,
  marginMs: number = HIGH_WATER_MARGIN_MS,
): Promise<FinalResult> {
  const mark = new Date(highWaterMark);
  if (Number.isNaN(mark.getTime())) throw new Error(`not a high-water mark: ${highWaterMark}`);
  const since = new Date(mark.getTime() - marginMs);
  const started = Date.now();
  const dir = workDir();
  let deltaDocuments = 0;
  try {
    const file = path.join(dir, 'delta.gbdump.gz');
    const { manifest } = await dumpDatabase(source, file, undefined, {
      filter: (name) => (DELTA_COLLECTIONS.includes(name) ? { at: { $gte: since } } : {}),
    });
    deltaDocuments = manifest.collections.reduce((n, c) => n + c.count, 0);
    await restoreDatabase(target, file, {
      dryRun: false,
      force: true,
      mode: 'append',
      replaceCollections: manifest.collections.map((c) => c.name).filter((n) => !DELTA_COLLECTIONS.includes(n)),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
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
