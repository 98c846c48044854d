/**
 * The CloudWatch agent's configuration, generated from the host contract: host metrics every
 * minute — memory, and the fuller of the root and data disks as ONE series (the per-mount series
 * are dropped; each series costs 0.30 USD a month) — and the log files it ships. No swap (no alarm
 * uses it) and no per-device disk I/O (a series per block device). Metric names and the
 * dimension the alarms use are defined here once.
 */
import { DATA_VOLUME, HOST_PATHS, LOG_FILES, type LogFileKey } from '../../app/contracts/host';

export const AGENT_NAMESPACE = 'CWAgent';

/** Agent metric names (the agent prefixes each measurement with its section). */
export const AGENT_METRICS = {
  memoryUsedPercent: 'mem_used_percent',
  diskUsedPercent: 'disk_used_percent',
} as const;

/** The logs the agent ships: the bot's files plus mongod's. */
export const SHIPPED_LOGS: Readonly<Record<LogFileKey | 'mongod', string>> = {
  app: `${HOST_PATHS.logDir}/${LOG_FILES.app}`,
  error: `${HOST_PATHS.logDir}/${LOG_FILES.error}`,
  access: `${HOST_PATHS.logDir}/${LOG_FILES.access}`,
  backup: `${HOST_PATHS.logDir}/${LOG_FILES.backup}`,
  mongod: HOST_PATHS.mongodLog,
};

export type ShippedLog = keyof typeof SHIPPED_LOGS;

export function agentConfig(logGroupNames: Readonly<Record<ShippedLog, string>>): Record<string, unknown> {
  return {
    agent: { metrics_collection_interval: 60, logfile: '/opt/aws/amazon-cloudwatch-agent/logs/agent.log' },
    metrics: {
      namespace: AGENT_NAMESPACE,
      // Alarms use exactly this dimension set: InstanceId only (aggregated over path/device).
      append_dimensions: { InstanceId: '${aws:InstanceId}' },
      aggregation_dimensions: [['InstanceId']],
      metrics_collected: {
        mem: { measurement: ['used_percent'] },
        // Root and data volume, aggregated to InstanceId (the alarm's Maximum is the fuller one);
        // the per-mount series are not sent.
        disk: {
          measurement: ['used_percent'],
          resources: ['/', DATA_VOLUME.mountPoint],
          drop_device: true,
          drop_original_metrics: ['used_percent'],
        },
      },
    },
    logs: {
      logs_collected: {
        files: {
          collect_list: (Object.keys(SHIPPED_LOGS) as ShippedLog[]).map((key) => ({
            file_path: SHIPPED_LOGS[key],
            log_group_name: logGroupNames[key],
            log_stream_name: '{instance_id}',
            timezone: 'UTC',
          })),
        },
      },
    },
  };
}
