/**
 * What the Discord adapter reports for each handled interaction, and what the metrics and the
 * access log read: defined here so that neither imports the other.
 */
export interface InteractionOutcome {
  /** Command name, or `<command>:button` for a button. */
  readonly command: string;
  /**
   * `ok` answered; `rejected` refused with a reason the player can act on (bad input, cooldown,
   * busy); `error` failed on our side; `ignored` not for us (unknown command, outside a guild);
   * `superseded` another bot process acknowledged it first (Discord 40060 during a release
   * overlap) — that process answers, so this one is neither an answer nor an error.
   */
  readonly outcome: 'ok' | 'rejected' | 'error' | 'ignored' | 'superseded';
  readonly latencyMs: number;
}
