/**
 * Catalog imports waiting for the admin who sent them to confirm: held in memory for 10 minutes,
 * at most 200 at once (the oldest is dropped first), each under an unguessable token.
 */
import { randomBytes } from 'node:crypto';
import type { Catalog } from '../domain/catalog';

const TTL_MS = 10 * 60_000;
const CAPACITY = 200;

interface Held {
  readonly guildId: string;
  readonly actorId: string;
  readonly catalog: Catalog;
  readonly expiresAt: number;
}

export class PendingImports {
  private readonly held = new Map<string, Held>();

  constructor(private readonly now: () => number = Date.now) {}

  hold(guildId: string, actorId: string, catalog: Catalog): string {
    const token = randomBytes(9).toString('base64url');
    this.held.set(token, { guildId, actorId, catalog, expiresAt: this.now() + TTL_MS });
    if (this.held.size > CAPACITY) {
      const oldest = this.held.keys().next();
      if (!oldest.done) this.held.delete(oldest.value);
    }
    return token;
  }

  /** The held catalog for this guild and admin, removed from the hold; null if unknown or expired. */
  take(token: string, guildId: string, actorId: string): Catalog | null {
    const held = this.held.get(token);
    if (!held || held.guildId !== guildId || held.actorId !== actorId) return null;
    this.held.delete(token);
    return held.expiresAt > this.now() ? held.catalog : null;
  }
}
