import { callbackRetryIsFutile, snowflakeTimestamp } from '../../app/discord/interaction-deadline';

describe('initial callback deadline', () => {
  // 175928847299117063 is Discord's documented example: 2016-04-30T11:18:25.796Z.
  const created = Date.parse('2016-04-30T11:18:25.796Z');
  const url =
    'https://discord.com/api/v10/interactions/175928847299117063/aW50ZXJhY3Rpb24/callback?with_response=false';

  it('reads the creation time from the snowflake', () => {
    expect(snowflakeTimestamp('175928847299117063')).toBe(created);
  });

  it('retries a callback while Retry-After still ends inside the 3 s window', () => {
    expect(callbackRetryIsFutile(url, 1_000, created + 500)).toBe(false);
    expect(callbackRetryIsFutile(url, 1_000, created + 1_999)).toBe(false);
  });

  it('gives up once the retry would land after the window', () => {
    expect(callbackRetryIsFutile(url, 1_000, created + 2_001)).toBe(true);
    expect(callbackRetryIsFutile(url, 10_000, created)).toBe(true);
  });

  it('never gives up on follow-ups, edits or other routes', () => {
    const edit = 'https://discord.com/api/v10/webhooks/1/aW50/messages/%40original';
    expect(callbackRetryIsFutile(edit, 60_000, created + 60_000)).toBe(false);
    expect(callbackRetryIsFutile('https://discord.com/api/v10/channels/1/messages', 60_000, Date.now())).toBe(false);
  });
});
