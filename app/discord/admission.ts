/**
 * Admission of interactions that do work (slash commands and buttons): at most `maxConcurrent`
 * run at once and at most `maxQueued` wait for a slot, so a burst cannot grow memory without
 * bound. Beyond the line an interaction is refused at once (the caller answers "busy").
 */
export class Admission {
  private running = 0;
  /** Interactions admitted that have no slot yet (including their deferral). */
  private pending = 0;
  private readonly waiting: ((slot: boolean) => void)[] = [];

  constructor(
    private readonly maxConcurrent: number,
    private readonly maxQueued: number,
  ) {}

  /** Slots taken, interactions waiting for one, and those admitted that have no slot yet (diagnostics). */
  stats(): { readonly running: number; readonly waiting: number; readonly pending: number } {
    return { running: this.running, waiting: this.waiting.length, pending: this.pending };
  }

  /** Every slot taken and the line full: refuse now instead of queueing. */
  get full(): boolean {
    return this.running >= this.maxConcurrent && this.pending >= this.maxQueued;
  }

  /**
   * Takes a slot, waiting in line when none is free; `beforeWaiting` runs first in that case (the
   * caller acknowledges the interaction so Discord's 3 s deadline holds however long the wait).
   * Resolves with the function that frees the slot (call it once, when the work is answered), or
   * with null when no slot came within `maxWaitMs`: the place in line is given up (so a slot that
   * is never released — work stuck on the database — cannot keep the line waiting forever).
   */
  enter(beforeWaiting: () => Promise<unknown>): Promise<() => void>;
  enter(beforeWaiting: () => Promise<unknown>, maxWaitMs: number): Promise<(() => void) | null>;
  async enter(beforeWaiting: () => Promise<unknown>, maxWaitMs = Infinity): Promise<(() => void) | null> {
    this.pending++;
    try {
      if (this.running >= this.maxConcurrent) await beforeWaiting();
      if (this.running < this.maxConcurrent) this.running++;
      else if (!(await this.waitForSlot(maxWaitMs))) return null;
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

  /** Waits in line; true when a slot was handed over, false when `maxWaitMs` passed first. */
  private waitForSlot(maxWaitMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const handOver = (slot: boolean): void => {
        if (timer) clearTimeout(timer);
        resolve(slot);
      };
      this.waiting.push(handOver);
      if (Number.isFinite(maxWaitMs)) {
        timer = setTimeout(() => {
          const index = this.waiting.indexOf(handOver);
          if (index >= 0) this.waiting.splice(index, 1);
          resolve(false);
        }, maxWaitMs).unref();
      }
    });
  }

  /** Hands the slot to the next in line, or frees it. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next(true);
    else this.running--;
  }
}
