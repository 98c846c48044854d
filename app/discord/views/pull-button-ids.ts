/**
 * Custom ids of the pull result's buttons: `gacha:<action>:<owner user id>:<banner id>` (the
 * command routes `gacha:<action>` to the pull subcommand's buttons). The owner's id lets the
 * handler refuse anyone else privately; at most 6 + 5 + 20 + 1 + 64 = 96 characters (Discord
 * allows 100).
 */
export type PullButtonAction = 'p1' | 'p10' | 'odds';

export interface PullButtonId {
  readonly action: PullButtonAction;
  readonly ownerId: string;
  readonly bannerId: string;
}

const SNOWFLAKE = /^\d{17,20}$/;
const BANNER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const PATTERN = /^gacha:(p1|p10|odds):(\d{17,20}):([A-Za-z0-9_-]{1,64})$/;
/** The command whose buttons these are (the custom id's first part). */
export const PULL_BUTTON_COMMAND = 'gacha';

export function pullButtonId(id: PullButtonId): string {
  if (!SNOWFLAKE.test(id.ownerId)) throw new RangeError('owner id must be a Discord snowflake');
  if (!BANNER_ID.test(id.bannerId)) throw new RangeError('banner id must be 1-64 of [A-Za-z0-9_-]');
  return `${PULL_BUTTON_COMMAND}:${id.action}:${id.ownerId}:${id.bannerId}`;
}

/** The button a custom id names, or null when it is not one of these buttons. */
export function parsePullButtonId(customId: string): PullButtonId | null {
  const match = PATTERN.exec(customId);
  if (!match) return null;
  const [, action, ownerId, bannerId] = match;
  if (!action || !ownerId || !bannerId) return null;
  return { action: action as PullButtonAction, ownerId, bannerId };
}
