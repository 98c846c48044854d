/**
 * The CloudWatch agent's configuration, generated from the host contract: host metrics every
 * minute (memory, swap, root and data disk; no per-device disk I/O, which nothing alarms on and
 * which costs a series per block device) and the log files it ships. Metric names and the
 * dimension the alarms use are defined here once.
 */
import { DATA_VOLUME, HOST_PATHS, LOG_FILES, type LogFileKey } from '../../app/contracts/host';

export const AGENT_NAMESPACE = 'CWAgent';

/** Agent metric names (the agent prefixes each measurement with its section). */
export const AGENT_METRICS = {
  memoryUsedPercent: 'mem_used_percent',
  swapUsedPercent: 'swap_used_percent',
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
        swap: { measurement: ['used_percent'] },
        // Root and data volume; aggregated to InstanceId, so the alarm's Maximum is the fuller one.
        disk: { measurement: ['used_percent'], resources: ['/', DATA_VOLUME.mountPoint], drop_device: true },
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
