import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { buildHandler, discordMessage, isDiscordWebhookUrl } from '../../app/notifier/alarm-webhook';

const WEBHOOK = 'https://discord.com/api/webhooks/123456789012345678/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';

const alarmRecord = (state: string) => ({
  Sns: {
    Subject: 'ALARM',
    Message: JSON.stringify({
      AlarmName: 'gacha-bot-prod-heartbeat-missing',
      AlarmDescription: 'No bot heartbeat for 3 minutes @everyone',
      NewStateValue: state,
      OldStateValue: 'OK',
      NewStateReason: 'Threshold Crossed: 3 datapoints were less than the threshold (1.0).',
      StateChangeTime: '2026-11-29T03:00:00.000+0000',
      Region: 'Asia Pacific (Tokyo)',
    }),
  },
});

describe('alarm → Discord webhook notifier', () => {
  const ssm = mockClient(SSMClient);
  let server: Server;
  let received: { path: string; body: unknown; at: number }[];
  let status = 204;
  /** Scripted answers, used in order before falling back to `status`. */
  let script: { status: number; headers?: Record<string, string>; body?: string }[] = [];
  let port = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(body) as unknown, at: performance.now() });
        const next = script.shift();
        if (next) res.writeHead(next.status, next.headers).end(next.body);
        else res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  });
  beforeEach(() => {
    ssm.reset();
    received = [];
    status = 204;
    script = [];
  });

  /** Real HTTP to a local stand-in for discord.com (the URL is rewritten, nothing else). */
  const localFetch: typeof fetch = (input, init) =>
    fetch((input as string).replace('https://discord.com', `http://127.0.0.1:${port}`), init);

  it('reads the webhook URL from SSM once and posts each alarm as an embed without pings', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: WEBHOOK } });
    const handler = buildHandler({
      ssm: new SSMClient({}),
      parameterName: '/gacha-bot/prod/alarm-webhook-url',
      fetch: localFetch,
    });
    await handler({ Records: [alarmRecord('ALARM')] });
    await handler({ Records: [alarmRecord('OK')] });
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
    expect(ssm.commandCalls(GetParameterCommand)[0]?.args[0].input).toEqual({
      Name: '/gacha-bot/prod/alarm-webhook-url',
      WithDecryption: true,
    });
    expect(received).toHaveLength(2);
    expect(received[0]?.path).toBe('/api/webhooks/123456789012345678/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789');
    expect(received[0]?.body).toMatchObject({
      allowed_mentions: { parse: [] },
      embeds: [{ title: 'ALARM: gacha-bot-prod-heartbeat-missing', color: 0xd93f0b }],
    });
    expect(received[1]?.body).toMatchObject({ embeds: [{ title: 'OK: gacha-bot-prod-heartbeat-missing' }] });
  });

  it('fails (so SNS retries) on a Discord error, without leaking the webhook URL', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: WEBHOOK } });
    status = 500;
    const handler = buildHandler({ ssm: new SSMClient({}), parameterName: 'p', fetch: localFetch });
    const error = await handler({ Records: [alarmRecord('ALARM')] }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/HTTP 500/);
    expect(String(error)).not.toContain('AbCdEf');
  });

  it("honours Discord's Retry-After header on a 429: waits that long, then posts again", async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: WEBHOOK } });
    script = [
      {
        status: 429,
        headers: { 'retry-after': '0.4', 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'You are being rate limited.', retry_after: 0.4, global: false }),
      },
    ];
    const handler = buildHandler({ ssm: new SSMClient({}), parameterName: 'p', fetch: localFetch });
    await handler({ Records: [alarmRecord('ALARM')] });
    expect(received).toHaveLength(2);
    const [first, second] = received;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(390);
    expect(second?.body).toEqual(first?.body);
  });

  it('uses the JSON retry_after when the header is missing', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: WEBHOOK } });
    script = [{ status: 429, headers: { 'content-type': 'application/json' }, body: '{"retry_after":0.25}' }];
    const handler = buildHandler({ ssm: new SSMClient({}), parameterName: 'p', fetch: localFetch });
    await handler({ Records: [alarmRecord('OK')] });
    expect(received).toHaveLength(2);
    expect((received[1]?.at ?? 0) - (received[0]?.at ?? 0)).toBeGreaterThanOrEqual(240);
  });

  it('fails at once (for Lambda to retry later) when Discord asks for a wait past the deadline', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: WEBHOOK } });
    script = [{ status: 429, headers: { 'retry-after': '3' } }];
    const handler = buildHandler({
      ssm: new SSMClient({}),
      parameterName: 'p',
      fetch: localFetch,
      remainingMs: () => 5_000,
    });
    const started = performance.now();
    await expect(handler({ Records: [alarmRecord('ALARM')] })).rejects.toThrow(/HTTP 429, retry after 3000 ms/);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(received).toHaveLength(1);
    script = [{ status: 429, headers: { 'retry-after': '60' } }];
    const unbounded = buildHandler({ ssm: new SSMClient({}), parameterName: 'p', fetch: localFetch });
    await expect(unbounded({ Records: [alarmRecord('ALARM')] })).rejects.toThrow(/retry after 60000 ms/);
  });

  it('refuses a parameter that is not a Discord webhook URL', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'https://attacker.example/collect' } });
    const handler = buildHandler({ ssm: new SSMClient({}), parameterName: 'p', fetch: localFetch });
    await expect(handler({ Records: [alarmRecord('ALARM')] })).rejects.toThrow(/not hold a Discord webhook/);
    expect(received).toHaveLength(0);
    expect(isDiscordWebhookUrl(WEBHOOK)).toBe(true);
    expect(isDiscordWebhookUrl(`${WEBHOOK}?wait=true`)).toBe(false);
  });

  it('passes non-alarm notifications through as clipped plain text', () => {
    const message = discordMessage({ Sns: { Subject: 'Hello', Message: 'x'.repeat(5_000) } });
    expect(String(message.content).length).toBeLessThanOrEqual(1_900);
    expect(message.allowed_mentions).toEqual({ parse: [] });
  });
});
