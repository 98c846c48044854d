/**
 * Lambda run by two EventBridge schedules (weekly, and on the 1st of each month): reads the
 * operator's review figures (digest-sources.ts), writes them in the operator's languages
 * (digest-text.ts) and posts them to the environment's SNS topic, and to the Discord webhook when
 * the environment has one. A run that fails counts as a bot error (`Errors{Kind=digest}` and
 * `ErrorsTotal`), so the existing error alarm tells the operator that the review did not arrive.
 *
 * Why a Lambda and not a timer on the host: it costs nothing measurable (two runs a week of a few
 * seconds), and it still reports when the host is down or out of memory — exactly the weeks
 * a review matters most; a host timer would go silent with the host.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DIMENSION_ENVIRONMENT, DIMENSION_KIND, METRICS, METRICS_NAMESPACE } from '../contracts/metrics';
import { isDiscordWebhookUrl } from './alarm-webhook';
import type { DigestKind } from './digest-data';
import { type DigestClients, type DigestReadOptions, type DigestSourceConfig, readDigest } from './digest-sources';
import { type DigestLanguage, digestMessage } from './digest-text';

export interface DigestEvent {
  readonly kind?: DigestKind;
}

export interface DigestDeps extends DigestClients {
  readonly sns: Pick<SNSClient, 'send'>;
  readonly fetch: typeof fetch;
  readonly now: () => Date;
  readonly config: DigestSourceConfig & {
    readonly topicArn: string;
    readonly languages: readonly DigestLanguage[];
    readonly webhookParameter?: string;
  };
  readonly read?: DigestReadOptions;
}

/** Parses `ja,en` (any order, unknown codes dropped). */
export function parseLanguages(value: string | undefined): DigestLanguage[] {
  const list = (value ?? 'en')
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is DigestLanguage => s === 'ja' || s === 'en');
  return list.length > 0 ? list : ['en'];
}

async function postToWebhook(deps: DigestDeps, body: unknown): Promise<void> {
  if (!deps.config.webhookParameter) return;
  const out = await deps.ssm.send(
    new GetParameterCommand({ Name: deps.config.webhookParameter, WithDecryption: true }),
  );
  const url = out.Parameter?.Value ?? '';
  if (!isDiscordWebhookUrl(url)) throw new Error(`${deps.config.webhookParameter} does not hold a Discord webhook URL`);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const response = await deps.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (response.ok) return;
    const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
    if (response.status !== 429 || attempt > 0 || !(retryAfter >= 0 && retryAfter <= 10)) {
      // Status only: the response or URL could reveal the webhook token.
      throw new Error(`Discord webhook answered HTTP ${response.status}`);
    }
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
  }
}

async function countFailure(deps: DigestDeps): Promise<void> {
  const env = { Name: DIMENSION_ENVIRONMENT, Value: deps.config.environment };
  await deps.cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: METRICS_NAMESPACE,
      MetricData: [
        { MetricName: METRICS.errorsTotal.name, Dimensions: [env], Unit: 'Count', Value: 1 },
        {
          MetricName: METRICS.errors.name,
          Dimensions: [env, { Name: DIMENSION_KIND, Value: 'digest' }],
          Unit: 'Count',
          Value: 1,
        },
      ],
    }),
  );
}

export function buildDigestHandler(deps: DigestDeps): (event: DigestEvent) => Promise<{ subject: string }> {
  return async (event) => {
    try {
      const kind: DigestKind = event.kind === 'monthly' ? 'monthly' : 'weekly';
      const data = await readDigest(deps, deps.config, kind, deps.now(), deps.read);
      const message = digestMessage(data, deps.config.languages);
      await deps.sns.send(
        new PublishCommand({ TopicArn: deps.config.topicArn, Subject: message.subject, Message: message.text }),
      );
      await postToWebhook(deps, { embeds: message.embeds, allowed_mentions: { parse: [] } });
      return { subject: message.subject };
    } catch (error) {
      await countFailure(deps).catch(() => undefined);
      throw error;
    }
  };
}

/** `i-0aaa,i-0bbb` → the ids, blanks dropped. */
export function parseInstanceIds(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function costTag(value: string | undefined): { key: string; value: string } | undefined {
  const [key, tagValue] = (value ?? '').split('=');
  return key && tagValue ? { key, value: tagValue } : undefined;
}

const env = process.env;
const estimate = Number(env.COST_ESTIMATE_USD);
const tag = costTag(env.COST_TAG);
export const handler = buildDigestHandler({
  cloudwatch: new CloudWatchClient({}),
  logs: new CloudWatchLogsClient({}),
  // Cost Explorer answers in us-east-1 only.
  costExplorer: new CostExplorerClient({ region: 'us-east-1' }),
  sns: new SNSClient({}),
  ssm: new SSMClient({}),
  fetch: (input, init) => fetch(input, init),
  now: () => new Date(),
  config: {
    environment: env.GACHA_ENV ?? '',
    instanceId: env.INSTANCE_ID ?? '',
    instanceIds: parseInstanceIds(env.INSTANCE_IDS),
    accessLogGroup: env.ACCESS_LOG_GROUP ?? '',
    errorLogGroup: env.ERROR_LOG_GROUP ?? '',
    appLogGroup: env.APP_LOG_GROUP ?? '',
    topicArn: env.TOPIC_ARN ?? '',
    languages: parseLanguages(env.DIGEST_LANGUAGES),
    ...(env.WEBHOOK_PARAMETER ? { webhookParameter: env.WEBHOOK_PARAMETER } : {}),
    ...(tag ? { costTag: tag } : {}),
    ...(Number.isFinite(estimate) ? { estimateUsd: estimate } : {}),
  },
});
