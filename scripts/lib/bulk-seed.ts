/**
 * Seeding many players fast for `bench:migrate`: a few template players are played through the
 * real services (grant and pulls), then every other player gets a copy of a template's ledger
 * events (same guild, its own ids and sequence keys), the history the real `historyDocs` derives
 * from each copied event, and the template's read model — all with insertMany. Each copy is a
 * player the ledger audit checks like any other (balances, owned items, pity, history), and the
 * services go on from its state (the benchmark's late pulls run through them).
 */
import type { Db } from 'mongodb';
import { type LedgerEventDoc, type UserDoc, collections, playerKey } from '../../app/storage/collections';
import { historyDocs } from '../../app/storage/history-docs';

export interface PlayerRef {
  readonly guildId: string;
  readonly userId: string;
}

/** Copies the templates' ledger, history and read model to `players` (each from a template of its guild). */
export async function cloneTemplatePlayers(
  db: Db,
  templates: readonly PlayerRef[],
  players: readonly PlayerRef[],
  newInteractionId: () => string,
  batchPlayers = 2_000,
  /** How long before the template's events the copies' events are dated (history follows them). */
  ageMs = 0,
): Promise<{ events: number; history: number }> {
  const c = collections(db);
  const byGuild = new Map<string, { events: LedgerEventDoc[]; user: UserDoc }[]>();
  for (const t of templates) {
    const events = await c.ledger.find({ guildId: t.guildId, userId: t.userId }).sort({ seq: 1 }).toArray();
    const user = await c.users.findOne({ _id: playerKey(t.guildId, t.userId) });
    if (!user || events.length === 0) throw new Error(`template ${playerKey(t.guildId, t.userId)} has no data`);
    byGuild.set(t.guildId, [...(byGuild.get(t.guildId) ?? []), { events, user }]);
  }
  let events = 0;
  let history = 0;
  for (let i = 0; i < players.length; i += batchPlayers) {
    const ledgerBatch: LedgerEventDoc[] = [];
    const userBatch: UserDoc[] = [];
    players.slice(i, i + batchPlayers).forEach((p, n) => {
      const choices = byGuild.get(p.guildId);
      const template = choices?.[(i + n) % choices.length];
      if (!template) throw new Error(`no template player in guild ${p.guildId}`);
      const key = playerKey(p.guildId, p.userId);
      const copies = template.events.map((e): LedgerEventDoc => {
        const interactionId = e.interactionId === null ? null : newInteractionId();
        const opKey = e.interactionId === null ? e.opKey : e.opKey.split(e.interactionId).join(interactionId ?? '');
        return {
          ...e,
          _id: `${key}:${e.seq}`,
          userId: p.userId,
          interactionId,
          opKey,
          at: new Date(e.at.getTime() - ageMs),
        };
      });
      ledgerBatch.push(...copies);
      // The read model names the event it is settled through by its opKey.
      const settled = copies.find((e) => e.seq === template.user.seq);
      userBatch.push({ ...template.user, _id: key, userId: p.userId, opKey: settled?.opKey ?? template.user.opKey });
    });
    const historyBatch = ledgerBatch.flatMap(historyDocs);
    // The three collections written side by side (one connection each): the server's two cores
    // are busy with two writes instead of one.
    await Promise.all([
      ledgerBatch.length > 0 ? c.ledger.insertMany(ledgerBatch, { ordered: false }) : undefined,
      historyBatch.length > 0 ? c.history.insertMany(historyBatch, { ordered: false }) : undefined,
      userBatch.length > 0 ? c.users.insertMany(userBatch, { ordered: false }) : undefined,
    ]);
    events += ledgerBatch.length;
    history += historyBatch.length;
  }
  return { events, history };
}
