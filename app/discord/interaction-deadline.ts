/**
 * Discord accepts the initial response to an interaction only within 3 s of its creation (the
 * creation time is in the interaction's snowflake id). Retrying a rate-limited initial callback
 * past that point can never succeed and only adds invalid requests, which Discord counts toward
 * its IP ban (10,000 per 10 minutes). Follow-ups and edits (15 minutes) are not affected.
 */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;
export const INITIAL_RESPONSE_WINDOW_MS = 3_000;
const CALLBACK_URL = /\/interactions\/(\d{17,20})\/[^/]+\/callback(?:\?|$)/;

export function snowflakeTimestamp(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS);
}

/** True when `url` is an initial interaction callback that could only be retried after its deadline. */
export function callbackRetryIsFutile(url: string, retryAfterMs: number, now: number): boolean {
  const id = CALLBACK_URL.exec(url)?.[1];
  if (id === undefined) return false;
  return now + retryAfterMs > snowflakeTimestamp(id) + INITIAL_RESPONSE_WINDOW_MS;
}
