/**
 * Samples the bot's `/healthz` during a benchmark, so that a phase's figures come with what the bot
 * was waiting on: the projection backlog against its bound (past it, new charges are answered
 * "busy"), the command slots and their waiting line, and the database pool.
 */
import http from 'node:http';

export interface HealthSample {
  readonly at: number;
  readonly backlogItems: number;
  readonly backlogBound: number;
  readonly saturated: boolean;
  readonly running: number;
  readonly waiting: number;
  readonly poolCheckedOut: number;
  readonly poolWaiting: number;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

const num = (value: unknown): number => (typeof value === 'number' ? value : 0);

/** One health sample from the body of `/healthz`; missing parts count as 0. */
export function parseHealth(body: string, at: number): HealthSample {
  const health = record(JSON.parse(body));
  const backlog = record(health.projectionBacklog);
  const waitingOn = record(health.waitingOn);
  const interactions = record(waitingOn.interactions);
  const pool = record(waitingOn.databasePool);
  return {
    at,
    backlogItems: num(backlog.items),
    backlogBound: num(backlog.bound),
    saturated: backlog.saturated === true,
    running: num(interactions.running),
    waiting: num(interactions.waiting),
    poolCheckedOut: num(pool.checkedOut),
    poolWaiting: num(pool.waiting),
  };
}

function get(port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => {
        resolve(body);
      });
    });
    req.on('timeout', () => {
      req.destroy(new Error('health request timed out'));
    });
    req.on('error', reject);
  });
}

export class HealthSampler {
  private readonly samples: HealthSample[] = [];
  /** When a sample got no answer within 2 s (the bot's event loop was that late). */
  private readonly missed: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;

  constructor(
    private readonly port: number,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => {
      if (this.inFlight) return;
      this.inFlight = true;
      get(this.port, 2_000)
        .then((body) => {
          this.samples.push(parseHealth(body, Date.now()));
        })
        .catch(() => {
          this.missed.push(Date.now());
        })
        .finally(() => {
          this.inFlight = false;
        });
    }, this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A line on the samples taken since `from` (epoch ms). */
  summary(from: number): string {
    const missed = this.missed.filter((at) => at >= from).length;
    const line = summarise(this.samples.filter((s) => s.at >= from));
    return missed > 0 ? `${line}; ${missed} samples unanswered within 2 s` : line;
  }
}

/** What the bot waited on during a phase, in one line. */
export function summarise(samples: readonly HealthSample[]): string {
  if (samples.length === 0) return 'bot state: no health sample';
  const max = (pick: (s: HealthSample) => number) => Math.max(...samples.map(pick));
  const saturated = samples.filter((s) => s.saturated).length;
  const bounds = samples.map((s) => s.backlogBound).filter((b) => b > 0);
  return (
    `bot state (${samples.length} samples): projection backlog max ${max((s) => s.backlogItems)}` +
    ` (bound ${bounds.length > 0 ? `${Math.min(...bounds)}–${Math.max(...bounds)}` : 'unknown'}),` +
    ` refusing charges in ${((100 * saturated) / samples.length).toFixed(0)} % of samples;` +
    ` commands running max ${max((s) => s.running)}, waiting max ${max((s) => s.waiting)};` +
    ` database pool checked out max ${max((s) => s.poolCheckedOut)}, waiting max ${max((s) => s.poolWaiting)}`
  );
}
