/** The process's upkeep of the projections: recovery passes and the flush before closing the database. */
import type { ProjectionWriter } from '../storage/projection-writer';

export class UpkeepService {
  constructor(
    private readonly projections: ProjectionWriter,
    /** Finishes half-done gifts and trades (TradeService.recover). */
    private readonly moves?: { recover(): Promise<number> },
  ) {}

  /** Settles what a crash or a lost batch left unfinished; returns the events and moves settled. */
  async recover(): Promise<number> {
    const settled = await this.projections.recover();
    return settled + ((await this.moves?.recover()) ?? 0);
  }

  /** Writes the history and read-model changes still queued. Call before closing the database. */
  async flush(): Promise<void> {
    await this.projections.flush();
  }
}
