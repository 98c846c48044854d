/**
 * Lambda behind the alarm topic: posts each CloudWatch alarm state change to a Discord webhook.
 * The webhook URL is a SecureString in the environment's SSM path, read once per cold start; it
 * never appears in the template, the function's configuration or its logs.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

export interface SnsRecord {
  readonly Sns: { readonly Message: string; readonly Subject?: string | null };
}
export interface SnsEvent {
  readonly Records: readonly SnsRecord[];
}

interface AlarmMessage {
  readonly AlarmName?: string;
  readonly AlarmDescription?: string | null;
  readonly NewStateValue?: string;
  readonly OldStateValue?: string;
  readonly NewStateReason?: string;
  readonly StateChangeTime?: string;
  readonly Region?: string;
}

const COLORS: Readonly<Record<string, number>> = { ALARM: 0xd93f0b, OK: 0x2da44e, INSUFFICIENT_DATA: 0x9a6700 };
const WEBHOOK_PATTERN = /^https:\/\/(?:[a-z]+\.)?discord(?:app)?\.com\/api\/webhooks\/\d{17,20}\/[\w-]{20,100}$/;

export function isDiscordWebhookUrl(url: string): boolean {
  return WEBHOOK_PATTERN.test(url);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The Discord message for one SNS record (alarm JSON, or plain text for anything else). */
export function discordMessage(record: SnsRecord): Record<string, unknown> {
  let alarm: AlarmMessage | undefined;
  try {
    const parsed: unknown = JSON.parse(record.Sns.Message);
    if (parsed !== null && typeof parsed === 'object' && 'AlarmName' in parsed) alarm = parsed as AlarmMessage;
  } catch {
    alarm = undefined;
  }
  if (!alarm) {
    return {
      content: clip(`${record.Sns.Subject ?? 'Notification'}: ${record.Sns.Message}`, 1_900),
      allowed_mentions: { parse: [] },
    };
  }
  const state = alarm.NewStateValue ?? 'UNKNOWN';
  return {
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: clip(`${state}: ${alarm.AlarmName ?? 'alarm'}`, 256),
        description: clip(
          [alarm.AlarmDescription, alarm.NewStateReason].filter((s): s is string => Boolean(s)).join('\n\n'),
          4_000,
        ),
        color: COLORS[state] ?? 0x57606a,
        fields: [
          { name: 'Previous state', value: alarm.OldStateValue ?? '—', inline: true },
          { name: 'Region', value: alarm.Region ?? '—', inline: true },
        ],
        ...(alarm.StateChangeTime ? { timestamp: new Date(alarm.StateChangeTime).toISOString() } : {}),
      },
    ],
  };
}

export interface NotifierDeps {
  readonly ssm: Pick<SSMClient, 'send'>;
  readonly parameterName: string;
  readonly fetch: typeof fetch;
  /** Milliseconds this invocation may still run (Lambda's getRemainingTimeInMillis). */
  readonly remainingMs?: () => number;
}

/** Waits longer than this (or past the invocation's deadline) fail the run: Lambda retries it later. */
export const MAX_RETRY_AFTER_MS = 10_000;
/** Room kept before the Lambda deadline for the request after a wait. */
const DEADLINE_MARGIN_MS = 6_000;
const MAX_ATTEMPTS = 4;

/**
 * How long Discord asked us to wait, in ms: the `Retry-After` header (seconds, possibly
 * fractional), else the JSON body's `retry_after` (seconds); undefined if neither is usable.
 */
export function retryAfterMs(headers: Headers, body: string): number | undefined {
  const header = Number(headers.get('retry-after'));
  if (headers.has('retry-after') && Number.isFinite(header) && header >= 0) return Math.ceil(header * 1_000);
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object' && 'retry_after' in parsed) {
      const seconds = Number(parsed.retry_after);
      if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1_000);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

export function buildHandler(deps: NotifierDeps): (event: SnsEvent) => Promise<void> {
  let webhookUrl: string | undefined;
  const post = async (url: string, body: string): Promise<void> => {
    for (let attempt = 1; ; attempt += 1) {
      const response = await deps.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(5_000),
      });
      if (response.ok) {
        await response.arrayBuffer();
        return;
      }
      const text = await response.text();
      if (response.status !== 429) {
        // Status only: the response or URL could reveal the webhook token.
        throw new Error(`Discord webhook answered HTTP ${response.status}`);
      }
      const wait = retryAfterMs(response.headers, text) ?? 1_000;
      const remaining = deps.remainingMs?.() ?? Number.POSITIVE_INFINITY;
      if (attempt >= MAX_ATTEMPTS || wait > MAX_RETRY_AFTER_MS || wait > remaining - DEADLINE_MARGIN_MS) {
        throw new Error(`Discord webhook rate-limited (HTTP 429, retry after ${wait} ms); left to Lambda's retry`);
      }
      await sleep(wait);
    }
  };
  return async (event) => {
    if (webhookUrl === undefined) {
      const out = await deps.ssm.send(new GetParameterCommand({ Name: deps.parameterName, WithDecryption: true }));
      const value = out.Parameter?.Value ?? '';
      if (!isDiscordWebhookUrl(value)) {
        throw new Error(`${deps.parameterName} does not hold a Discord webhook URL`);
      }
      webhookUrl = value;
    }
    for (const record of event.Records) await post(webhookUrl, JSON.stringify(discordMessage(record)));
  };
}

interface LambdaContext {
  getRemainingTimeInMillis(): number;
}

let lambdaContext: LambdaContext | undefined;
const lambdaHandler = buildHandler({
  ssm: new SSMClient({}),
  parameterName: process.env.WEBHOOK_PARAMETER ?? '',
  fetch: (input, init) => fetch(input, init),
  remainingMs: () => lambdaContext?.getRemainingTimeInMillis() ?? 30_000,
});

export const handler = (event: SnsEvent, context?: LambdaContext): Promise<void> => {
  lambdaContext = context;
  return lambdaHandler(event);
};
