/** The process's upkeep of the projections: recovery passes and the flush before closing the database. */
import type { ProjectionWriter } from '../storage/projection-writer';

export class UpkeepService {
  constructor(private readonly projections: ProjectionWriter) {}

  /** Settles what a crash or a lost batch left unfinished; returns the events settled. */
  async recover(): Promise<number> {
    return this.projections.recover();
  }

  /** Writes the history and read-model changes still queued. Call before closing the database. */
  async flush(): Promise<void> {
    await this.projections.flush();
  }
}
