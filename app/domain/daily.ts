/** Daily currency: one claim per calendar day in the guild's timezone, with a streak bonus. */
import { GachaError } from './errors';
import type { PlayerState } from './player-state';

export interface DailyRules {
  readonly amount: number;
  /** Added per consecutive day after the first, up to `streakCap` days. */
  readonly streakBonus: number;
  readonly streakCap: number;
  readonly timezone: string;
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** Calendar day (YYYY-MM-DD) of `at` in an IANA timezone. */
export function dayKey(at: Date, timezone: string): string {
  let formatter = dayFormatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormatters.set(timezone, formatter);
  }
  return formatter.format(at);
}

export function isValidTimezone(timezone: string): boolean {
  try {
    dayKey(new Date(0), timezone);
    return true;
  } catch {
    return false;
  }
}

export function previousDay(day: string): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

export interface DailyOutcome {
  readonly day: string;
  readonly amount: number;
  readonly streak: number;
  readonly state: PlayerState;
}

export function claimDaily(rules: DailyRules, state: PlayerState, at: Date): DailyOutcome {
  const day = dayKey(at, rules.timezone);
  if (state.daily.lastDay === day) {
    throw new GachaError('daily-already-claimed', `The daily reward for ${day} is already claimed`, { day });
  }
  const streak = state.daily.lastDay === previousDay(day) ? state.daily.streak + 1 : 1;
  const amount = rules.amount + Math.min(streak - 1, rules.streakCap) * rules.streakBonus;
  return {
    day,
    amount,
    streak,
    state: { ...state, currency: state.currency + amount, daily: { lastDay: day, streak } },
  };
}
