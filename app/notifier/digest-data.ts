/**
 * What the operator's periodic review covers (the roadmap's weekly and monthly checks), as plain
 * figures. A figure is `undefined` when its source had no data in the period (for example no
 * backup ran, or the CloudWatch agent was down): the digest says so rather than guessing.
 */
export type DigestKind = 'weekly' | 'monthly';

export interface CountByLabel {
  readonly label: string;
  readonly count: number;
}

/**
 * One host's OS updates as SSM Patch Manager last recorded them (DescribeInstancePatchStates);
 * `state` is undefined when Patch Manager has no record of the instance (never scanned).
 */
export interface InstancePatchSummary {
  readonly instanceId: string;
  readonly state:
    | {
        /** Applicable patches the baseline approves that are not installed. */
        readonly missing: number;
        /** Patches whose installation failed. */
        readonly failed: number;
        /** Installed, waiting for a reboot to take effect. */
        readonly installedPendingReboot: number;
        /** `Scan` or `Install`. */
        readonly operation: string;
        readonly operationEnd: Date;
      }
    | undefined;
}

export interface DigestData {
  readonly kind: DigestKind;
  readonly environment: string;
  readonly start: Date;
  readonly end: Date;
  readonly errors: {
    readonly total: number | undefined;
    readonly byKind: readonly CountByLabel[];
    /** The most frequent error messages in the error log, most frequent first. */
    readonly topMessages: readonly CountByLabel[];
  };
  readonly usage: {
    readonly interactions: number | undefined;
    readonly latencyP50Ms: number | undefined;
    readonly latencyP99Ms: number | undefined;
    readonly pulls: number | undefined;
    readonly activePlayers: number | undefined;
  };
  readonly discord: {
    /** Lowest remaining/limit across REST buckets seen in the period, in percent. */
    readonly minHeadroomPercent: number | undefined;
    readonly rest429: number | undefined;
  };
  readonly host: {
    readonly minCpuCreditBalance: number | undefined;
    readonly maxMemoryPercent: number | undefined;
    readonly maxDiskPercent: number | undefined;
    /** SSM Patch Manager's state of each host, in the order of the environment's instance ids. */
    readonly osUpdates: readonly InstancePatchSummary[];
  };
  readonly backup: {
    readonly successes: number | undefined;
    readonly failures: number | undefined;
    /** Hours since the last good backup, as the newest backup run reported it. */
    readonly ageHours: number | undefined;
  };
  /** Monthly only: last month's actual cost next to the cost model's estimate. */
  readonly cost?: {
    readonly month: string;
    readonly actualUsd: number | undefined;
    readonly estimateUsd: number | undefined;
  };
}

/** The review period that ends at `now`: the last 7 days, or the previous calendar month (UTC). */
export function digestPeriod(kind: DigestKind, now: Date): { start: Date; end: Date } {
  if (kind === 'weekly') return { start: new Date(now.getTime() - 7 * 86_400_000), end: now };
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return { start, end };
}
