/**
 * A ledger for seeding drills in bulk: the services decide every change as they do in production
 * (their own `decide`, on the player's real head) and the event document is built by the ledger's
 * own builder (`ledgerEvent`), but the events are staged in memory and written with `flush` in
 * unordered `insertMany` batches instead of one round trip each. Nothing is projected (a process
 * that committed and died before its projection writer ran). For seeding only: one writer, no
 * concurrent commits for one player, no opKey replays.
 */
import type { Db } from 'mongodb';
import { collections, playerKey, type LedgerEventDoc } from '../../app/storage/collections';
import type { LedgerFollower, PlayerHead, PlayerRef } from '../../app/storage/ledger-follower';
import { type CommitResult, type Decide, PlayerLedger, ledgerEvent } from '../../app/storage/player-ledger';

export class BulkLedger extends PlayerLedger {
  private readonly staged: LedgerEventDoc[] = [];
  private readonly known = new Map<string, PlayerHead>();
  private readonly opKeys = new Set<string>();

  constructor(
    private readonly db: Db,
    follower: LedgerFollower,
  ) {
    super(db, follower, { headCacheSize: 0 });
  }

  override async commit(
    player: PlayerRef,
    opKey: string,
    interactionId: string | null,
    startingCurrency: number,
    decide: Decide,
  ): Promise<CommitResult> {
    const key = playerKey(player.guildId, player.userId);
    if (this.opKeys.has(`${key}/${opKey}`)) throw new Error(`bulk ledger: ${opKey} staged twice for ${key}`);
    const head = this.known.get(key) ?? (await this.head(player, startingCurrency));
    const event = ledgerEvent(player, head, opKey, interactionId, new Date(), decide(head.state, head.seq + 1));
    this.known.set(key, { seq: event.seq, state: event.state, opKey });
    this.opKeys.add(`${key}/${opKey}`);
    this.staged.push(event);
    return { event, replayed: false };
  }

  /** Events staged and not yet written. */
  get pending(): number {
    return this.staged.length;
  }

  /** Writes the staged events in unordered batches; any failed insert fails the seed. */
  async flush(batchSize = 500): Promise<number> {
    const ledger = collections(this.db).ledger;
    let written = 0;
    while (this.staged.length > 0) {
      const batch = this.staged.splice(0, batchSize);
      const result = await ledger.insertMany(batch, { ordered: false });
      written += result.insertedCount;
    }
    return written;
  }
}
