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
}

export function buildHandler(deps: NotifierDeps): (event: SnsEvent) => Promise<void> {
  let webhookUrl: string | undefined;
  return async (event) => {
    if (webhookUrl === undefined) {
      const out = await deps.ssm.send(new GetParameterCommand({ Name: deps.parameterName, WithDecryption: true }));
      const value = out.Parameter?.Value ?? '';
      if (!isDiscordWebhookUrl(value)) {
        throw new Error(`${deps.parameterName} does not hold a Discord webhook URL`);
      }
      webhookUrl = value;
    }
    for (const record of event.Records) {
      const response = await deps.fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(discordMessage(record)),
        signal: AbortSignal.timeout(5_000),
      });
      if (!response.ok) {
        // Status only: the response or URL could reveal the webhook token.
        throw new Error(`Discord webhook answered HTTP ${response.status}`);
      }
    }
  };
}

export const handler = buildHandler({
  ssm: new SSMClient({}),
  parameterName: process.env.WEBHOOK_PARAMETER ?? '',
  fetch: (input, init) => fetch(input, init),
});
