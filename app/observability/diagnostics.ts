/**
 * What the bot is waiting on, for operators and benchmarks: the database connection pool (checked
 * out, and operations waiting for a connection) and the event loop's delay. The snapshot goes into
 * `/healthz`, into the log on SIGUSR2, and into a warning when interactions stop completing (see
 * `StallWatch`), so a stuck process says where it is stuck.
 */
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { MongoClient } from 'mongodb';

export interface PoolStats {
  /** Connections lent to operations now. */
  readonly checkedOut: number;
  /** Operations waiting for a connection now. */
  readonly waiting: number;
}

/** Counts the driver's connection-pool events (CMAP): cheap, no command monitoring. */
export class DatabasePoolGauge {
  private checkedOut = 0;
  private waiting = 0;

  constructor(client: Pick<MongoClient, 'on'>) {
    client.on('connectionCheckOutStarted', () => {
      this.waiting++;
    });
    client.on('connectionCheckedOut', () => {
      this.waiting--;
      this.checkedOut++;
    });
    client.on('connectionCheckOutFailed', () => {
      this.waiting--;
    });
    client.on('connectionCheckedIn', () => {
      this.checkedOut--;
    });
  }

  stats(): PoolStats {
    return { checkedOut: this.checkedOut, waiting: this.waiting };
  }
}

export interface EventLoopStats {
  /** Event-loop delay since the previous reading, in ms (p99 and maximum). */
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** The event loop's delay since the last reading (a blocked loop delays every answer). */
export class EventLoopGauge {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });

  constructor() {
    this.histogram.enable();
  }

  take(): EventLoopStats {
    const stats = {
      p99Ms: Math.round(this.histogram.percentile(99) / 1e6),
      maxMs: Math.round(this.histogram.max / 1e6),
    };
    this.histogram.reset();
    return stats;
  }

  stop(): void {
    this.histogram.disable();
  }
}

export interface SlotStats {
  readonly running: number;
  readonly waiting: number;
}

/**
 * Notices interactions that stop completing: every command slot taken and no interaction answered
 * for `stuckAfterMs`. `check` is called periodically; it returns true once per stall (again only
 * after an answer), so the caller logs one warning with the snapshot.
 */
export class StallWatch {
  private answered = 0;
  private lastAnswered = 0;
  private lastProgressAt: number;
  private warned = false;

  constructor(
    private readonly maxConcurrent: number,
    private readonly stuckAfterMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.lastProgressAt = now();
  }

  /** An interaction was answered (or refused): progress. */
  noteAnswered(): void {
    this.answered++;
  }

  check(slots: SlotStats): boolean {
    const now = this.now();
    if (this.answered !== this.lastAnswered || slots.running < this.maxConcurrent) {
      this.lastAnswered = this.answered;
      this.lastProgressAt = now;
      this.warned = false;
      return false;
    }
    if (this.warned || now - this.lastProgressAt < this.stuckAfterMs) return false;
    this.warned = true;
    return true;
  }
}
