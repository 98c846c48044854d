/**
 * The seam between the ledger and what follows it. The ledger appends events and retries lost
 * races; whoever keeps history and the read model in step with it (the ProjectionWriter) is told
 * about every append and every replayed answer through this interface, and offers the ledger a
 * recent state to start a commit from.
 */
import type { PlayerState } from '../domain/player-state';
import type { LedgerEventDoc } from './collections';

export interface PlayerRef {
  readonly guildId: string;
  readonly userId: string;
}

/** A player's state as of one event of the ledger. */
export interface PlayerHead {
  readonly seq: number;
  readonly state: PlayerState;
  /** Operation key of that event, null before the first. */
  readonly opKey: string | null;
}

export type LedgerStep = 'before-commit' | 'after-commit' | 'after-history' | 'after-snapshot';

/** Test hook to simulate a crash between internal steps; production passes none. */
export interface FaultInjector {
  at(step: LedgerStep, event: Readonly<LedgerEventDoc>): void | Promise<void>;
}

export interface LedgerFollower {
  /**
   * A state the player had at some sequence — possibly behind the ledger, never ahead of it — or
   * null for a player with no known state. Where a commit starts guessing (one read by `_id`).
   */
  recentHead(player: PlayerRef): Promise<PlayerHead | null>;
  /** `event` was just appended; called before the commit returns. */
  afterCommit(event: LedgerEventDoc): Promise<void>;
  /** `event` (an earlier one) is about to be answered again: make sure it is followed. */
  settle(event: LedgerEventDoc): Promise<void>;
}
