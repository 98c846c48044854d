/**
 * Every alarm of an environment, each notifying the alarm topic on ALARM and on OK, with every
 * threshold taken from `lib/config/environments.ts`. A failed instance status check reboots the
 * instance; a failed system status check is EC2's own default automatic recovery (no alarm: the
 * heartbeat and memory/disk alarms notify, since the bot and the agent go silent).
 *
 * Blind spots closed on purpose: a t3 out of CPU credits is throttled to its 10 % baseline and
 * never reaches the CPU threshold (`cpu-credits-low` watches the credits); the memory and disk
 * alarms treat missing agent data as breaching (a dead CloudWatch agent cannot hide a full disk);
 * a silent bot and a missing backup count as breaching. Each alarm costs 0.10 USD a month.
 */
import { Duration, aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as actions, aws_sns as sns } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { AlarmThresholds } from '../config/environments';
import type { BotMetricFactory } from './bot-metric-factory';
import { alarmNamePrefix } from './notifications';

/** The alarms, by role; the value is the alarm name's suffix (`gacha-bot-<env>-<suffix>`). */
export const ALARM_NAMES = {
  cpuHigh: 'cpu-high',
  cpuCreditsLow: 'cpu-credits-low',
  memoryHigh: 'memory-high',
  diskHigh: 'disk-high',
  botErrors: 'bot-errors',
  rateLimitHeadroomLow: 'rate-limit-headroom-low',
  discord429: 'discord-429',
  discordInvalidRequests: 'discord-invalid-requests',
  heartbeatMissing: 'heartbeat-missing',
  projectionLag: 'projection-lag',
  backupStale: 'backup-stale',
  instanceStatusFailed: 'instance-status-failed',
  notifierErrors: 'notifier-errors',
} as const;

export type AlarmKey = keyof typeof ALARM_NAMES;
/** Alarms every environment has; `notifierErrors` exists only where the Discord notifier does. */
export type EnvironmentAlarms = Readonly<
  Record<Exclude<AlarmKey, 'notifierErrors' | 'projectionLag'>, cloudwatch.Alarm>
> & {
  readonly notifierErrors?: cloudwatch.Alarm;
  /** Only where a lag threshold is configured (prod: staging serves no players and every alarm costs). */
  readonly projectionLag?: cloudwatch.Alarm;
};

export interface AlarmsProps {
  readonly environment: string;
  /** The environment's metrics, and the host metrics of the first host. */
  readonly metrics: BotMetricFactory;
  /** The host metrics of every further host (the growth path), each watched like the first. */
  readonly moreHosts?: readonly BotMetricFactory[];
  readonly topic: sns.ITopic;
  readonly thresholds: AlarmThresholds;
  /** The alarm → Discord Lambda, whose failures get their own alarm. */
  readonly notifier?: IFunction;
  /**
   * The instance is stopped on a schedule most of the time (staging): missing data is then the
   * normal state, so no alarm treats it as breaching (a stopped staging host never notifies; a
   * dead bot or agent there is caught by the deploy pipeline's smoke check instead).
   */
  readonly stoppedOnSchedule?: boolean;
}

type AlarmSpec = Omit<cloudwatch.AlarmProps, 'alarmName' | 'alarmDescription' | 'actionsEnabled'> & {
  readonly description: string;
};

/** The alarms on one host's own metrics (EC2 and the CloudWatch agent), one set per host. */
const HOST_ALARMS = ['cpuHigh', 'cpuCreditsLow', 'memoryHigh', 'diskHigh', 'instanceStatusFailed'] as const;
type HostAlarmKey = (typeof HOST_ALARMS)[number];

function hostAlarmSpecs(
  m: BotMetricFactory,
  t: AlarmThresholds,
  breaching: cloudwatch.TreatMissingData,
): Record<HostAlarmKey, AlarmSpec> {
  const gt = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
  const gte = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
  const lt = cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD;
  return {
    cpuHigh: {
      description: `CPU above ${t.cpuPercent}% for 15 minutes (t3.micro credits burn above 10%).`,
      metric: m.ec2('CPUUtilization', 'Average', Duration.minutes(5)),
      threshold: t.cpuPercent,
      comparisonOperator: gt,
      evaluationPeriods: 3,
    },
    cpuCreditsLow: {
      description: `Fewer than ${t.minCpuCreditBalance} CPU credits: at zero the t3 is throttled to its 10% baseline (a new instance starts with none and earns 12 per hour).`,
      metric: m.ec2('CPUCreditBalance', 'Minimum', Duration.minutes(5)),
      threshold: t.minCpuCreditBalance,
      comparisonOperator: lt,
      evaluationPeriods: 3,
    },
    memoryHigh: {
      description: `Memory above ${t.memoryPercent}% for 5 minutes (mongod and the bot share 1 GiB), or no CloudWatch agent data for 5 minutes (the agent or the host is down).`,
      metric: m.agent('memoryUsedPercent'),
      threshold: t.memoryPercent,
      comparisonOperator: gt,
      evaluationPeriods: 5,
      treatMissingData: breaching,
    },
    diskHigh: {
      description: `Root or data disk above ${t.diskPercent}% for 5 minutes (grow the data volume: see README), or no CloudWatch agent data for 5 minutes.`,
      metric: m.agent('diskUsedPercent'),
      threshold: t.diskPercent,
      comparisonOperator: gt,
      evaluationPeriods: 5,
      treatMissingData: breaching,
    },
    instanceStatusFailed: {
      description: 'EC2 instance status check failed: the instance is rebooted.',
      metric: m.ec2('StatusCheckFailed_Instance', 'Maximum', Duration.minutes(1)),
      threshold: 1,
      comparisonOperator: gte,
      evaluationPeriods: 3,
    },
  };
}

export class Alarms extends Construct {
  readonly alarms: EnvironmentAlarms;
  /** The host alarms of every host after the first (empty with one host). */
  readonly hostAlarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const m = props.metrics;
    const t = props.thresholds;
    const notify = new actions.SnsAction(props.topic);
    const create = (key: AlarmKey, spec: AlarmSpec, suffix = ''): cloudwatch.Alarm => {
      const { description, ...options } = spec;
      const alarm = new cloudwatch.Alarm(this, `${ALARM_NAMES[key]}${suffix}`, {
        alarmName: `${alarmNamePrefix(props.environment)}${ALARM_NAMES[key]}${suffix}`,
        alarmDescription: description,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...options,
      });
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
      return alarm;
    };
    const gte = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
    const lt = cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD;
    // Missing data means "down" — except where the instance is stopped on purpose most of the time.
    const breaching = props.stoppedOnSchedule
      ? cloudwatch.TreatMissingData.NOT_BREACHING
      : cloudwatch.TreatMissingData.BREACHING;
    const host = (metrics: BotMetricFactory) => hostAlarmSpecs(metrics, t, breaching);
    const first = host(m);
    const alarms: EnvironmentAlarms = {
      cpuHigh: create('cpuHigh', first.cpuHigh),
      cpuCreditsLow: create('cpuCreditsLow', first.cpuCreditsLow),
      memoryHigh: create('memoryHigh', first.memoryHigh),
      diskHigh: create('diskHigh', first.diskHigh),
      botErrors: create('botErrors', {
        description: `${t.errorsPer5Min}+ bot errors in 5 minutes (see the error log group).`,
        metric: m.bot('errorsTotal', 'Sum', Duration.minutes(5)),
        threshold: t.errorsPer5Min,
        comparisonOperator: gte,
        evaluationPeriods: 1,
      }),
      rateLimitHeadroomLow: create('rateLimitHeadroomLow', {
        description: `Discord rate-limit headroom below ${t.minRateLimitHeadroomPercent}% for 3 minutes.`,
        metric: m.bot('rateLimitHeadroom', 'Minimum'),
        threshold: t.minRateLimitHeadroomPercent,
        comparisonOperator: lt,
        evaluationPeriods: 3,
      }),
      discord429: create('discord429', {
        description: `${t.rest429Per5Min}+ HTTP 429 answers from Discord in 5 minutes.`,
        metric: m.bot('rest429', 'Sum', Duration.minutes(5)),
        threshold: t.rest429Per5Min,
        comparisonOperator: gte,
        evaluationPeriods: 1,
      }),
      discordInvalidRequests: create('discordInvalidRequests', {
        description: `${t.invalidRequestsPer10Min}+ invalid Discord requests (401/403/429) in 10 minutes; the IP ban is at 10,000.`,
        metric: m.bot('invalidRequests', 'Sum', Duration.minutes(10)),
        threshold: t.invalidRequestsPer10Min,
        comparisonOperator: gte,
        evaluationPeriods: 1,
      }),
      heartbeatMissing: create('heartbeatMissing', {
        description: `No bot heartbeat for ${t.heartbeatMissingMinutes} minutes: the bot is down or cannot publish.`,
        metric: m.bot('heartbeat', 'SampleCount'),
        threshold: 1,
        comparisonOperator: lt,
        evaluationPeriods: t.heartbeatMissingMinutes,
        treatMissingData: breaching,
      }),
      backupStale: create('backupStale', {
        description: `No good database backup for ${t.backupMaxAgeHours} hours.`,
        metric: m.bot('backupSucceeded', 'Sum', Duration.hours(1)),
        threshold: 1,
        comparisonOperator: lt,
        evaluationPeriods: t.backupMaxAgeHours,
        datapointsToAlarm: t.backupMaxAgeHours,
        treatMissingData: breaching,
      }),
      instanceStatusFailed: create('instanceStatusFailed', first.instanceStatusFailed),
      ...(t.projectionLagSeconds !== undefined
        ? {
            projectionLag: create('projectionLag', {
              description: `History and rankings ${t.projectionLagSeconds}+ s behind the ledger for 5 minutes: the database cannot keep up (new pulls are refused as busy past the backlog's bound).`,
              metric: m.bot('projectionLag', 'Maximum'),
              threshold: t.projectionLagSeconds,
              comparisonOperator: gte,
              evaluationPeriods: 5,
            }),
          }
        : {}),
      ...(props.notifier !== undefined
        ? {
            notifierErrors: create('notifierErrors', {
              description: `The alarm → Discord webhook Lambda failed ${t.notifierErrorsPer5Min}+ times in 5 minutes (failed events wait in its dead-letter queue).`,
              metric: props.notifier.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
              threshold: t.notifierErrorsPer5Min,
              comparisonOperator: gte,
              evaluationPeriods: 1,
            }),
          }
        : {}),
    };
    alarms.instanceStatusFailed.addAlarmAction(new actions.Ec2Action(actions.Ec2InstanceAction.REBOOT));
    this.alarms = alarms;
    // Every further host (the growth path) gets the same host alarms, named `<name>-<n>` (n ≥ 2).
    this.hostAlarms = (props.moreHosts ?? []).flatMap((metrics, i) => {
      const specs = host(metrics);
      const suffix = `-${i + 2}`;
      const created = HOST_ALARMS.map((key) => create(key, specs[key], suffix));
      const status = created[HOST_ALARMS.indexOf('instanceStatusFailed')];
      status?.addAlarmAction(new actions.Ec2Action(actions.Ec2InstanceAction.REBOOT));
      return created;
    });
  }

  /** Every alarm, for the dashboard's status widget. */
  all(): cloudwatch.Alarm[] {
    const { notifierErrors, projectionLag, ...always } = this.alarms;
    return [
      ...Object.values(always),
      ...(notifierErrors ? [notifierErrors] : []),
      ...(projectionLag ? [projectionLag] : []),
      ...this.hostAlarms,
    ];
  }
}
