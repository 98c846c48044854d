/**
 * Fault drills, end to end: the bundled bot as a process, the Discord simulator, a real
 * MongoDB-wire server. Each drill ends with the whole-database invariant check. Durations are
 * shortened for CI; `npm run drills` runs the full-length versions (30 s outage, 20 s of 429).
 */
import { collections } from '../../app/storage/collections';
import { simSnowflake } from '../discord-simulator/discord-simulator';
import {
  type Drill,
  EPHEMERAL,
  acceptedCallbacks,
  answers,
  checkInvariants,
  finalAnswers,
  loggedMetricTotals,
  openDrill,
  pullStorm,
  seedPlayers,
  sendPull,
} from './drill-kit';

const OUTAGE_MS = Number(process.env.DRILL_OUTAGE_MS ?? 8_000);
const RATE_LIMIT_MS = Number(process.env.DRILL_429_MS ?? 5_000);

jest.setTimeout(180_000);

describe('fault drills', () => {
  let drill: Drill | undefined;
  afterEach(async () => {
    await drill?.close();
    drill = undefined;
  });

  it('kill -9 during a pull storm, then restart: success replies are charged and recorded once, nothing half-done', async () => {
    drill = await openDrill();
    const d = drill;
    const players = await seedPlayers(d.db, d.guilds, 40);
    const first = await d.startBot();
    let killed = false;
    const before = await pullStorm(d.sim, players, 240, 120, (sent) => {
      if (sent === 120 && !killed) {
        killed = true;
        first.child.kill('SIGKILL');
      }
    });
    await first.stop('SIGKILL');
    const beforeAnswers = await answers(d.sim, before, 3_000);
    const second = await d.startBot();
    await second.waitForLog(/database ready/);
    const after = await pullStorm(d.sim, players, 60, 60);
    const afterAnswers = await answers(d.sim, after);
    expect(afterAnswers.every((a) => a.ok)).toBe(true);
    const report = await checkInvariants(d.db, [...beforeAnswers, ...afterAnswers]);
    expect(report.problems).toEqual([]);
    expect(beforeAnswers.filter((a) => a.ok).length).toBeGreaterThan(0);
    expect(beforeAnswers.filter((a) => a.ok).length).toBeLessThan(before.length);
  });

  it('database stopped mid-load: the bot stays up, answers with a clear ephemeral error, charges nothing, recovers', async () => {
    drill = await openDrill({ dedicatedDatabase: true });
    const d = drill;
    const ferretdb = d.ferretdb;
    if (!ferretdb) throw new Error('no dedicated database');
    const players = await seedPlayers(d.db, d.guilds, 20);
    const bot = await d.startBot();
    const warm = await answers(d.sim, await pullStorm(d.sim, players, 20, 40));
    expect(warm.every((a) => a.ok)).toBe(true);

    await ferretdb.halt();
    const outageStarted = Date.now();
    const during: string[] = [];
    while (Date.now() - outageStarted < OUTAGE_MS) {
      during.push(sendPull(d.sim, players[during.length % players.length] ?? players[0]!));
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const duringAnswers = await answers(d.sim, during, 20_000);
    await ferretdb.restart();
    expect(bot.child.exitCode).toBeNull();
    for (const a of duringAnswers) {
      expect(a.reply).toBeDefined();
      expect(a.ok).toBe(false);
      expect(Number(a.reply?.data.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
      expect(JSON.stringify(a.reply?.data)).toMatch(/try again|もう一度/i);
    }
    // Recovers on its own: pulls succeed again without a restart.
    let recovered = false;
    for (let attempt = 0; attempt < 30 && !recovered; attempt += 1) {
      const [probe] = await answers(d.sim, [sendPull(d.sim, players[0]!)], 15_000);
      recovered = probe?.ok ?? false;
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(recovered).toBe(true);
    const report = await checkInvariants(d.db, [...warm, ...duringAnswers]);
    expect(report.problems).toEqual([]);
    const charged = await collections(d.db).ledger.countDocuments({ interactionId: { $in: during } });
    expect(charged).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(loggedMetricTotals(bot).ErrorsTotal ?? 0).toBeGreaterThanOrEqual(during.length);
  });

  it('Discord answers 429 on callbacks for a while: the bot obeys Retry-After, stays far from the ban threshold, metrics show it', async () => {
    drill = await openDrill();
    const d = drill;
    const players = await seedPlayers(d.db, d.guilds, 30);
    const bot = await d.startBot();
    const retryAfterSeconds = 1;
    const windowStart = Date.now();
    d.sim.rateLimitFor(RATE_LIMIT_MS, retryAfterSeconds);
    const during = await pullStorm(d.sim, players, Math.round((RATE_LIMIT_MS / 1000) * 6), 6);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, windowStart + RATE_LIMIT_MS - Date.now()) + 4_000));
    const duringAnswers = await answers(d.sim, during, 1_000);
    // After the window the bot answers normally again.
    const after = await answers(d.sim, await pullStorm(d.sim, players, 30, 15));
    expect(after.every((a) => a.ok)).toBe(true);
    expect(bot.child.exitCode).toBeNull();

    // Every retry of one callback waited at least Retry-After after its 429…
    const byPath = new Map<string, { status: number; at: number }[]>();
    for (const call of d.sim.calls.filter((c) => c.path.endsWith('/callback'))) {
      byPath.set(call.path, [...(byPath.get(call.path) ?? []), call]);
    }
    let retries = 0;
    for (const calls of byPath.values()) {
      for (let i = 1; i < calls.length; i += 1) {
        const previous = calls[i - 1];
        const current = calls[i];
        if (previous?.status === 429 && current) {
          retries += 1;
          expect(current.at - previous.at).toBeGreaterThanOrEqual(retryAfterSeconds * 1000 - 50);
        }
      }
      // …and no initial callback was retried past Discord's 3 s window.
      expect(calls.length).toBeLessThanOrEqual(4);
    }
    expect(retries).toBeGreaterThan(0);
    // Invalid requests stay bounded by the interactions (≤ 4 each), far below 10,000 per 10 minutes.
    const invalid = d.sim.calls.filter((c) => c.status === 429 || c.status === 401 || c.status === 403).length;
    expect(invalid).toBeLessThanOrEqual(during.length * 4);
    expect(invalid).toBeLessThan(1_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const metrics = loggedMetricTotals(bot);
    expect(metrics.DiscordRest429).toBe(invalid);
    expect(metrics.DiscordInvalidRequests).toBe(invalid);
    expect(metrics['DiscordRateLimitHeadroom:min']).toBe(0);
    expect((await checkInvariants(d.db, [...duringAnswers, ...after])).problems).toEqual([]);
  });

  it('gateway closed with a resumable code mid-load: the client resumes, replayed interactions are not charged twice', async () => {
    drill = await openDrill();
    const d = drill;
    const players = await seedPlayers(d.db, d.guilds, 30);
    await d.startBot();
    let closes = 0;
    // Two closes 1.6 s apart (the client waits ~0.5 s before it resumes).
    const ids = await pullStorm(d.sim, players, 300, 100, (sent) => {
      if (sent === 60 || sent === 220) {
        closes += 1;
        d.sim.forceReconnect(sent === 60 ? 'close4000' : 'drop');
      }
    });
    const answered = await answers(d.sim, ids);
    expect(closes).toBe(2);
    expect(d.sim.gatewayLog.filter((e) => e === 'resume').length).toBeGreaterThanOrEqual(2);
    expect(answered.every((a) => a.ok)).toBe(true);
    for (const id of ids) expect(finalAnswers(d.sim, id)).toBe(1);
    expect((await checkInvariants(d.db, answered)).problems).toEqual([]);
  });

  it('release overlap: a second process starts while the first drains; nothing is lost or double-charged', async () => {
    drill = await openDrill({ broadcastInteractions: true });
    const d = drill;
    const players = await seedPlayers(d.db, d.guilds, 30);
    const old = await d.startBot();
    let release: Promise<void> | undefined;
    const ids = await pullStorm(d.sim, players, 160, 40, (sent) => {
      if (sent === 40) {
        release = (async () => {
          await d.startBot(); // the new slot: both sessions now receive every interaction
          await new Promise((resolve) => setTimeout(resolve, 500));
          await old.stop('SIGTERM'); // the old slot drains and exits
        })();
      }
    });
    await release;
    const answered = await answers(d.sim, ids);
    expect(answered.every((a) => a.ok)).toBe(true);
    for (const id of ids) expect(acceptedCallbacks(d.sim, id)).toBe(1);
    expect((await checkInvariants(d.db, answered)).problems).toEqual([]);
    expect(old.child.exitCode).toBe(0);
  });

  it('malformed input (fuzzed import files and command options): always a clear error, no crash, nothing changed', async () => {
    drill = await openDrill();
    const d = drill;
    const bot = await d.startBot();
    const guild = d.guilds[0];
    if (!guild) throw new Error('no guild');
    let seed = 20_261_129;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const junk = (): string => {
      const kinds = [
        () => 'x'.repeat(5_000 + Math.floor(random() * 20_000)),
        () => Array.from({ length: 50 }, () => String.fromCodePoint(Math.floor(random() * 0x2ffff) + 1)).join(''),
        () => '\u0000\u202e💥<@&123456789012345678> @everyone',
        () => '{"tiers":[{"id":"N","rate":"lots"}]',
        () => JSON.stringify({ tiers: 'none', items: [], banners: [{ id: 1 }] }),
        () => JSON.stringify({ deep: JSON.parse('['.repeat(400) + ']'.repeat(400)) as unknown }),
        () => '',
        () => '-1e309',
      ];
      return pick(kinds)();
    };
    const outOfRange = (): number => pick([-1, -1_000_000, 1_000_000_001, 2 ** 53, 86_401]);
    const settingsBefore = await collections(d.db).settings.countDocuments();
    const ledgerBefore = await collections(d.db).ledger.countDocuments();
    const ids: string[] = [];
    const INTEGER = 4;
    const STRING = 3;
    for (let i = 0; i < 120; i += 1) {
      const admin = simSnowflake();
      const kind = i % 8;
      if (kind === 0) {
        const fileId = simSnowflake();
        ids.push(
          d.sim.sendInteraction({
            guildId: guild.id,
            member: { userId: admin },
            commandName: 'gacha-admin',
            subcommand: 'import',
            options: [{ name: 'file', type: 11, value: fileId }],
            attachments: [{ id: fileId, filename: 'pool.json', content: junk() }],
          }),
        );
        continue;
      }
      const [subcommand, options] = pick<[string, { name: string; type: number; value: string | number | boolean }[]]>([
        [
          'set-cost',
          [
            { name: 'single', type: INTEGER, value: outOfRange() },
            { name: 'ten', type: INTEGER, value: outOfRange() },
          ],
        ],
        ['set-daily', [{ name: 'amount', type: INTEGER, value: outOfRange() }]],
        ['cooldown', [{ name: 'pull', type: INTEGER, value: outOfRange() }]],
        ['set-rates', [{ name: 'rates', type: STRING, value: junk() }]],
        [
          'add-item',
          [
            { name: 'id', type: STRING, value: junk() },
            { name: 'tier', type: STRING, value: junk() },
            { name: 'name-ja', type: STRING, value: junk() },
            { name: 'name-en', type: STRING, value: junk() },
          ],
        ],
        ['remove-item', [{ name: 'id', type: STRING, value: junk() }]],
        [
          'create-banner',
          [
            { name: 'id', type: STRING, value: junk() },
            { name: 'name-ja', type: STRING, value: 'x' },
            { name: 'name-en', type: STRING, value: 'x' },
            { name: 'featured', type: STRING, value: junk() },
            { name: 'ends', type: STRING, value: junk() },
          ],
        ],
        ['end-banner', [{ name: 'id', type: STRING, value: junk() }]],
        [
          'set-cost',
          [
            { name: 'single', type: INTEGER, value: junk() },
            { name: 'ten', type: INTEGER, value: true },
          ],
        ],
      ]);
      ids.push(
        d.sim.sendInteraction({
          guildId: guild.id,
          member: { userId: admin },
          commandName: 'gacha-admin',
          subcommand,
          options,
        }),
      );
      if (i % 5 === 0) {
        ids.push(
          d.sim.sendInteraction({
            guildId: guild.id,
            member: { userId: simSnowflake() },
            commandName: 'gacha',
            subcommand: 'pull',
            options: [
              { name: 'count', type: INTEGER, value: pick([0, -10, 7, 1e12]) },
              { name: 'banner', type: STRING, value: junk() },
            ],
          }),
        );
      }
    }
    const answered = await answers(d.sim, ids, 30_000);
    for (const a of answered) {
      expect(a.reply).toBeDefined();
      expect(a.ok).toBe(false);
      expect(JSON.stringify(a.reply?.data ?? {}).length).toBeLessThan(6_000);
    }
    expect(bot.child.exitCode).toBeNull();
    expect(await collections(d.db).settings.countDocuments()).toBe(settingsBefore);
    expect(await collections(d.db).ledger.countDocuments()).toBe(ledgerBefore);
    const healthy = await answers(d.sim, [
      d.sim.sendInteraction({
        guildId: guild.id,
        member: { userId: simSnowflake() },
        commandName: 'gacha',
        subcommand: 'rates',
      }),
    ]);
    expect(healthy[0]?.reply).toBeDefined();
  });
});
