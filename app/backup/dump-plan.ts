/**
 * The one list of what the logical dump carries, and in which order: every collection the storage
 * layer names is here, either dumped (before the ledger, the ledger, after the ledger) or excluded
 * with the reason (test/backup/dump-coverage.test.ts fails for a collection missing from it).
 *
 * Without transactions a dump is not a point-in-time snapshot, so the order keeps a dump taken
 * while the bot runs recoverable:
 *  - derived data (read model, history, rollups) and data independent of the ledger come first:
 *    the ledger dumped after them holds at least every event they reflect, and the start-up
 *    recovery rolls the rest forward;
 *  - the ledger (the source of truth) next;
 *  - last, the facts written *before* the ledger events that refer to them (a move and its marks
 *    before its escrows and receipts, an epoch's seed and a rate table before the pulls drawn
 *    from them): dumped after the ledger, every event in the dump finds what it refers to. A fact
 *    whose events did not make it into the dump is finished by recovery (an accepted or decided
 *    move is carried on or undone; an expired one aborted).
 * A collection the plan does not name (e.g. made by hand) is still dumped, just before the ledger.
 */
import { ANNOUNCEMENTS_COLLECTION } from '../storage/announcement-marks';
import { COLLECTIONS } from '../storage/collections';
import { AUDIT_JOURNAL_COLLECTION, AUDIT_ROLLUPS_COLLECTION } from '../storage/audit-query';
import { CLIENT_SEEDS_COLLECTION, RATE_TABLES_COLLECTION } from '../storage/fairness-store';
import { IDENTIFY_LEASES_COLLECTION } from '../storage/identify-leases';
import { FAIRNESS_RESTORES_COLLECTION, FAIRNESS_SEEDS_COLLECTION } from '../storage/seed-store';
import { SOCIAL_COLLECTIONS } from '../storage/social-store';

export type BackupRole =
  | { readonly dump: 'before-ledger' }
  | { readonly dump: 'ledger' }
  | { readonly dump: 'after-ledger'; readonly why: string }
  | { readonly dump: 'excluded'; readonly why: string };

const BEFORE: BackupRole = { dump: 'before-ledger' };

/** Every collection, in dump order. */
export const BACKUP_PLAN: readonly (readonly [string, BackupRole])[] = [
  [COLLECTIONS.meta, BEFORE],
  [COLLECTIONS.settings, BEFORE],
  // After the settings: art is stored before a revision names it, so every art id a dumped
  // revision names is in the dump.
  [COLLECTIONS.art, BEFORE],
  [COLLECTIONS.users, BEFORE],
  [COLLECTIONS.history, BEFORE],
  [AUDIT_ROLLUPS_COLLECTION, BEFORE],
  // Derived like history (written with it): dumped before the ledger, so it reflects no event the dump lacks.
  [AUDIT_JOURNAL_COLLECTION, BEFORE],
  [COLLECTIONS.audit, BEFORE],
  [CLIENT_SEEDS_COLLECTION, BEFORE],
  [SOCIAL_COLLECTIONS.wishes, BEFORE],
  [SOCIAL_COLLECTIONS.prefs, BEFORE],
  [FAIRNESS_RESTORES_COLLECTION, BEFORE],
  // Banner start/end announcement marks: restored with the rest, so a restore does not announce again
  // what was already announced before the dump (later ones may repeat within the 6-hour window).
  [ANNOUNCEMENTS_COLLECTION, BEFORE],
  [COLLECTIONS.ledger, { dump: 'ledger' }],
  [
    COLLECTIONS.moves,
    { dump: 'after-ledger', why: 'a move is created before its escrow and receipt events (move:<id>:out|in)' },
  ],
  [
    COLLECTIONS.moveMarks,
    { dump: 'after-ledger', why: 'acceptances and the outcome are inserted before the events they allow' },
  ],
  [
    FAIRNESS_SEEDS_COLLECTION,
    { dump: 'after-ledger', why: "an epoch's sealed seed is stored before the first pull drawn from it" },
  ],
  [
    RATE_TABLES_COLLECTION,
    { dump: 'after-ledger', why: 'a rate table is recorded before the pull that names its revision' },
  ],
  [
    IDENTIFY_LEASES_COLLECTION,
    {
      dump: 'excluded',
      why: 'gateway IDENTIFY slots of running processes (6.5 s each): stale the moment they are written down',
    },
  ],
];

export function backupRoleOf(name: string): BackupRole | undefined {
  return BACKUP_PLAN.find(([n]) => n === name)?.[1];
}

/** The dumped collections, in order. */
export const DUMP_ORDER: readonly string[] = BACKUP_PLAN.filter(([, role]) => role.dump !== 'excluded').map(
  ([name]) => name,
);

/** Where a collection goes in the dump (unknown ones just before the ledger), or null: not dumped. */
export function dumpRank(name: string): number | null {
  const role = backupRoleOf(name);
  if (role?.dump === 'excluded') return null;
  const i = DUMP_ORDER.indexOf(name);
  return i >= 0 ? i : DUMP_ORDER.indexOf(COLLECTIONS.ledger) - 0.5;
}
