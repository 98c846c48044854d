/**
 * End to end: the bundled bot as its own process, the Discord simulator, the real test database.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { defaultCatalog } from '../../app/domain/default-catalog';
import { discloseBanner } from '../../app/domain/disclosure';
import { formatPercent } from '../../app/domain/rates';
import { auditLedger } from '../../app/storage/ledger-audit';
import {
  DiscordSimulator,
  EDIT_ORIGINAL,
  FOLLOW_UP,
  PERMISSION_MANAGE_GUILD,
  simSnowflake,
  type InteractionReply,
} from '../discord-simulator/discord-simulator';
import { testMongoUri } from '../support/test-database';
import { eventually } from '../support/eventually';
import { FAKE_TOKEN, startBot, type BotProcess } from './bot-process';
import { replyText } from './reply-text';

const EPHEMERAL = 64;
let sim: DiscordSimulator;
let bot: BotProcess;
let mongo: MongoClient;
const database = `t_e2e_${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  sim = new DiscordSimulator();
  await sim.start();
  sim.addGuild('Guild A');
  sim.addGuild('Guild B');
  sim.addGuild('Guild C');
  mongo = new MongoClient(testMongoUri());
  await mongo.connect();
  bot = await startBot({ apiBase: sim.restBase, mongoUri: testMongoUri(), database });
  await sim.waitForIdentify();
  await bot.waitForLog(/gateway ready/);
});

afterAll(async () => {
  await bot.stop();
  await sim.stop();
  await mongo.db(database).dropDatabase();
  await mongo.close();
});

function guild(i: number) {
  const g = sim.guilds[i];
  if (!g) throw new Error('no guild');
  return g;
}

function text(reply: InteractionReply): string {
  return replyText(reply);
}

function isEphemeral(reply: InteractionReply): boolean {
  return (Number(reply.data.flags ?? 0) & EPHEMERAL) === EPHEMERAL;
}

async function command(
  guildIndex: number,
  userId: string,
  commandName: string,
  options: {
    subcommand?: string;
    options?: { name: string; type: number; value: string | number | boolean }[];
    locale?: string;
    permissions?: string;
  } = {},
): Promise<InteractionReply> {
  const id = sim.sendInteraction({
    guildId: guild(guildIndex).id,
    member: { userId, ...(options.permissions ? { permissions: options.permissions } : {}) },
    commandName,
    ...(options.subcommand ? { subcommand: options.subcommand } : {}),
    ...(options.options ? { options: options.options } : {}),
    locale: options.locale ?? 'en-US',
  });
  return sim.waitForAnswer(id);
}

const INTEGER = 4;
const DEFERRED = 5;

/** Answered exactly once: one interaction callback, and if it was a deferral, one edit with the answer. */
function expectAnsweredOnce(interactionId: string): void {
  const replies = sim.repliesTo(interactionId);
  const callbacks = replies.filter((r) => r.type < EDIT_ORIGINAL);
  expect(callbacks).toHaveLength(1);
  if (callbacks[0]?.type === DEFERRED) {
    expect(replies.filter((r) => r.type === EDIT_ORIGINAL || r.type === FOLLOW_UP)).toHaveLength(1);
  }
}

describe('process', () => {
  it('says once that metrics are off when METRICS_ENABLED is not set, and never logs the token', () => {
    expect(bot.lines.filter((l) => l.includes('metrics disabled'))).toHaveLength(1);
    expect(bot.lines.some((l) => l.includes(FAKE_TOKEN))).toBe(false);
  });

  it('answers /healthz and /readyz on loopback with gateway and database state', async () => {
    const line = await bot.waitForLog(/health endpoint/);
    const { port } = JSON.parse(line) as { port: number };
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', gateway: 'Ready', lastMetricsFlush: null });
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: true });
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
  });
});

describe('players', () => {
  it('single and 10-pulls reply with the items, charge once and record history', async () => {
    const user = simSnowflake();
    const single = await command(0, user, 'gacha', { subcommand: 'pull' });
    expect(isEphemeral(single)).toBe(false);
    expect(text(single)).toMatch(/Pull · Standard Banner/);
    expect(text(single)).toMatch(/Balance 900/);
    await new Promise((r) => setTimeout(r, 2_100)); // pull cooldown (default 2 s)
    const ten = await command(0, user, 'gacha', {
      subcommand: 'pull',
      options: [{ name: 'count', type: INTEGER, value: 10 }],
    });
    const history = await mongo
      .db(database)
      .collection('gacha_history')
      .countDocuments({ guildId: guild(0).id, userId: user });
    expect(history).toBe(1);
    // 900 left cannot pay a 10-pull (1,000): a clear ephemeral error, nothing charged.
    expect(isEphemeral(ten)).toBe(true);
    expect(text(ten)).toMatch(/Not enough coins: this costs 1,000, you have 900/);

    const other = simSnowflake();
    await command(0, other, 'daily');
    const tenPull = await command(0, other, 'gacha', {
      subcommand: 'pull',
      options: [{ name: 'count', type: INTEGER, value: 10 }],
    });
    expect(isEphemeral(tenPull)).toBe(false);
    expect(text(tenPull)).toMatch(/10-pull · Standard Banner/);
    expect(text(tenPull)).toMatch(/Cost 1,000 coins · Balance 300 coins/);
    expect(
      text(tenPull).match(/^\S+ \*\*.+\*\* · (Normal|Rare|Super Rare|Super Super Rare|Ultra Rare)\b/gm),
    ).toHaveLength(10);
    // History follows the charge by the bot's batching delay.
    const recorded = await eventually(
      () =>
        mongo
          .db(database)
          .collection('gacha_history')
          .countDocuments({ guildId: guild(0).id, userId: other }),
      (count) => count >= 10,
    );
    expect(recorded).toBe(10);
  });

  it('answers in Japanese for a Japanese client', async () => {
    const reply = await command(0, simSnowflake(), 'daily', { locale: 'ja' });
    expect(text(reply)).toMatch(/デイリー報酬: \+300/);
  });

  it('pays the daily reward once per day', async () => {
    const user = simSnowflake();
    expect(text(await command(0, user, 'daily'))).toMatch(/Daily reward: \+300 coins.*Balance 1,300 coins/);
    await new Promise((r) => setTimeout(r, 1_100));
    const again = await command(0, user, 'daily');
    expect(isEphemeral(again)).toBe(true);
    expect(text(again)).toMatch(/already claimed/);
  });

  it('publishes the same odds as the engine computes', async () => {
    const reply = await command(0, simSnowflake(), 'gacha', { subcommand: 'rates' });
    const disclosure = discloseBanner(defaultCatalog(), 'standard');
    const ur = disclosure.tiers.find((t) => t.tierId === 'UR');
    expect(ur).toBeDefined();
    expect(text(reply)).toContain(
      `${formatPercent(ur?.baseProbability ?? 0, 4)} → ${formatPercent(ur?.consolidatedSingle ?? 0, 4)}`,
    );
    expect(text(reply)).toContain(disclosure.expectedPullsToTop.toFixed(1));
  });

  it('keeps two guilds apart for the same user', async () => {
    const user = simSnowflake();
    await command(0, user, 'gacha', { subcommand: 'pull' });
    const profileB = await command(1, user, 'profile');
    expect(text(profileB)).toMatch(/Balance \(coins\)\n1,000/);
    expect(text(profileB)).toMatch(/Total pulls\n0/);
  });
});

describe('admins', () => {
  it('refuses admin commands to members without Manage Server, even if Discord let them through', async () => {
    const reply = await command(0, simSnowflake(), 'gacha-admin', {
      subcommand: 'set-cost',
      options: [
        { name: 'single', type: INTEGER, value: 1 },
        { name: 'ten', type: INTEGER, value: 10 },
      ],
    });
    expect(isEphemeral(reply)).toBe(true);
    expect(text(reply)).toMatch(/Manage Server/);
    const settings = await mongo
      .db(database)
      .collection('server_settings')
      .countDocuments({ guildId: guild(0).id });
    expect(settings).toBe(0);
  });

  it('lets an admin change the price, and audits who did it', async () => {
    const admin = simSnowflake();
    const reply = await command(1, admin, 'gacha-admin', {
      subcommand: 'set-cost',
      permissions: String(PERMISSION_MANAGE_GUILD),
      options: [
        { name: 'single', type: INTEGER, value: 50 },
        { name: 'ten', type: INTEGER, value: 450 },
      ],
    });
    expect(text(reply)).toMatch(/Done: a single pull costs 50 coins, a 10-pull 450 coins/);
    const revision = await mongo
      .db(database)
      .collection('server_settings')
      .findOne({ guildId: guild(1).id });
    expect(revision?.actorId).toBe(admin);
    const pull = await command(1, simSnowflake(), 'gacha', { subcommand: 'pull' });
    expect(text(pull)).toMatch(/Cost 50 coins · Balance 950 coins/);
  });

  it('rejects bad admin input with a clear error and changes nothing', async () => {
    const reply = await command(0, simSnowflake(), 'gacha-admin', {
      subcommand: 'set-cost',
      permissions: String(PERMISSION_MANAGE_GUILD),
      options: [
        { name: 'single', type: INTEGER, value: 10 },
        { name: 'ten', type: INTEGER, value: 500 },
      ],
    });
    expect(isEphemeral(reply)).toBe(true);
    expect(text(reply)).toMatch(/not accepted; nothing changed\.\n.*10-pull may not cost more than ten single pulls/);
    expect(
      await mongo
        .db(database)
        .collection('server_settings')
        .countDocuments({ guildId: guild(0).id }),
    ).toBe(0);
  });
});

describe('admin pool import and export', () => {
  const ADMIN = String(PERMISSION_MANAGE_GUILD);
  const ATTACHMENT = 11;

  async function importFile(guildIndex: number, admin: string, content: string): Promise<InteractionReply> {
    const fileId = simSnowflake();
    const id = sim.sendInteraction({
      guildId: guild(guildIndex).id,
      member: { userId: admin, permissions: ADMIN },
      commandName: 'gacha-admin',
      subcommand: 'import',
      options: [{ name: 'file', type: ATTACHMENT, value: fileId }],
      attachments: [{ id: fileId, filename: 'pool.json', content }],
    });
    return sim.waitForAnswer(id);
  }

  it('rejects malformed JSON with a clear error and changes nothing', async () => {
    const guildIndex = 2;
    const reply = await importFile(guildIndex, simSnowflake(), '{"tiers": [ {"id": "N",');
    expect(isEphemeral(reply)).toBe(true);
    expect(text(reply)).toMatch(/not accepted; nothing changed\.\nThe file is not valid JSON/);
    const wrongShape = await importFile(guildIndex, simSnowflake(), JSON.stringify({ tiers: [], items: 'many' }));
    expect(text(wrongShape)).toMatch(/not accepted; nothing changed\.\n• `/);
    expect(
      await mongo
        .db(database)
        .collection('server_settings')
        .countDocuments({ guildId: guild(guildIndex).id }),
    ).toBe(0);
  });

  it('exports the pool as a JSON file, imports an edited copy after a preview and a confirm', async () => {
    const guildIndex = 2;
    const admin = simSnowflake();
    const exportId = sim.sendInteraction({
      guildId: guild(guildIndex).id,
      member: { userId: admin, permissions: ADMIN },
      commandName: 'gacha-admin',
      subcommand: 'export',
    });
    const exported = await sim.waitForAnswer(exportId);
    const files = exported.data.files as { name: string; content: string }[];
    expect(files[0]?.name).toBe('gacha-catalog.json');
    const catalog = JSON.parse(files[0]?.content ?? '{}') as ReturnType<typeof defaultCatalog>;
    expect(catalog.items).toHaveLength(defaultCatalog().items.length);

    catalog.pullCost = 70;
    catalog.tenPullCost = 600;
    const preview = await importFile(guildIndex, admin, JSON.stringify(catalog));
    expect(text(preview)).toMatch(/Preview: import/);
    expect(
      await mongo
        .db(database)
        .collection('server_settings')
        .countDocuments({ guildId: guild(guildIndex).id }),
    ).toBe(0);
    const components = preview.data.components as { components: { custom_id: string }[] }[];
    const confirmId = components[0]?.components[0]?.custom_id ?? '';
    expect(confirmId).toMatch(/^gacha-admin:apply:/);

    // Another member cannot confirm someone else's import.
    const stranger = sim.sendInteraction({
      guildId: guild(guildIndex).id,
      member: { userId: simSnowflake(), permissions: ADMIN },
      commandName: 'gacha-admin',
      customId: confirmId,
    });
    expect(text(await sim.waitForAnswer(stranger))).toMatch(/expired/);

    const confirm = sim.sendInteraction({
      guildId: guild(guildIndex).id,
      member: { userId: admin, permissions: ADMIN },
      commandName: 'gacha-admin',
      customId: confirmId,
    });
    expect(text(await sim.waitForAnswer(confirm))).toMatch(/Applied: import/);
    const pull = await command(guildIndex, simSnowflake(), 'gacha', { subcommand: 'pull' });
    expect(text(pull)).toMatch(/Cost 70 coins · Balance 930 coins/);
  });

  it('creates a limited banner that players can pull on', async () => {
    const guildIndex = 2;
    const admin = simSnowflake();
    const preview = await command(guildIndex, admin, 'gacha-admin', {
      subcommand: 'create-banner',
      permissions: ADMIN,
      options: [
        { name: 'id', type: 3, value: 'orochi-fest' },
        { name: 'name', type: 3, value: '大蛇祭' },
        { name: 'other-name', type: 3, value: 'Orochi Festival' },
        { name: 'featured', type: 3, value: 'yamata-no-orochi' },
        { name: 'ends', type: 3, value: new Date(Date.now() + 86_400_000).toISOString() },
      ],
    });
    expect(text(preview)).toMatch(/Preview: create-banner orochi-fest/);
    const rows = preview.data.components as { components: { custom_id: string }[] }[];
    const created = sim.sendInteraction({
      guildId: guild(guildIndex).id,
      member: { userId: admin, permissions: ADMIN },
      commandName: 'gacha-admin',
      customId: rows[0]?.components[0]?.custom_id ?? '',
    });
    expect(text(await sim.waitForAnswer(created))).toMatch(/Applied: create-banner orochi-fest/);
    const pull = await command(guildIndex, simSnowflake(), 'gacha', {
      subcommand: 'pull',
      options: [{ name: 'banner', type: 3, value: 'orochi-fest' }],
    });
    expect(text(pull)).toMatch(/Pull · Orochi Festival/);
  });
});

describe('Discord failures', () => {
  it('retries a 429 on the callback after Retry-After and then answers', async () => {
    sim.force429(1, 0.3);
    const started = Date.now();
    const reply = await command(0, simSnowflake(), 'profile');
    expect(text(reply)).toMatch(/Balance \(coins\)/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(sim.calls.some((c) => c.status === 429 && c.path.includes('/callback'))).toBe(true);
  });

  it('resumes after a forced reconnect: no interaction lost, none answered twice', async () => {
    const users = Array.from({ length: 20 }, () => simSnowflake());
    const ids: string[] = [];
    users
      .slice(0, 10)
      .forEach((userId) =>
        ids.push(sim.sendInteraction({ guildId: guild(0).id, member: { userId }, commandName: 'daily' })),
      );
    sim.forceReconnect('close4000');
    users
      .slice(10)
      .forEach((userId) =>
        ids.push(sim.sendInteraction({ guildId: guild(0).id, member: { userId }, commandName: 'daily' })),
      );
    await Promise.all(ids.map((id) => sim.waitForReply(id, 15_000)));
    await new Promise((r) => setTimeout(r, 500));
    for (const id of ids) expectAnsweredOnce(id);
    expect(sim.gatewayLog).toContain('resume');
    expect((await auditLedger(mongo.db(database), guild(0).id)).problems).toEqual([]);
  });
});

describe('shutdown', () => {
  it('answers every accepted interaction when stopped with SIGTERM during a burst, then exits 0', async () => {
    const ids = Array.from({ length: 40 }, () =>
      sim.sendInteraction({
        guildId: guild(0).id,
        member: { userId: simSnowflake() },
        commandName: 'gacha',
        subcommand: 'pull',
        options: [{ name: 'count', type: INTEGER, value: 10 }],
      }),
    );
    await sim.waitForReply(ids[0] ?? '');
    const code = await bot.stop('SIGTERM');
    expect(code).toBe(0);
    const accepted = await mongo
      .db(database)
      .collection('player_ledger')
      .find({ guildId: guild(0).id, kind: 'pull', interactionId: { $in: ids } })
      .toArray();
    for (const event of accepted) expectAnsweredOnce(String(event.interactionId));
    expect(accepted.length).toBeGreaterThan(0);
    expect((await auditLedger(mongo.db(database), guild(0).id)).problems).toEqual([]);
  });
});
