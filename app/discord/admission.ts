/**
 * Admission of interactions that do work (slash commands and buttons): at most `maxConcurrent`
 * run at once and at most `maxQueued` wait for a slot, so a burst cannot grow memory without
 * bound. Beyond the line an interaction is refused at once (the caller answers "busy").
 */
export class Admission {
  private running = 0;
  /** Interactions admitted that have no slot yet (including their deferral). */
  private pending = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly maxConcurrent: number,
    private readonly maxQueued: number,
  ) {}

  /** Every slot taken and the line full: refuse now instead of queueing. */
  get full(): boolean {
    return this.running >= this.maxConcurrent && this.pending >= this.maxQueued;
  }

  /**
   * Takes a slot, waiting in line when none is free; `beforeWaiting` runs first in that case (the
   * caller acknowledges the interaction so Discord's 3 s deadline holds however long the wait).
   * Resolves with the function that frees the slot (call it once, when the work is answered).
   */
  async enter(beforeWaiting: () => Promise<unknown>): Promise<() => void> {
    this.pending++;
    try {
      if (this.running >= this.maxConcurrent) await beforeWaiting();
      if (this.running < this.maxConcurrent) this.running++;
      else await new Promise<void>((resolve) => this.waiting.push(resolve));
    } finally {
      this.pending--;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  /** Hands the slot to the next in line, or frees it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
