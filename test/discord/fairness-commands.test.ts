/**
 * /gacha seed, verify, history-export and audit through the real discord.js client, the simulator
 * (which checks every reply against Discord's limits) and the test database: a real pull's inputs,
 * pending until its seed is revealed and verified after; the exported file verifies with the
 * standalone verifier; the audit's verdict is right on a fair history and flags one drawn with
 * rates 20 % off, in both languages; a refused client seed is not echoed.
 */
import type { Catalog } from '../../app/domain/catalog';
import { defaultCatalog } from '../../app/domain/default-catalog';
import { initialPlayerState } from '../../app/domain/player-state';
import { performPull } from '../../app/domain/pull-engine';
import { COLLECTIONS } from '../../app/storage/collections';
import { nodeHmacSha256 } from '../../app/verifier/node-hmac';
import { verifyExport } from '../../app/verifier/verify-export';
import { type DiscordSimulator, simSnowflake } from '../discord-simulator/discord-simulator';
import { SeededRng } from '../support/seeded-rng';
import { type InProcessBot, startInProcessBot } from './in-process-bot';

const HOUR = 3_600_000;
const EPHEMERAL = 64;
let clock = Date.now();
const now = () => new Date(clock);
let bot: InProcessBot;
let sim: DiscordSimulator;
let guildId: string;

beforeAll(async () => {
  bot = await startInProcessBot(
    'Fairness',
    { now: () => clock },
    {
      stores: {
        now,
        projectionDelayMs: 0,
        seedRotation: { maxAgeMs: HOUR, maxPulls: 10_000, revealDelayMs: 60_000 },
        seedCacheTtlMs: 0,
      },
      gacha: { now },
    },
  );
  sim = bot.sim;
  guildId = sim.guilds[0]?.id ?? '';
});
afterAll(async () => bot.close());

type Option = { name: string; type: number; value: string | number };

async function run(userId: string, subcommand: string, options: Option[] = [], locale = 'en') {
  clock += 2_000; // past the 1 s cooldowns
  const id = sim.sendInteraction({
    guildId,
    member: { userId },
    commandName: 'gacha',
    subcommand,
    options,
    locale,
  });
  return (await sim.waitForAnswer(id)).data;
}

function text(data: Record<string, unknown>): string {
  return JSON.stringify({ content: data.content, embeds: data.embeds });
}

describe('/gacha seed, verify and history-export', () => {
  const user = simSnowflake();

  it('shows the commitments, sets a client seed for the next pull, refuses a bad one without echoing it', async () => {
    const shown = await run(user, 'seed', [], 'ja');
    expect(Number(shown.flags) & EPHEMERAL).toBe(EPHEMERAL);
    expect(text(shown)).toMatch(/コミットメント/);
    expect(text(shown)).toMatch(/[0-9a-f]{64}/);
    expect(text(shown)).toMatch(/未設定/);
    // How to set a seed and verify, in the description where mentions are clickable (a footer shows
    // none). This bot has not learned the command ids, so a mention is the plain-text fallback.
    const seedEmbed = (shown.embeds as { description?: string; footer?: unknown }[] | undefined)?.[0];
    expect(seedEmbed?.description).toContain(
      '/gacha seed の「クライアントシード」で設定できます。抽選の検証は /gacha verify で。',
    );
    expect(seedEmbed?.footer).toBeUndefined();

    const refused = await run(user, 'seed', [{ name: 'client-seed', type: 3, value: 'has space <@everyone>' }]);
    expect(String(refused.content)).toMatch(/1 to 64 printable ASCII characters/);
    expect(text(refused)).not.toContain('everyone');

    const set = await run(user, 'seed', [{ name: 'client-seed', type: 3, value: 'my_lucky*seed' }]);
    expect(text(set)).toMatch(/Your client seed is now my\\\\_lucky\\\\\*seed/);
  });

  it('a real 10-pull is pending until its seed is revealed, then verifies; the export verifies with the CLI code', async () => {
    clock += 2_000;
    const pullId = sim.sendInteraction({
      guildId,
      member: { userId: user },
      commandName: 'gacha',
      subcommand: 'pull',
      options: [{ name: 'count', type: 4, value: 10 }],
    });
    await sim.waitForAnswer(pullId);

    const pending = await run(user, 'verify');
    expect(text(pending)).toMatch(/Cannot be checked yet/);
    expect(text(pending)).toMatch(/my\\\\_lucky\\\\\*seed/);
    expect(text(pending)).toMatch(/Rate table: revision 0/);

    clock += HOUR + 1;
    await run(user, 'seed'); // the next epoch starts
    clock += 60_001; // the old seed is revealed

    const verified = await run(user, 'verify', [], 'ja');
    expect(text(verified)).toMatch(/検証成功/);
    expect(text(verified)).toMatch(/サーバーシード（公開済み）/);

    const exported = await run(user, 'history-export');
    expect(String(exported.content)).toMatch(/Your history: 1 pulls \(1 verifiable now, 0 waiting/);
    const files = exported.files as { name: string; content: string }[];
    expect(files[0]?.name).toBe('gacha-history.json');
    const report = verifyExport(JSON.parse(files[0]?.content ?? '') as unknown, { hmac: nodeHmacSha256 });
    expect(report).toMatchObject({ ok: true, pulls: 1, verified: 1 });

    const missing = await run(user, 'verify', [{ name: 'pull', type: 4, value: 999 }]);
    expect(String(missing.content)).toBe('You have no verifiable pull at #999.');
  });

  it('answers a player with no history', async () => {
    const nobody = simSnowflake();
    expect(String((await run(nobody, 'verify', [], 'ja')).content)).toBe('検証できる抽選はまだありません。');
    expect(String((await run(nobody, 'history-export')).content)).toBe('You have no history to export yet.');
  });
});

/** Writes `draws` history documents of `catalog`'s draws for the guild (as the projection would). */
async function seedHistory(guild: string, catalog: Catalog, draws: number): Promise<void> {
  const rng = new SeededRng(11);
  let state = initialPlayerState(Number.MAX_SAFE_INTEGER);
  const docs: Record<string, unknown>[] = [];
  for (let n = 0; docs.length < draws; n++) {
    const count = n % 4 === 0 ? 10 : 1;
    const outcome = performPull(catalog, 'standard', count, state, rng, now());
    state = { ...outcome.state, owned: {} };
    outcome.items.forEach((item, index) => {
      docs.push({
        _id: `${guild}:u:pull:${n}:${index}`,
        guildId: guild,
        userId: 'u',
        interactionId: null,
        eventSeq: n + 1,
        index,
        source: 'pull',
        bannerId: 'standard',
        tierId: item.tierId,
        itemId: item.itemId,
        pityCount: item.pityCount,
        featured: item.featured,
        duplicate: false,
        guaranteeSlot: item.guaranteeSlot,
        tenPull: count === 10,
        at: new Date(clock - 3 * 86_400_000 + n * 1_000),
      });
    });
  }
  await bot.database.db.collection<Record<string, unknown>>(COLLECTIONS.history).insertMany(docs);
}

/** The published catalog, but every tier above N drawn at 80 % of its published rate. */
function riggedCatalog(): Catalog {
  const catalog = defaultCatalog();
  let taken = 0;
  for (const tier of catalog.tiers) {
    if (tier.id === 'N') continue;
    const lowered = Math.round(tier.ratePpm * 0.8);
    taken += tier.ratePpm - lowered;
    tier.ratePpm = lowered;
  }
  const common = catalog.tiers.find((t) => t.id === 'N');
  if (common) common.ratePpm += taken;
  return catalog;
}

describe('/gacha audit', () => {
  it('finds a fair history consistent and flags one drawn with rates 20 % off, in both languages', async () => {
    const fair = sim.addGuild('Fair').id;
    const rigged = sim.addGuild('Rigged').id;
    await seedHistory(fair, defaultCatalog(), 3_000);
    await seedHistory(rigged, riggedCatalog(), 3_000);
    const audit = async (guild: string, locale: string) => {
      clock += 2_000;
      const id = sim.sendInteraction({
        guildId: guild,
        member: { userId: simSnowflake() },
        commandName: 'gacha',
        subcommand: 'audit',
        options: [{ name: 'period', type: 3, value: 'week' }],
        locale,
      });
      return text((await sim.waitForAnswer(id, 60_000)).data);
    };
    const fairEn = await audit(fair, 'en');
    expect(fairEn).toMatch(/✅/);
    expect(fairEn).toMatch(/are consistent with the published rates/);
    expect(fairEn).toMatch(/Fresh-pity pulls vs base rates/);
    expect(fairEn).toMatch(/Pulls to the top tier: \d+ runs/);
    expect(await audit(fair, 'ja')).toMatch(/公表された排出率と矛盾しません/);
    const riggedEn = await audit(rigged, 'en');
    expect(riggedEn).toMatch(/⚠️/);
    expect(riggedEn).toMatch(/do NOT match the published rates/);
    expect(await audit(rigged, 'ja')).toMatch(/公表された排出率と一致しません/);
    // Again, now from the daily rollups written by the first audit: the same answer.
    expect(await audit(rigged, 'en')).toBe(riggedEn);
  }, 240_000);
});
