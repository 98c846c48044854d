/**
 * Catalog changes waiting for the admin who previewed them to confirm: held in memory for 10
 * minutes, at most 200 at once (the oldest is dropped first), each under an unguessable token.
 * A held change records the revision it was previewed against: confirming it after another edit
 * landed is refused (the preview no longer tells the truth).
 */
import { randomBytes } from 'node:crypto';
import type { Catalog } from '../domain/catalog';

const TTL_MS = 10 * 60_000;
const CAPACITY = 200;

export interface HeldChange {
  readonly guildId: string;
  readonly actorId: string;
  /** What the audit records (e.g. `add-item: sword`). */
  readonly action: string;
  /** The settings revision the preview was computed from. */
  readonly baseRevision: number;
  readonly catalog: Catalog;
  /** Live banners whose odds change: recorded in the public changelog when confirmed. */
  readonly announced: readonly { readonly bannerId: string; readonly fields: readonly string[] }[];
}

interface Held extends HeldChange {
  readonly expiresAt: number;
}

export class PendingChanges {
  private readonly held = new Map<string, Held>();

  constructor(private readonly now: () => number = Date.now) {}

  hold(change: HeldChange): string {
    const token = randomBytes(9).toString('base64url');
    this.held.set(token, { ...change, expiresAt: this.now() + TTL_MS });
    if (this.held.size > CAPACITY) {
      const oldest = this.held.keys().next();
      if (!oldest.done) this.held.delete(oldest.value);
    }
    return token;
  }

  /** The held change for this guild and admin, removed from the hold; null if unknown or expired. */
  take(token: string, guildId: string, actorId: string): HeldChange | null {
    const held = this.held.get(token);
    if (!held || held.guildId !== guildId || held.actorId !== actorId) return null;
    this.held.delete(token);
    return held.expiresAt > this.now() ? held : null;
  }
}
