/**
 * Checks the whole database against the ledger's invariants and reports every violation:
 *  - each player's events have sequence numbers 1..n and no negative balance;
 *  - currency = opening balance + grants − charges (the sum of the recorded deltas);
 *  - every settled pull or spark (at or before the read model's sequence) has exactly its history
 *    documents, and no history lacks an event;
 *  - pity counters recorded in history replay to the state stored with each event.
 * Used by tests, fault drills and after a restore.
 */
import type { Db } from 'mongodb';
import type { BannerKind } from '../domain/catalog';
import { collections, type HistoryDoc, type LedgerEventDoc } from './collections';
import { historyDocs } from './history-docs';

export interface LedgerAuditReport {
  readonly players: number;
  readonly events: number;
  readonly historyDocs: number;
  readonly problems: string[];
}

export async function auditLedger(db: Db, guildId?: string): Promise<LedgerAuditReport> {
  const c = collections(db);
  const filter = guildId ? { guildId } : {};
  // Read in the order writers write backwards, so a running bot cannot fake a problem: a read model
  // moves only after its history is written, and history only after its ledger event.
  // The read model's sequence marks how far each player's events are settled.
  const settledThrough = new Map<string, number>();
  for (const user of await c.users.find(filter, { projection: { guildId: 1, userId: 1, seq: 1 } }).toArray()) {
    settledThrough.set(`${user.guildId}:${user.userId}`, user.seq);
  }
  const history = await c.history.find(filter).toArray();
  const events = await c.ledger.find(filter).sort({ guildId: 1, userId: 1, seq: 1 }).toArray();
  const problems: string[] = [];
  const historyById = new Map<string, HistoryDoc>(history.map((h) => [h._id, h]));
  const expectedHistory = new Set<string>();

  const byPlayer = new Map<string, LedgerEventDoc[]>();
  for (const event of events) {
    const key = `${event.guildId}:${event.userId}`;
    const list = byPlayer.get(key) ?? [];
    list.push(event);
    byPlayer.set(key, list);
  }

  for (const [player, list] of byPlayer) {
    let currency = list[0]?.opening ?? 0;
    const sinceTop: Record<BannerKind, number> = { standard: 0, limited: 0 };
    list.forEach((event, i) => {
      if (event.seq !== i + 1) problems.push(`${player}: event ${i + 1} has sequence ${event.seq}`);
      currency += event.delta.currency;
      if (currency !== event.state.currency) {
        problems.push(`${player}#${event.seq}: balance ${event.state.currency} but deltas sum to ${currency}`);
      }
      if (event.state.currency < 0) problems.push(`${player}#${event.seq}: negative balance ${event.state.currency}`);
      if (event.kind === 'reset') {
        sinceTop.standard = 0;
        sinceTop.limited = 0;
      }
      const expected = historyDocs(event);
      for (const doc of expected) {
        expectedHistory.add(doc._id);
        const stored = historyById.get(doc._id);
        if (!stored) {
          if (event.seq <= (settledThrough.get(player) ?? 0))
            problems.push(`${player}#${event.seq}: settled but history ${doc._id} is missing`);
          continue;
        }
        if (stored.itemId !== doc.itemId || stored.eventSeq !== event.seq) {
          problems.push(`${player}#${event.seq}: history ${doc._id} does not match its event`);
        }
      }
      if (event.pull) {
        const kind = event.pull.bannerKind;
        for (const item of event.pull.items) {
          if (item.pityCount !== sinceTop[kind] + 1) {
            problems.push(
              `${player}#${event.seq}: pity count ${item.pityCount}, history implies ${sinceTop[kind] + 1}`,
            );
          }
          sinceTop[kind] = item.topTier ? 0 : item.pityCount;
        }
        if (event.state.pity[kind].sinceTop !== sinceTop[kind]) {
          problems.push(
            `${player}#${event.seq}: stored pity ${event.state.pity[kind].sinceTop}, history implies ${sinceTop[kind]}`,
          );
        }
      }
    });
  }
  for (const doc of history) {
    if (!expectedHistory.has(doc._id))
      problems.push(`history ${doc._id} has no ledger event (a record without a charge)`);
  }
  return { players: byPlayer.size, events: events.length, historyDocs: history.length, problems };
}
