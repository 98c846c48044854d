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
 */
import { GachaError, isGachaError } from '../domain/errors';
import { economyRules } from '../domain/guild-settings';
import {
  type Counterparty,
  EMPTY_OFFER,
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
    const decided = await this.stores.moves.outcome(move);
    if (decided) return this.finishAndView(move, decided);
    if (this.expired(move)) {
      await this.finish(move, await this.stores.moves.decide(move, 'abort', 'expired'));
      throw refuse('expired');
    }
    await this.stores.moves.accept(move, userId);
    const accepted = await this.stores.moves.acceptedBy(move);
    if (!move.acceptors.every((a) => accepted.has(a))) return this.view(move);
    return this.carryOut(move);
  }

  /** A party cancels: the move is aborted unless it was already decided (then its result stands). */
  async cancel(guildId: string, moveId: string, userId: string): Promise<MoveResult> {
    const move = await this.require(guildId, moveId);
    if (!move.sides.some((s) => s.userId === userId)) throw refuse('not-party');
    const decided = await this.stores.moves.decide(move, 'abort', `cancelled:${userId}`);
    await this.finish(move, decided);
    if (decided.outcome === 'settle') throw new GachaError('move-closed', 'already settled', { outcome: 'settle' });
    return this.view(move);
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
    const earlier = await this.stores.moves.outcome(move);
    if (earlier) return this.finishAndView(move, earlier);
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

export function opKeyOf(move: Pick<MoveDoc, '_id'>, step: MoveStep): string {
  return `move:${move._id}:${step}`;
}

export type { MoveKind };
