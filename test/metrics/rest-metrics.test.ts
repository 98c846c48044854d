import { REST } from 'discord.js';
import { recordRestResponse } from '../../app/metrics/bot-metrics';
import { MetricsRecorder } from '../../app/metrics/metrics-recorder';
import { useSimulator } from '../discord-simulator/use-simulator';
import { FAKE_TOKEN } from '../e2e/bot-process';

describe('Discord REST metrics against the simulator', () => {
  const env = useSimulator();

  it('reads rate-limit headroom from X-RateLimit-* headers and counts a forced 429', async () => {
    const recorder = new MetricsRecorder();
    const rest = new REST({ api: env.sim.restBase }).setToken(FAKE_TOKEN);
    rest.on('response', (_request, response) => {
      recordRestResponse(recorder, response.status, response.headers);
    });
    await rest.get('/gateway/bot');
    env.sim.force429(1, 0.05);
    await rest.get('/gateway/bot');
    const drained = recorder.drain();
    const headroom = drained.find((m) => m.key === 'rateLimitHeadroom');
    // The simulator answers limit 5 / remaining 4 (80 %), and 0 on the 429.
    expect(headroom?.stats.maximum).toBe(80);
    expect(headroom?.stats.minimum).toBe(0);
    expect(drained.find((m) => m.key === 'rest429')?.stats.sum).toBe(1);
    expect(drained.find((m) => m.key === 'invalidRequests')?.stats.sum).toBe(1);
    expect(drained.find((m) => m.key === 'globalRateLimitHits')).toBeUndefined();
  });
});
