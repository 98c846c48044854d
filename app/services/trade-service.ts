/**
 * Gifts, trades and their reversal: the only way items, currency or shards move between players.
 *
 * Without transactions, a move is carried out on insert-once keys (README, "Gifts and trades"):
 *  1. escrow — each giving side's offer leaves it in one ledger event keyed `move:<id>:out`
 *     (refused, typed, if the player lacks any part of it);
 *  2. decision — once every escrow exists, the `<id>:outcome` mark is inserted as settle; a refused
 *     escrow, an expiry or a cancel inserts abort instead; the first insert wins for everyone;
 *  3. settlement — settle: each receiver gets the other side's offer (`move:<id>:in`); abort: each
 *     escrow that exists is given back (`move:<id>:refund`).
 * Every step is idempotent, so any number of concurrent or repeated callers, and the recovery pass
 * after a crash, finish a move the same way: completed, or fully undone.
 *
 * A trade's terms can be changed by either party (a counter) until it is decided: the counter
 * creates the next version (`<thread>:v<k>`, insert-once, so one counter per version wins) and then
 * aborts the version it replaces with the reason `superseded`. Acceptances are per version, so a
 * change resets both. A version k > 1 is carried out only when every earlier version's outcome is a
 * `superseded` abort — outcomes never change once inserted, so at most one version of a trade is
 * ever carried out.
 */
import { GachaError, isGachaError } from '../domain/errors';
import { economyRules } from '../domain/guild-settings';
import {
  type Counterparty,
  EMPTY_OFFER,
  MAX_TRADE_VERSIONS,
  type MoveKind,
  type Offer,
  giveOffer,
  isEmptyOffer,
  receiveOffer,
  refuse,
  validateOffer,
  validateParties,
} from '../domain/moves';
import type { AuditLog } from '../storage/audit-log';
import { moveEventKind, type MoveDoc, type MoveMarkDoc, type MoveStep } from '../storage/collections';
import type { PlayerRef } from '../storage/ledger-follower';
import type { MoveStore } from '../storage/move-store';
import type { PlayerLedger } from '../storage/player-ledger';
import type { SettingsStore } from '../storage/settings-store';
import type { InteractionRef } from './gacha-service';

export type { MoveDoc } from '../storage/collections';

export interface TradeStores {
  readonly ledger: PlayerLedger;
  readonly settings: SettingsStore;
  readonly moves: MoveStore;
  readonly audit: AuditLog;
}

export interface TradeServiceOptions {
  readonly now?: () => Date;
  /** How long a proposal can be accepted. */
  readonly giftTtlMs?: number;
  readonly tradeTtlMs?: number;
}

export type MoveState = 'pending' | 'settled' | 'aborted';

export interface MoveResult {
  readonly move: MoveDoc;
  readonly state: MoveState;
  /** Who has accepted so far (pending moves). */
  readonly acceptedBy: readonly string[];
  /** Why an aborted move was aborted (an error code, 'cancelled:<user>' or 'expired'). */
  readonly reason: string | null;
}

/** The abort reason of a trade version replaced by a counter. */
export const SUPERSEDED = 'superseded';
/** The abort reason of a counter's version whose predecessor was decided first (settled, cancelled, expired). */
const STALE = 'stale';

/** How far before the last recovery checkpoint the pass looks again for escrows (moves in flight). */
const RECOVERY_LOOKBACK_MS = 24 * 60 * 60_000;

export class TradeService {
  private readonly now: () => Date;
  private readonly giftTtlMs: number;
  private readonly tradeTtlMs: number;

  constructor(
    private readonly stores: TradeStores,
    options: TradeServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.giftTtlMs = options.giftTtlMs ?? 5 * 60_000;
    this.tradeTtlMs = options.tradeTtlMs ?? 15 * 60_000;
  }

  /** Proposes a gift; nothing moves until the giver confirms (`accept`). */
  async proposeGift(ref: InteractionRef, to: Counterparty, offer: Offer): Promise<MoveResult> {
    return this.propose(ref, 'gift', to, offer, EMPTY_OFFER);
  }

  /** Proposes a trade: `gives` from the proposer for `wants` from `to`; both must accept. */
  async proposeTrade(ref: InteractionRef, to: Counterparty, gives: Offer, wants: Offer): Promise<MoveResult> {
    return this.propose(ref, 'trade', to, gives, wants);
  }

  private async propose(
    ref: InteractionRef,
    kind: 'gift' | 'trade',
    to: Counterparty,
    gives: Offer,
    wants: Offer,
  ): Promise<MoveResult> {
    const { settings } = await this.stores.settings.get(ref.guildId);
    if (!economyRules(settings).tradingEnabled) throw new GachaError('trading-disabled', 'trading is off');
    const give = validateOffer(settings.catalog, gives);
    const want = validateOffer(settings.catalog, wants);
    validateParties(ref.userId, to, [give, want]);
    // Refuse now what escrow would refuse later (escrow checks again: the state may change).
    const head = await this.stores.ledger.head(ref, settings.startingCurrency);
    giveOffer(head.state, give);
    const createdAt = this.now();
    const { move } = await this.stores.moves.create({
      _id: `${kind}:${ref.interactionId}`,
      guildId: ref.guildId,
      kind,
      initiatorId: ref.userId,
      sides: [
        { userId: ref.userId, gives: give },
        { userId: to.userId, gives: want },
      ],
      acceptors: kind === 'gift' ? [ref.userId] : [ref.userId, to.userId],
      createdAt,
      expiresAt: new Date(createdAt.getTime() + (kind === 'gift' ? this.giftTtlMs : this.tradeTtlMs)),
      status: 'open',
    });
    return this.view(move);
  }

  async get(guildId: string, moveId: string): Promise<MoveResult> {
    return this.view(await this.require(guildId, moveId));
  }

  /**
   * `userId` confirms. When every acceptor has, the move is carried out (by whichever confirmation
   * gets there; the others find it done). Throws the typed refusal when an escrow was refused.
   */
  async accept(guildId: string, moveId: string, userId: string): Promise<MoveResult> {
    const move = await this.require(guildId, moveId);
    if (!move.acceptors.includes(userId)) {
      throw refuse(move.kind === 'gift' && move.sides.some((s) => s.userId === userId) ? 'not-giver' : 'not-party');
    }
    const decided = (await this.stores.moves.outcome(move)) ?? (await this.supersedeIfChanged(move));
    if (decided) {
      if (isSuperseded(decided)) throw refuse('stale');
      return this.finishAndView(move, decided);
    }
    if (this.expired(move)) {
      await this.finish(move, await this.stores.moves.decide(move, 'abort', 'expired'));
      throw refuse('expired');
    }
    await this.stores.moves.accept(move, userId);
    const accepted = await this.stores.moves.acceptedBy(move);
    if (!move.acceptors.every((a) => accepted.has(a))) return this.view(move);
    const result = await this.carryOut(move);
    if (result.state === 'aborted' && result.reason === SUPERSEDED) throw refuse('stale');
    return result;
  }

  /**
   * A party changes their own side of a pending trade: a new version with the other side as it
   * was and no acceptance yet (the version `moveId` is aborted as superseded). Refused, with
   * nothing changed, for anyone but the two parties, a version that is no longer the newest
   * (`stale`), a decided or expired trade, or an offer the party cannot pay.
   */
  async counter(ref: InteractionRef, moveId: string, gives: Offer): Promise<MoveResult> {
    const current = await this.require(ref.guildId, moveId);
    const index = current.sides.findIndex((s) => s.userId === ref.userId);
    if (current.kind !== 'trade' || index < 0) throw refuse('not-party');
    const thread = threadOf(current);
    const version = versionOf(current) + 1;
    let next = await this.stores.moves.get(ref.guildId, versionId(thread, version));
    if (next && next.proposalId !== ref.interactionId) throw refuse('stale');
    if (!next) {
      const earlier = await this.stores.moves.outcome(current);
      if (earlier) throw closedError(earlier);
      if (this.expired(current)) {
        await this.finish(current, await this.stores.moves.decide(current, 'abort', 'expired'));
        throw refuse('expired');
      }
      if (version > MAX_TRADE_VERSIONS) throw refuse('too-many-changes');
      const { settings } = await this.stores.settings.get(ref.guildId);
      if (!economyRules(settings).tradingEnabled) throw new GachaError('trading-disabled', 'trading is off');
      const offer = validateOffer(settings.catalog, gives);
      const sides = current.sides.map((side, i) => (i === index ? { userId: side.userId, gives: offer } : side));
      if (sides.every((side) => isEmptyOffer(side.gives))) throw refuse('empty');
      giveOffer((await this.stores.ledger.head(ref, settings.startingCurrency)).state, offer);
      const createdAt = this.now();
      const created = await this.stores.moves.create({
        _id: versionId(thread, version),
        guildId: ref.guildId,
        kind: 'trade',
        initiatorId: current.initiatorId,
        sides,
        acceptors: current.acceptors,
        createdAt,
        expiresAt: new Date(createdAt.getTime() + this.tradeTtlMs),
        status: 'open',
        thread,
        version,
        proposalId: ref.interactionId,
        changedBy: ref.userId,
      });
      // Another counter of the same version got there first.
      if (created.move.proposalId !== ref.interactionId) throw refuse('stale');
      next = created.move;
    }
    const replaced = await this.stores.moves.decide(current, 'abort', SUPERSEDED);
    await this.finish(current, replaced);
    if (!isSuperseded(replaced)) {
      // The old version was decided first: the new one can never be carried out.
      await this.finish(next, await this.stores.moves.decide(next, 'abort', STALE));
      throw closedError(replaced);
    }
    return this.view(next);
  }

  /** When a newer version of this trade exists, this one is superseded (returns its outcome). */
  private async supersedeIfChanged(move: MoveDoc): Promise<MoveMarkDoc | null> {
    if (move.kind !== 'trade') return null;
    const newer = await this.stores.moves.get(move.guildId, versionId(threadOf(move), versionOf(move) + 1));
    if (!newer) return null;
    const decided = await this.stores.moves.decide(move, 'abort', SUPERSEDED);
    await this.finish(move, decided);
    return decided;
  }

  /**
   * True when every earlier version of the trade is aborted as superseded (an undecided one is
   * superseded now: a newer version exists). Outcomes never change, so once true it stays true.
   */
  private async earlierVersionsSuperseded(move: MoveDoc): Promise<boolean> {
    const thread = threadOf(move);
    for (let k = versionOf(move) - 1; k >= 1; k--) {
      const earlier = await this.stores.moves.get(move.guildId, versionId(thread, k));
      if (!earlier) return false;
      let decided = await this.stores.moves.outcome(earlier);
      if (!decided) {
        decided = await this.stores.moves.decide(earlier, 'abort', SUPERSEDED);
        await this.finish(earlier, decided);
      }
      if (!isSuperseded(decided)) return false;
    }
    return true;
  }

  /**
   * A party cancels: the move (for a trade, its newest version — a cancel from an older message
   * still calls the trade off) is aborted unless it was already decided (then its result stands).
   */
  async cancel(guildId: string, moveId: string, userId: string): Promise<MoveResult> {
    let move = await this.require(guildId, moveId);
    if (!move.sides.some((s) => s.userId === userId)) throw refuse('not-party');
    for (let hops = 0; hops <= MAX_TRADE_VERSIONS; hops++) {
      const newer =
        move.kind === 'trade'
          ? await this.stores.moves.get(guildId, versionId(threadOf(move), versionOf(move) + 1))
          : null;
      if (newer) {
        move = newer;
        continue;
      }
      const decided = await this.stores.moves.decide(move, 'abort', `cancelled:${userId}`);
      await this.finish(move, decided);
      // A counter replaced this version meanwhile: cancel the newer one.
      if (isSuperseded(decided)) continue;
      if (decided.outcome === 'settle') throw new GachaError('move-closed', 'already settled', { outcome: 'settle' });
      return this.view(move, decided);
    }
    throw refuse('stale');
  }

  /**
   * An admin undoes a settled gift or trade: a reversal move (id `reversal:<id>`, so at most one)
   * in which each receiver gives back what they received, carried out by the same protocol. If a
   * receiver no longer has it, the reversal is aborted and nothing moves. Recorded in the audit log.
   */
  async reverse(guildId: string, moveId: string, actorId: string): Promise<MoveResult> {
    const original = await this.require(guildId, moveId);
    if (original.kind === 'reversal') throw new GachaError('invalid-config', 'a reversal cannot be reversed');
    const decided = await this.stores.moves.outcome(original);
    if (decided?.outcome !== 'settle') {
      throw new GachaError('move-closed', 'only a completed move can be reversed', {
        outcome: decided?.outcome ?? 'pending',
      });
    }
    const [a, b] = original.sides;
    if (!a || !b) throw new Error(`move ${moveId} does not have two sides`);
    const createdAt = this.now();
    const { move } = await this.stores.moves.create({
      _id: `reversal:${original._id}`,
      guildId,
      kind: 'reversal',
      initiatorId: actorId,
      sides: [
        { userId: a.userId, gives: b.gives },
        { userId: b.userId, gives: a.gives },
      ],
      acceptors: [],
      createdAt,
      expiresAt: new Date(createdAt.getTime() + RECOVERY_LOOKBACK_MS),
      status: 'open',
      reverses: original._id,
    });
    let result: MoveResult;
    try {
      result = await this.carryOut(move);
    } finally {
      const outcome = await this.stores.moves.outcome(move);
      await this.stores.audit.record({
        id: `reverse-move:${original._id}`,
        guildId,
        actorId,
        action: 'reverse-move',
        target: original._id,
        details: { reversal: move._id, outcome: outcome?.outcome ?? 'pending', reason: outcome?.reason ?? null },
      });
    }
    return result;
  }

  /**
   * Finishes every move a crash may have left half done: decided moves are settled or undone;
   * undecided ones are carried out when every side accepted and they have not expired, aborted
   * when they expired. Looks at open moves and at moves with recent escrows (an escrow can land
   * after another caller finished an abort). Returns how many moves it touched.
   */
  async recover(): Promise<number> {
    const ids = new Map<string, MoveDoc>();
    for (const move of await this.stores.moves.unfinished()) ids.set(move._id, move);
    const since = new Date(this.now().getTime() - RECOVERY_LOOKBACK_MS);
    for (const ref of await this.stores.moves.recentEscrows(since)) {
      if (ids.has(ref.moveId)) continue;
      const move = await this.stores.moves.get(ref.guildId, ref.moveId);
      if (move) ids.set(move._id, move);
    }
    let touched = 0;
    for (const move of ids.values()) {
      const decided = await this.stores.moves.outcome(move);
      if (decided) {
        await this.finish(move, decided);
      } else if (this.expired(move)) {
        await this.finish(move, await this.stores.moves.decide(move, 'abort', 'expired'));
      } else {
        const accepted = await this.stores.moves.acceptedBy(move);
        if (!move.acceptors.every((a) => accepted.has(a))) continue;
        try {
          await this.carryOut(move);
        } catch (error) {
          // A refused escrow aborted the move: it is finished all the same.
          if (!isGachaError(error) || error.code === 'busy') throw error;
        }
      }
      touched++;
    }
    return touched;
  }

  /** Escrow, decision and settlement; rethrows the refusal that aborted it, if this call saw one. */
  private async carryOut(move: MoveDoc): Promise<MoveResult> {
    const earlier = (await this.stores.moves.outcome(move)) ?? (await this.supersedeIfChanged(move));
    if (earlier) return this.finishAndView(move, earlier);
    if (versionOf(move) > 1 && !(await this.earlierVersionsSuperseded(move))) {
      // An earlier version was settled, cancelled or expired before this one replaced it.
      return this.finishAndView(move, await this.stores.moves.decide(move, 'abort', STALE));
    }
    const { settings } = await this.stores.settings.get(move.guildId);
    let refusal: GachaError | null = null;
    for (const side of move.sides) {
      if (isEmptyOffer(side.gives)) continue;
      try {
        await this.step(move, side.userId, 'out', side.gives, settings.startingCurrency);
      } catch (error) {
        if (!isGachaError(error) || error.code === 'busy') throw error;
        refusal = error;
        break;
      }
    }
    const decided = await this.stores.moves.decide(move, refusal ? 'abort' : 'settle', refusal?.code ?? 'escrowed');
    await this.finish(move, decided);
    if (refusal && decided.outcome === 'abort') throw refusal;
    return this.view(move, decided);
  }

  private async finishAndView(move: MoveDoc, decided: MoveMarkDoc): Promise<MoveResult> {
    await this.finish(move, decided);
    return this.view(move, decided);
  }

  /** Settles (every receiver gets the other side's offer) or undoes (every escrow comes back). */
  private async finish(move: MoveDoc, decided: MoveMarkDoc): Promise<void> {
    const { settings } = await this.stores.settings.get(move.guildId);
    const [a, b] = move.sides;
    if (!a || !b) throw new Error(`move ${move._id} does not have two sides`);
    if (decided.outcome === 'settle') {
      for (const [receiver, giver] of [
        [a, b],
        [b, a],
      ] as const) {
        if (isEmptyOffer(giver.gives)) continue;
        await this.step(move, receiver.userId, 'in', giver.gives, settings.startingCurrency, giver.userId);
      }
    } else {
      for (const side of move.sides) {
        if (isEmptyOffer(side.gives)) continue;
        const player = { guildId: move.guildId, userId: side.userId };
        const escrow = await this.stores.ledger.eventFor(player, opKeyOf(move, 'out'));
        if (escrow) await this.step(move, side.userId, 'refund', side.gives, settings.startingCurrency);
      }
    }
    await this.stores.moves.markStatus(move, decided.outcome === 'settle' ? 'settled' : 'aborted');
  }

  /** One side's ledger event of the move, applied at most once (its opKey is the move id and step). */
  private async step(
    move: MoveDoc,
    userId: string,
    step: MoveStep,
    offer: Offer,
    startingCurrency: number,
    counterpartId?: string,
  ): Promise<void> {
    const player: PlayerRef = { guildId: move.guildId, userId };
    const other = counterpartId ?? move.sides.find((s) => s.userId !== userId)?.userId ?? userId;
    await this.stores.ledger.commit(player, opKeyOf(move, step), null, startingCurrency, (state) => ({
      kind: moveEventKind(move.kind, step),
      state: step === 'out' ? giveOffer(state, offer) : receiveOffer(state, offer),
      move: { id: move._id, kind: move.kind, step, counterpartId: other, offer },
    }));
  }

  private async view(move: MoveDoc, known?: MoveMarkDoc): Promise<MoveResult> {
    const decided = known ?? (await this.stores.moves.outcome(move));
    const accepted = decided ? [] : [...(await this.stores.moves.acceptedBy(move))];
    return {
      move,
      state: !decided ? 'pending' : decided.outcome === 'settle' ? 'settled' : 'aborted',
      acceptedBy: accepted,
      reason: decided?.reason ?? null,
    };
  }

  private expired(move: MoveDoc): boolean {
    return this.now().getTime() > move.expiresAt.getTime();
  }

  private async require(guildId: string, moveId: string): Promise<MoveDoc> {
    const move = await this.stores.moves.get(guildId, moveId);
    if (!move) throw refuse('not-party');
    return move;
  }
}

/** The first version's id: what every version of one trade shares. */
export function threadOf(move: Pick<MoveDoc, '_id' | 'thread'>): string {
  return move.thread ?? move._id;
}

export function versionOf(move: Pick<MoveDoc, 'version'>): number {
  return move.version ?? 1;
}

export function versionId(thread: string, version: number): string {
  return version === 1 ? thread : `${thread}:v${version}`;
}

function isSuperseded(decided: MoveMarkDoc): boolean {
  return decided.outcome === 'abort' && decided.reason === SUPERSEDED;
}

/** The refusal for acting on a version that is already decided. */
function closedError(decided: MoveMarkDoc): GachaError {
  if (isSuperseded(decided)) return refuse('stale');
  if (decided.outcome === 'abort' && decided.reason === 'expired') return refuse('expired');
  return new GachaError('move-closed', 'already decided', { outcome: decided.outcome ?? 'abort' });
}

export function opKeyOf(move: Pick<MoveDoc, '_id'>, step: MoveStep): string {
  return `move:${move._id}:${step}`;
}

export type { MoveKind };
