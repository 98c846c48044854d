/**
 * The process's upkeep of the projections: recovery passes (one at a time, in the background), the
 * deadline-bounded flush before closing the database, and the backlog for the lag metric.
 */
import type { Backlog, ProjectionWriter } from '../storage/projection-writer';

export type { Backlog } from '../storage/projection-writer';

export class UpkeepService {
  private recovering: Promise<number> | undefined;

  constructor(
    private readonly projections: ProjectionWriter,
    /** Finishes half-done gifts and trades (TradeService.recover). */
    private readonly moves?: { recover(): Promise<number> },
  ) {}

  /**
   * Settles what a crash or a lost batch left unfinished (projections, then half-done gifts and
   * trades); returns the events and moves settled. A pass asked for while one runs joins it
   * (passes never overlap).
   */
  recover(): Promise<number> {
    this.recovering ??= (async () => {
      const settled = await this.projections.recover();
      return settled + ((await this.moves?.recover()) ?? 0);
    })().finally(() => {
      this.recovering = undefined;
    });
    return this.recovering;
  }

  /** Writes the history and read-model changes still queued (tests, tools). */
  async flush(): Promise<void> {
    await this.projections.flush();
  }

  /**
   * Writes what is still queued for at most `deadlineMs` (shutdown, inside the unit's stop
   * timeout). Returns the events left unwritten: the next recovery pass writes them.
   */
  async flushWithin(deadlineMs: number): Promise<number> {
    const flushed = this.projections.flush();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, deadlineMs);
    });
    await Promise.race([flushed, deadline]);
    clearTimeout(timer);
    return this.projections.backlog().items;
  }

  backlog(): Backlog {
    return this.projections.backlog();
  }
}
