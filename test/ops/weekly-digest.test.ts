import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  ListMetricsCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
  type StartQueryCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  DescribeInstancePatchStatesCommand,
  type DescribeInstancePatchStatesCommandInput,
  GetParameterCommand,
  type InstancePatchState,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { digestPeriod } from '../../app/notifier/digest-data';
import {
  type DigestDeps,
  buildDigestHandler,
  parseInstanceIds,
  parseLanguages,
} from '../../app/notifier/weekly-digest';

const WEBHOOK = 'https://discord.com/api/webhooks/123456789012345678/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
const NOW = new Date('2026-11-30T09:00:00Z');
const HOSTS = ['i-0123456789abcdef0', 'i-0fedcba9876543210'];

/** Patch Manager's summary of a host after a weekly `Install` run, as the API returns it. */
function patchState(instanceId: string, counts: Partial<InstancePatchState>, end: string): InstancePatchState {
  return {
    InstanceId: instanceId,
    PatchGroup: '',
    BaselineId: 'arn:aws:ssm:ap-northeast-1:075727635805:patchbaseline/pb-0d2a6ea3e0a0c5bca',
    SnapshotId: '8e1e4c4e-5e7b-4b55-9e0c-2f6a3c0b9d11',
    OwnerInformation: '',
    InstalledCount: 412,
    InstalledOtherCount: 31,
    InstalledRejectedCount: 0,
    NotApplicableCount: 1_902,
    UnreportedNotApplicableCount: 0,
    MissingCount: 0,
    FailedCount: 0,
    InstalledPendingRebootCount: 0,
    CriticalNonCompliantCount: 0,
    SecurityNonCompliantCount: 0,
    OtherNonCompliantCount: 0,
    OperationStartTime: new Date(new Date(end).getTime() - 4 * 60_000),
    OperationEndTime: new Date(end),
    Operation: 'Install',
    RebootOption: 'RebootIfNeeded',
    ...counts,
  };
}

describe('operator digest (weekly and monthly review)', () => {
  const cloudwatch = mockClient(CloudWatchClient);
  const logs = mockClient(CloudWatchLogsClient);
  const cost = mockClient(CostExplorerClient);
  const sns = mockClient(SNSClient);
  const ssm = mockClient(SSMClient);
  let server: Server;
  let port = 0;
  let posted: unknown[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        posted.push(JSON.parse(body) as unknown);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  });

  /** Realistic answers: two error kinds, some metrics with data, the agent's memory series missing. */
  function realisticAnswers(options: { errorMessage?: string } = {}): void {
    cloudwatch.on(ListMetricsCommand).resolves({
      Metrics: [
        {
          Namespace: 'GachaBot',
          MetricName: 'Errors',
          Dimensions: [
            { Name: 'Environment', Value: 'prod' },
            { Name: 'Kind', Value: 'command' },
          ],
        },
        {
          Namespace: 'GachaBot',
          MetricName: 'Errors',
          Dimensions: [
            { Name: 'Environment', Value: 'prod' },
            { Name: 'Kind', Value: 'recovery' },
          ],
        },
      ],
    });
    cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      const values: Record<string, number[]> = {
        errors: [7],
        interactions: [91_234],
        p50: [11.5],
        p99: [342],
        rest429: [3],
        backupOk: [7],
        backupFailed: [0],
        backupAge: [5.5, 4.5],
        credits: [144, 12.5],
        disk: [31],
        kind0: [6],
        kind1: [1],
        // memory: no data (agent down all week)
      };
      return Promise.resolve({
        MetricDataResults: (input.MetricDataQueries ?? []).map((q) => ({
          Id: q.Id,
          StatusCode: 'Complete',
          Values: values[q.Id ?? ''] ?? [],
          Timestamps: (values[q.Id ?? ''] ?? []).map(() => NOW),
        })),
      });
    });
    let started = 0;
    const queryStrings = new Map<string, string>();
    logs.on(StartQueryCommand).callsFake((input: StartQueryCommandInput) => {
      started += 1;
      const queryId = `${input.logGroupName ?? ''}#${started}`;
      queryStrings.set(queryId, input.queryString ?? '');
      return Promise.resolve({ queryId });
    });
    logs.on(GetQueryResultsCommand).callsFake((input: { queryId?: string }) => {
      const id = input.queryId ?? '';
      if (id.startsWith('/gacha-bot/prod/access')) {
        return Promise.resolve({
          status: 'Complete',
          results: [[{ field: 'players', value: '1873' }]],
        });
      }
      if (id.startsWith('/gacha-bot/prod/app') && (queryStrings.get(id) ?? '').includes('metrics period')) {
        // The bot's per-period line: pulls (log only) and headroom (CloudWatch only below 50 %).
        return Promise.resolve({
          status: 'Complete',
          results: [
            [
              { field: 'pulls', value: '48213' },
              { field: 'headroom', value: '8' },
            ],
          ],
        });
      }
      if (id.startsWith('/gacha-bot/prod/error')) {
        return Promise.resolve({
          status: 'Complete',
          results: [
            [
              { field: 'msg', value: options.errorMessage ?? 'command failed' },
              { field: 'n', value: '6' },
            ],
            [
              { field: 'msg', value: 'recovery pass failed' },
              { field: 'n', value: '1' },
            ],
          ],
        });
      }
      return Promise.reject(new Error(`unexpected query ${id}: ${queryStrings.get(id) ?? ''}`));
    });
    cost.on(GetCostAndUsageCommand).resolves({
      ResultsByTime: [{ Total: { UnblendedCost: { Amount: '13.2841', Unit: 'USD' } } }],
    });
    // The first host: two updates missing, one installed waiting for a reboot; the second host has
    // never been scanned (Patch Manager leaves it out of the answer).
    ssm.on(DescribeInstancePatchStatesCommand).callsFake((input: DescribeInstancePatchStatesCommandInput) =>
      Promise.resolve({
        InstancePatchStates: (input.InstanceIds ?? [])
          .filter((id) => id === HOSTS[0])
          .map((id) =>
            patchState(
              id,
              { MissingCount: 2, InstalledPendingRebootCount: 1, SecurityNonCompliantCount: 2 },
              '2026-11-25T19:42:10Z',
            ),
          ),
      }),
    );
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: WEBHOOK } });
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    cloudwatch.on(PutMetricDataCommand).resolves({});
  }

  function deps(languages: DigestDeps['config']['languages'], webhook = true): DigestDeps {
    return {
      // mockClient stubs every instance of these clients: real clients, answers from the mocks.
      cloudwatch: new CloudWatchClient({ region: 'ap-northeast-1' }),
      logs: new CloudWatchLogsClient({ region: 'ap-northeast-1' }),
      costExplorer: new CostExplorerClient({ region: 'us-east-1' }),
      sns: new SNSClient({ region: 'ap-northeast-1' }),
      ssm: new SSMClient({ region: 'ap-northeast-1' }),
      fetch: (input, init) => fetch((input as string).replace('https://discord.com', `http://127.0.0.1:${port}`), init),
      now: () => NOW,
      config: {
        environment: 'prod',
        instanceId: 'i-0123456789abcdef0',
        instanceIds: HOSTS,
        accessLogGroup: '/gacha-bot/prod/access',
        errorLogGroup: '/gacha-bot/prod/error',
        appLogGroup: '/gacha-bot/prod/app',
        topicArn: 'arn:aws:sns:ap-northeast-1:123456789012:alarms',
        languages,
        costTag: { key: 'gacha-bot:environment', value: 'prod' },
        estimateUsd: 13.16,
        ...(webhook ? { webhookParameter: '/gacha-bot/prod/alarm-webhook-url' } : {}),
      },
      read: { pollIntervalMs: 0, queryTimeoutMs: 2_000 },
    };
  }

  beforeEach(() => {
    for (const mock of [cloudwatch, logs, cost, sns, ssm]) mock.reset();
    posted = [];
  });

  it('posts the weekly figures in English, flags what needs attention and says where data is missing', async () => {
    realisticAnswers();
    await buildDigestHandler(deps(['en']))({ kind: 'weekly' });

    const published = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(published?.TopicArn).toBe('arn:aws:sns:ap-northeast-1:123456789012:alarms');
    expect(published?.Subject).toBe('Gacha bot prod: weekly review');
    const text = published?.Message ?? '';
    expect(text).toContain('Period: 2026-11-23 – 2026-11-30 (UTC)');
    expect(text).toContain('・Errors: 7');
    expect(text).toContain('by kind: command ×6, recovery ×1');
    expect(text).toContain('most frequent: command failed ×6, recovery pass failed ×1');
    expect(text).toContain('latency p50 / p99: 12 ms / 342 ms');
    expect(text).toContain('items pulled: 48,213');
    expect(text).toContain('active players: 1,873');
    expect(text).toContain('⚠ lowest rate-limit headroom: 8 %');
    expect(text).toContain('⚠ lowest CPU credit balance: 12.5');
    expect(text).toContain('⚠ memory peak: no data');
    expect(text).toContain('・disk peak: 31 %');
    expect(text).toContain(
      '⚠ OS updates i-0123456789abcdef0: 2 missing, 0 failed, 1 installed pending reboot (last install ended 2026-11-25 19:42 UTC)',
    );
    expect(text).toContain('⚠ OS updates i-0fedcba9876543210: never scanned by Patch Manager');
    expect(ssm.commandCalls(DescribeInstancePatchStatesCommand).map((c) => c.args[0].input.InstanceIds)).toEqual([
      HOSTS,
    ]);
    expect(text).toContain('hours since the last good backup: 5.5 h');
    expect(text).not.toContain('Cost');
    expect(text).toContain('5 figures need attention');
    // No Cost Explorer call on a weekly run.
    expect(cost.commandCalls(GetCostAndUsageCommand)).toHaveLength(0);
  });

  it('asks CloudWatch for the contract metrics, the instance credits and the agent series of the period', async () => {
    realisticAnswers();
    await buildDigestHandler(deps(['en'], false))({ kind: 'weekly' });
    const input = cloudwatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    const { start, end } = digestPeriod('weekly', NOW);
    expect(input?.StartTime).toEqual(start);
    expect(input?.EndTime).toEqual(end);
    const byId = new Map((input?.MetricDataQueries ?? []).map((q) => [q.Id, q.MetricStat]));
    expect(byId.get('credits')?.Metric).toEqual({
      Namespace: 'AWS/EC2',
      MetricName: 'CPUCreditBalance',
      Dimensions: [{ Name: 'InstanceId', Value: 'i-0123456789abcdef0' }],
    });
    expect(byId.get('credits')?.Stat).toBe('Minimum');
    expect(byId.get('memory')?.Metric?.Namespace).toBe('CWAgent');
    expect(byId.get('errors')?.Metric?.Dimensions).toEqual([{ Name: 'Environment', Value: 'prod' }]);
    expect(byId.get('errors')?.Period).toBe(7 * 86_400);
    expect(byId.get('kind1')?.Metric?.Dimensions).toContainEqual({ Name: 'Kind', Value: 'recovery' });
    const queries = logs.commandCalls(StartQueryCommand).map((c) => c.args[0].input);
    expect(queries.map((q) => q.logGroupName).sort()).toEqual([
      '/gacha-bot/prod/access',
      '/gacha-bot/prod/app',
      '/gacha-bot/prod/error',
    ]);
    // OS updates come from Patch Manager, not from a log line.
    expect(queries.some((q) => (q.queryString ?? '').includes('os-updates'))).toBe(false);
    // Latency percentiles from the ONE CommandLatency series (its histogram), not per command.
    expect(byId.get('p99')?.Stat).toBe('p99');
    expect(byId.get('p50')?.Metric?.MetricName).toBe('CommandLatency');
    expect(byId.get('p50')?.Metric?.Dimensions).toEqual([{ Name: 'Environment', Value: 'prod' }]);
    expect(byId.get('interactions')?.Stat).toBe('SampleCount');
    expect(queries.some((q) => (q.queryString ?? '').includes('sum(metrics.Pulls.sum)'))).toBe(true);
    // Without a webhook configured nothing is posted to Discord.
    expect(posted).toHaveLength(0);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
  });

  it('monthly: last month’s actual cost from Cost Explorer next to the estimate, in Japanese and English', async () => {
    realisticAnswers();
    await buildDigestHandler(deps(['ja', 'en']))({ kind: 'monthly' });
    const costInput = cost.commandCalls(GetCostAndUsageCommand)[0]?.args[0].input;
    expect(costInput?.TimePeriod).toEqual({ Start: '2026-10-01', End: '2026-11-01' });
    expect(costInput?.Filter).toEqual({ Tags: { Key: 'gacha-bot:environment', Values: ['prod'] } });
    const text = sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '';
    expect(text).toContain('ガチャBot prod：月次レビュー');
    expect(text).toContain('【費用 2026-10】');
    expect(text).toContain('実績: 13.28 USD');
    expect(text).toContain('actual: 13.28 USD');
    expect(text).toContain('estimate (npm run cost): 13.16 USD');
    expect(text).toContain('排出数: 48,213');
    expect(text).toContain(
      '⚠ OS更新 i-0123456789abcdef0: 未適用 2・失敗 0・再起動待ち 1（最終インストール：2026-11-25 19:42 UTC 終了）',
    );
    expect(text).toContain('⚠ OS更新 i-0fedcba9876543210: Patch Managerのスキャン記録なし');
  });

  it('OS updates: a patched host is not flagged, a failed install and a last run older than 8 days are', async () => {
    realisticAnswers();
    ssm.on(DescribeInstancePatchStatesCommand).resolves({
      InstancePatchStates: [
        patchState(HOSTS[0] ?? '', {}, '2026-11-25T19:41:03Z'),
        patchState(HOSTS[1] ?? '', { FailedCount: 1, Operation: 'Scan' }, '2026-11-18T19:40:00Z'),
      ],
      NextToken: '',
    });
    await buildDigestHandler(deps(['en'], false))({ kind: 'weekly' });
    const text = sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '';
    expect(text).toContain(
      '・OS updates i-0123456789abcdef0: 0 missing, 0 failed, 0 installed pending reboot (last install ended 2026-11-25 19:41 UTC)',
    );
    expect(text).toContain(
      '⚠ OS updates i-0fedcba9876543210: 0 missing, 1 failed, 0 installed pending reboot (last scan ended 2026-11-18 19:40 UTC)',
    );
    // Stale alone is flagged too: the weekly association did not run.
    ssm.on(DescribeInstancePatchStatesCommand).resolves({
      InstancePatchStates: [patchState(HOSTS[0] ?? '', {}, '2026-11-21T08:59:00Z')],
    });
    sns.resetHistory();
    await buildDigestHandler(deps(['en'], false))({ kind: 'weekly' });
    const stale = sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '';
    expect(stale).toContain('⚠ OS updates i-0123456789abcdef0: 0 missing, 0 failed, 0 installed pending reboot');
  });

  it('a Patch Manager API error fails the run and counts as a digest error, like any other source', async () => {
    realisticAnswers();
    ssm.on(DescribeInstancePatchStatesCommand).rejects(
      Object.assign(
        new Error(
          'User: arn:aws:sts::123456789012:assumed-role/digest is not authorized to perform: ssm:DescribeInstancePatchStates',
        ),
        {
          name: 'AccessDeniedException',
        },
      ),
    );
    await expect(buildDigestHandler(deps(['en']))({ kind: 'weekly' })).rejects.toThrow(
      /not authorized to perform: ssm:DescribeInstancePatchStates/,
    );
    const put = cloudwatch.commandCalls(PutMetricDataCommand)[0]?.args[0].input;
    expect(put?.MetricData?.map((d) => [d.MetricName, d.Dimensions?.map((x) => x.Value).join('/')])).toEqual([
      ['ErrorsTotal', 'prod'],
      ['Errors', 'prod/digest'],
    ]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(posted).toHaveLength(0);
  });

  it('posts to the Discord webhook within Discord’s limits, with no mentions, whatever the error messages hold', async () => {
    realisticAnswers({ errorMessage: `@everyone ${'ｘ'.repeat(5_000)}` });
    await buildDigestHandler(deps(['ja', 'en']))({ kind: 'weekly' });
    expect(posted).toHaveLength(1);
    const body = posted[0] as { embeds: { title: string; description: string }[]; allowed_mentions: unknown };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds).toHaveLength(2);
    let total = 0;
    for (const embed of body.embeds) {
      expect(embed.title.length).toBeLessThanOrEqual(256);
      expect(embed.description.length).toBeLessThanOrEqual(4_096);
      total += embed.title.length + embed.description.length;
    }
    expect(total).toBeLessThanOrEqual(6_000);
  });

  it('a failed run counts as a bot error (Errors{Kind=digest}, ErrorsTotal) so the error alarm fires, and fails', async () => {
    realisticAnswers();
    logs.on(GetQueryResultsCommand).resolves({ status: 'Failed' });
    await expect(buildDigestHandler(deps(['en']))({ kind: 'weekly' })).rejects.toThrow(/ended Failed/);
    const put = cloudwatch.commandCalls(PutMetricDataCommand)[0]?.args[0].input;
    expect(put?.Namespace).toBe('GachaBot');
    expect(put?.MetricData?.map((d) => [d.MetricName, d.Dimensions?.map((x) => x.Value).join('/')])).toEqual([
      ['ErrorsTotal', 'prod'],
      ['Errors', 'prod/digest'],
    ]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('a webhook parameter that is not a Discord webhook fails the run without posting anywhere else', async () => {
    realisticAnswers();
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'https://example.com/hook' } });
    await expect(buildDigestHandler(deps(['en']))({ kind: 'weekly' })).rejects.toThrow(
      /does not hold a Discord webhook/,
    );
    expect(posted).toHaveLength(0);
    expect(cloudwatch.commandCalls(PutMetricDataCommand)).toHaveLength(1);
  });

  it('reads the operator’s languages', () => {
    expect(parseLanguages('ja, en')).toEqual(['ja', 'en']);
    expect(parseLanguages('fr')).toEqual(['en']);
    expect(parseLanguages(undefined)).toEqual(['en']);
  });

  it('reads the instance ids the stack passes', () => {
    expect(parseInstanceIds('i-0123456789abcdef0,i-0fedcba9876543210')).toEqual(HOSTS);
    expect(parseInstanceIds(' i-0123456789abcdef0 ,')).toEqual([HOSTS[0]]);
    expect(parseInstanceIds(undefined)).toEqual([]);
  });
});
