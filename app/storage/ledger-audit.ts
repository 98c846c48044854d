/**
 * Checks the whole database against the ledger's invariants and reports every violation:
 *  - each player's events have sequence numbers 1..n and no negative balance;
 *  - currency = opening balance + grants − charges (the sum of the recorded deltas);
 *  - every settled pull or spark (at or before the read model's sequence) has exactly its history
 *    documents, and no history lacks an event;
 *  - pity counters recorded in history replay to the state stored with each event;
 *  - items owned = items pulled + received − given (gifts, trades, refunds, shop), and shards =
 *    the sum of their recorded deltas, event by event;
 *  - every move (gift, trade, reversal) is whole: settled → every escrow and every receipt exists;
 *    at most one version of a countered trade is settled;
 *    aborted → every escrow was given back and nothing was received; undecided → nothing received
 *    (an escrow without a decision is reported once it is older than `inFlightGraceMs`).
 * Used by tests, fault drills and after a restore (run the trade recovery pass first).
 *
 * `options.players` restricts the audit to those players (keys `guildId:userId`) plus the other
 * side of every move one of them is part of: their read model, history and ledger are read by
 * chunks of up to 500 players of one guild (guildId and userId: the ledger's and history's player
 * indexes), the moves and marks whole. The migration (scripts/lib/migrate-database.ts) audits only the players its final
 * delta touched this way.
 */
import type { Db } from 'mongodb';
import type { BannerKind } from '../domain/catalog';
import { isEmptyOffer } from '../domain/moves';
import {
  collections,
  type HistoryDoc,
  type LedgerEventDoc,
  type MoveDoc,
  type MoveMarkDoc,
  type MoveStep,
} from './collections';
import { historyDocs } from './history-docs';

export interface LedgerAuditReport {
  readonly players: number;
  readonly events: number;
  readonly historyDocs: number;
  readonly problems: string[];
  /** The players (`guildId:userId`) a problem is about (both sides of a move's problem). */
  readonly flaggedPlayers: string[];
  /** Players whose read model is not at their last event (a projection behind, or ahead of a copy). */
  readonly unsettledPlayers: string[];
}

export interface LedgerAuditOptions {
  /** An undecided move's escrow younger than this is in flight, not a problem (default 10 min). */
  readonly inFlightGraceMs?: number;
  readonly now?: Date;
  /** Audit only these players (`guildId:userId`) and the counterparts of their moves. */
  readonly players?: Iterable<string>;
  /** Chunks (up to 500 players of one guild) read at once in a player-restricted audit (default 4). */
  readonly concurrency?: number;
}

const playerKey = (doc: { guildId: string; userId: string }): string => `${doc.guildId}:${doc.userId}`;

function splitKey(key: string): { guildId: string; userId: string } {
  const i = key.indexOf(':');
  if (i <= 0) throw new Error(`not a player key (guildId:userId): ${key}`);
  return { guildId: key.slice(0, i), userId: key.slice(i + 1) };
}

interface AuditInput {
  users: { guildId: string; userId: string; seq: number }[];
  history: HistoryDoc[];
  marks: MoveMarkDoc[];
  moves: MoveDoc[];
  events: LedgerEventDoc[];
}

/** The given players plus every move's other side, read player by player. */
async function readPlayers(db: Db, guildId: string | undefined, options: LedgerAuditOptions): Promise<AuditInput> {
  const c = collections(db);
  const guildFilter = guildId ? { guildId } : {};
  const wanted = new Set<string>();
  for (const key of options.players ?? []) if (!guildId || splitKey(key).guildId === guildId) wanted.add(key);
  // Marks before moves before events, as in the whole audit.
  const allMarks = await c.moveMarks.find(guildFilter).toArray();
  const allMoves = await c.moves.find(guildFilter).toArray();
  const moves = allMoves.filter((m) => m.sides.some((s) => wanted.has(`${m.guildId}:${s.userId}`)));
  for (const m of moves) for (const side of m.sides) wanted.add(`${m.guildId}:${side.userId}`);
  const moveIds = new Set(moves.map((m) => `${m.guildId}:${m._id}`));
  const marks = allMarks.filter((m) => moveIds.has(`${m.guildId}:${m.moveId}`));
  // Chunks of one guild's players: `{ guildId, userId: { $in } }` is served by the ledger's and
  // history's player indexes on a mongod (one scan of the guild's rows per chunk on FerretDB 1.24,
  // which pushes down only the equality).
  const byGuild = new Map<string, string[]>();
  for (const key of [...wanted].sort()) {
    const { guildId: g, userId } = splitKey(key);
    byGuild.set(g, [...(byGuild.get(g) ?? []), userId]);
  }
  const chunks: { guildId: string; userId: { $in: string[] } }[] = [];
  for (const [g, ids] of byGuild)
    for (let i = 0; i < ids.length; i += 500) chunks.push({ guildId: g, userId: { $in: ids.slice(i, i + 500) } });
  const perPlayer: AuditInput[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < chunks.length; i = next++) {
      const chunk = chunks[i];
      if (!chunk) continue;
      // In the order writers write backwards (read model, history, events).
      const users = await c.users.find(chunk, { projection: { guildId: 1, userId: 1, seq: 1 } }).toArray();
      const history = await c.history.find(chunk).toArray();
      const events = await c.ledger.find(chunk).sort({ guildId: 1, userId: 1, seq: 1 }).toArray();
      perPlayer[i] = { users, history, marks: [], moves: [], events };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return {
    users: perPlayer.flatMap((p) => p.users),
    history: perPlayer.flatMap((p) => p.history),
    marks,
    moves,
    events: perPlayer.flatMap((p) => p.events),
  };
}

async function readAll(db: Db, guildId: string | undefined): Promise<AuditInput> {
  const c = collections(db);
  const filter = guildId ? { guildId } : {};
  // Read in the order writers write backwards, so a running bot cannot fake a problem: a read model
  // moves only after its history is written, and history only after its ledger event.
  // The read model's sequence marks how far each player's events are settled.
  const users = await c.users.find(filter, { projection: { guildId: 1, userId: 1, seq: 1 } }).toArray();
  const history = await c.history.find(filter).toArray();
  // Marks before moves before events: a mark or move read here is never newer than the events.
  const marks = await c.moveMarks.find(filter).toArray();
  const moves = await c.moves.find(filter).toArray();
  const events = await c.ledger.find(filter).sort({ guildId: 1, userId: 1, seq: 1 }).toArray();
  return { users, history, marks, moves, events };
}

export async function auditLedger(
  db: Db,
  guildId?: string,
  options: LedgerAuditOptions = {},
): Promise<LedgerAuditReport> {
  const { users, history, marks, moves, events } = options.players
    ? await readPlayers(db, guildId, options)
    : await readAll(db, guildId);
  const settledThrough = new Map<string, number>();
  for (const user of users) settledThrough.set(playerKey(user), user.seq);
  const flagged = new Set<string>();
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
    const before = problems.length;
    let currency = list[0]?.opening ?? 0;
    let shards = 0;
    const owned = new Map<string, number>();
    const sinceTop: Record<BannerKind, number> = { standard: 0, limited: 0 };
    list.forEach((event, i) => {
      if (event.seq !== i + 1) problems.push(`${player}: event ${i + 1} has sequence ${event.seq}`);
      currency += event.delta.currency;
      if (currency !== event.state.currency) {
        problems.push(`${player}#${event.seq}: balance ${event.state.currency} but deltas sum to ${currency}`);
      }
      if (event.state.currency < 0) problems.push(`${player}#${event.seq}: negative balance ${event.state.currency}`);
      shards += event.delta.shards;
      if (shards !== event.state.shards) {
        problems.push(`${player}#${event.seq}: ${event.state.shards} shards but deltas sum to ${shards}`);
      }
      if (event.kind === 'reset') owned.clear();
      for (const [itemId, n] of itemChanges(event)) owned.set(itemId, (owned.get(itemId) ?? 0) + n);
      problems.push(...ownedMismatches(`${player}#${event.seq}`, owned, event.state.owned));
      problems.push(...moveDeltaMismatches(`${player}#${event.seq}`, event));
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
    if (problems.length > before) flagged.add(player);
  }
  for (const doc of history) {
    if (!expectedHistory.has(doc._id)) {
      problems.push(`history ${doc._id} has no ledger event (a record without a charge)`);
      flagged.add(playerKey(doc));
    }
  }
  const moveAudit = auditMoves(moves, marks, events, options);
  problems.push(...moveAudit.problems);
  for (const key of moveAudit.players) flagged.add(key);
  const unsettled = new Set<string>();
  for (const [player, list] of byPlayer) {
    if ((settledThrough.get(player) ?? 0) !== (list[list.length - 1]?.seq ?? 0)) unsettled.add(player);
  }
  for (const player of settledThrough.keys())
    if (!byPlayer.has(player) && settledThrough.get(player)) unsettled.add(player);
  return {
    players: byPlayer.size,
    events: events.length,
    historyDocs: history.length,
    problems,
    flaggedPlayers: [...flagged].sort(),
    unsettledPlayers: [...unsettled].sort(),
  };
}

/** Copies of items an event added (positive) or removed (negative), from its own record. */
function itemChanges(event: LedgerEventDoc): [string, number][] {
  if (event.pull) return event.pull.items.map((i) => [i.itemId, 1]);
  if (event.spark) return [[event.spark.itemId, 1]];
  if (event.exchange) return [[event.exchange.itemId, 1]];
  if (event.move) {
    const sign = event.move.step === 'out' ? -1 : 1;
    return Object.entries(event.move.offer.items).map(([itemId, n]) => [itemId, sign * n]);
  }
  return [];
}

function ownedMismatches(at: string, replayed: Map<string, number>, stored: Readonly<Record<string, number>>) {
  const problems: string[] = [];
  const ids = new Set([...replayed.keys(), ...Object.keys(stored)]);
  for (const id of ids) {
    const want = replayed.get(id) ?? 0;
    const have = stored[id] ?? 0;
    if (want !== have) problems.push(`${at}: owns ${have} of ${id} but pulls and moves give ${want}`);
    if (have < 0) problems.push(`${at}: negative count of ${id}`);
  }
  return problems;
}

/** A move event changes currency and shards by exactly its offer, and a shop purchase by its cost. */
function moveDeltaMismatches(at: string, event: LedgerEventDoc): string[] {
  if (event.exchange && (event.delta.shards !== -event.exchange.cost || event.delta.currency !== 0)) {
    return [`${at}: exchange delta ${JSON.stringify(event.delta)} does not match its cost ${event.exchange.cost}`];
  }
  if (!event.move) return [];
  const sign = event.move.step === 'out' ? -1 : 1;
  const { currency, shards } = event.move.offer;
  if (event.delta.currency !== sign * currency || event.delta.shards !== sign * shards) {
    return [`${at}: ${event.kind} delta ${JSON.stringify(event.delta)} does not match its offer`];
  }
  return [];
}

/** Each move applied whole or not at all, and each receipt equal to the other side's escrow. */
function auditMoves(
  moves: readonly MoveDoc[],
  marks: readonly MoveMarkDoc[],
  events: readonly LedgerEventDoc[],
  options: LedgerAuditOptions,
): { problems: string[]; players: Set<string> } {
  const problems: string[] = [];
  const players = new Set<string>();
  const now = (options.now ?? new Date()).getTime();
  const grace = options.inFlightGraceMs ?? 10 * 60_000;
  const outcomes = new Map(marks.filter((m) => m.mark === 'outcome').map((m) => [m.moveId, m]));
  const steps = new Map<string, LedgerEventDoc>();
  for (const e of events) if (e.move) steps.set(`${e.guildId}:${e.move.id}:${e.userId}:${e.move.step}`, e);
  const knownMoves = new Set(moves.map((m) => `${m.guildId}:${m._id}`));
  for (const e of events) {
    if (e.move && !knownMoves.has(`${e.guildId}:${e.move.id}`)) {
      problems.push(`${e._id}: move ${e.move.id} does not exist`);
      players.add(playerKey(e));
    }
  }
  for (const move of moves) {
    const before = problems.length;
    const flagSides = () => {
      if (problems.length > before) for (const side of move.sides) players.add(`${move.guildId}:${side.userId}`);
    };
    const [a, b] = move.sides;
    if (!a || !b) {
      problems.push(`move ${move._id}: does not have two sides`);
      flagSides();
      continue;
    }
    const outcome = outcomes.get(move._id)?.outcome;
    const has = (userId: string, step: MoveStep) => steps.get(`${move.guildId}:${move._id}:${userId}:${step}`);
    for (const [side, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const gives = !isEmptyOffer(side.gives);
      const out = has(side.userId, 'out');
      const received = has(other.userId, 'in');
      const refund = has(side.userId, 'refund');
      if (out && JSON.stringify(out.move?.offer) !== JSON.stringify(side.gives))
        problems.push(`move ${move._id}: ${side.userId}'s escrow differs from the terms`);
      if (outcome === 'settle') {
        if (gives && !out) problems.push(`move ${move._id}: settled without ${side.userId}'s escrow`);
        if (gives && !received) problems.push(`move ${move._id}: settled but ${other.userId} did not receive`);
        if (refund) problems.push(`move ${move._id}: settled yet ${side.userId} was refunded`);
      } else if (outcome === 'abort') {
        if (received) problems.push(`move ${move._id}: aborted yet ${other.userId} received`);
        if (out && !refund) problems.push(`move ${move._id}: aborted but ${side.userId}'s escrow was not given back`);
        if (refund && !out) problems.push(`move ${move._id}: refund to ${side.userId} without an escrow`);
      } else {
        if (received || refund) problems.push(`move ${move._id}: undecided yet settled or refunded`);
        if (out && now - out.at.getTime() > grace)
          problems.push(`move ${move._id}: half applied (escrow of ${side.userId}, no decision)`);
      }
    }
    flagSides();
  }
  // The versions of one trade (its counters): at most one is ever carried out.
  const settledVersions = new Map<string, string[]>();
  for (const move of moves) {
    if (outcomes.get(move._id)?.outcome !== 'settle') continue;
    const thread = `${move.guildId}:${move.thread ?? move._id}`;
    settledVersions.set(thread, [...(settledVersions.get(thread) ?? []), move._id]);
  }
  const byId = new Map(moves.map((m) => [`${m.guildId}:${m._id}`, m]));
  for (const [thread, ids] of settledVersions) {
    if (ids.length <= 1) continue;
    problems.push(`trade ${ids.join(', ')}: more than one version settled`);
    const guildId = thread.slice(0, thread.indexOf(':'));
    for (const id of ids)
      for (const side of byId.get(`${guildId}:${id}`)?.sides ?? []) players.add(`${guildId}:${side.userId}`);
  }
  return { problems, players };
}
