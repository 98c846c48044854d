/**
 * End to end, the admin's round trip through the Banner Studio: `/gacha-admin export` from the
 * bundled bot → open the file in the studio (Chromium) → change a rate, see the odds the domain
 * computes, fix the validation error shown inline → download (the browser's download event) →
 * `/gacha-admin import` of that exact file as an attachment the simulator serves → Confirm →
 * `/gacha rates` shows the new odds, and the stored settings carry them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { Browser, Page } from 'playwright-core';
import { type Catalog, parseCatalog } from '../../app/domain/catalog';
import { discloseBanner } from '../../app/domain/disclosure';
import { formatPercent } from '../../app/domain/rates';
import { buildStudio } from '../../scripts/build-studio';
import { serveStudio } from '../../scripts/studio-serve';
import {
  DiscordSimulator,
  PERMISSION_MANAGE_GUILD,
  simSnowflake,
  type InteractionReply,
} from '../discord-simulator/discord-simulator';
import { launchChromium, waitForText } from '../studio/browser';
import { testMongoUri } from '../support/test-database';
import { startBot, type BotProcess } from './bot-process';
import { replyText } from './reply-text';

jest.setTimeout(180_000);

const ADMIN = String(PERMISSION_MANAGE_GUILD);
const STRING = 3;
const ATTACHMENT = 11;
const database = `t_e2e_studio_${randomBytes(4).toString('hex')}`;
const admin = simSnowflake();

let dir: string;
let studio: Server;
let studioUrl: string;
let browser: Browser;
let sim: DiscordSimulator;
let bot: BotProcess;
let mongo: MongoClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'studio-import-'));
  await buildStudio(join(dir, 'site'));
  ({ server: studio, url: studioUrl } = await serveStudio(join(dir, 'site'), 0));
  browser = await launchChromium();
  sim = new DiscordSimulator();
  await sim.start();
  sim.addGuild('Studio Guild');
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
  await browser.close();
  await new Promise((resolve) => studio.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function guildId(): string {
  const guild = sim.guilds[0];
  if (!guild) throw new Error('no guild');
  return guild.id;
}

type Option = { name: string; type: number; value: string | number | boolean };

async function command(
  commandName: string,
  subcommand: string,
  options: Option[] = [],
  attachments?: { id: string; filename: string; content: Buffer; contentType: string }[],
): Promise<InteractionReply> {
  const id = sim.sendInteraction({
    guildId: guildId(),
    member: { userId: admin, permissions: ADMIN },
    commandName,
    subcommand,
    options,
    ...(attachments ? { attachments } : {}),
    locale: 'en-US',
  });
  return sim.waitForAnswer(id);
}

async function press(customId: string): Promise<InteractionReply> {
  const id = sim.sendInteraction({
    guildId: guildId(),
    member: { userId: admin, permissions: ADMIN },
    commandName: 'gacha-admin',
    customId,
    locale: 'en-US',
  });
  return sim.waitForAnswer(id);
}

function buttons(reply: InteractionReply): string[] {
  const rows = (reply.data.components ?? []) as { components?: { custom_id?: string }[] }[];
  return rows.flatMap((r) => (r.components ?? []).map((c) => c.custom_id ?? ''));
}

/** The `/gacha rates` line of a tier, as the domain's disclosure of `catalog` says it. */
function tierLine(catalog: Catalog, tierId: string): string {
  const tier = discloseBanner(catalog, 'standard').tiers.find((t) => t.tierId === tierId);
  if (!tier) throw new Error(`no tier ${tierId}`);
  const p = (x: number): string => formatPercent(x, 4);
  return `**${tier.name.en}** ${p(tier.baseProbability)} → ${p(tier.consolidatedSingle)} / ${p(tier.consolidatedTenPull)}`;
}

async function studioPage(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: 'en-US', acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(studioUrl);
  await page.waitForSelector('body[data-state="valid"]');
  return { page, errors };
}

describe('Banner Studio → bot import', () => {
  it('edits an export in the studio, downloads it, and the bot imports it: the new rate is live', async () => {
    // The bot's export, as the admin downloads it from Discord.
    const exported = await command('gacha-admin', 'export');
    const files = exported.data.files as { name: string; content: string }[];
    const exportText = files[0]?.content ?? '';
    const before = parseCatalog(JSON.parse(exportText));
    expect(before.tiers.find((t) => t.id === 'UR')?.ratePpm).toBe(6_000);
    const ratesBefore = replyText(await command('gacha', 'rates'));
    expect(ratesBefore).toContain(tierLine(before, 'UR'));

    const exportFile = join(dir, 'gacha-catalog.json');
    writeFileSync(exportFile, exportText);
    const { page, errors } = await studioPage();
    await page.setInputFiles('#open-file', exportFile);
    await waitForText(page.locator('#status'), (t) => t === 'Opened gacha-catalog.json.');
    await page.waitForSelector('body[data-state="valid"]');

    // UR from 0.6% to 1%: the rates no longer sum to 100%, said inline; download is disabled.
    await page.locator('#f-tiers-4-rate').fill('1%');
    await page.waitForSelector('body[data-state="invalid"]');
    await waitForText(page.locator('#err-tiers'), (t) => t.includes('must sum to exactly 100%'));
    expect(await page.locator('#download').isDisabled()).toBe(true);
    // Fixed by taking the 0.4% from the commons; the odds shown are the domain's.
    await page.locator('#f-tiers-0-rate').fill('49.6%');
    await page.waitForSelector('body[data-state="valid"]');
    expect(await page.locator('#err-tiers').isHidden()).toBe(true);
    const urPpm = 10_000;
    const intended: Catalog = {
      ...before,
      tiers: before.tiers.map((t) =>
        t.id === 'UR' ? { ...t, ratePpm: urPpm } : t.id === 'N' ? { ...t, ratePpm: 496_000 } : t,
      ),
    };
    const ur = discloseBanner(intended, 'standard').tiers.find((t) => t.tierId === 'UR');
    await waitForText(
      page.locator('[data-testid="odds-UR-published"]'),
      (t) => t === formatPercent(ur?.baseProbability ?? -1, 4),
    );

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const saved = join(dir, download.suggestedFilename());
    await download.saveAs(saved);
    expect(errors).toEqual([]);
    await page.context().close();
    const downloaded = readFileSync(saved);

    // That exact file, attached to /gacha-admin import (the simulator serves the attachment URL).
    const fileId = simSnowflake();
    const preview = await command(
      'gacha-admin',
      'import',
      [
        { name: 'file', type: ATTACHMENT, value: fileId },
        { name: 'live', type: STRING, value: 'announce' },
      ],
      [{ id: fileId, filename: download.suggestedFilename(), content: downloaded, contentType: 'application/json' }],
    );
    expect(replyText(preview)).toMatch(/Preview: import/);
    expect(replyText(preview)).toMatch(/Tiers changed: .*N \(ratePpm\).*UR \(ratePpm\)/);
    const [confirm = ''] = buttons(preview);
    expect(confirm).toMatch(/^gacha-admin:apply:/);
    expect(replyText(await press(confirm))).toMatch(/Applied: import/);

    const latest = await mongo
      .db(database)
      .collection<{ settings: { catalog: Catalog } }>('server_settings')
      .find({ guildId: guildId() })
      .sort({ revision: -1 })
      .limit(1)
      .next();
    expect(latest?.settings.catalog.tiers.find((t) => t.id === 'UR')?.ratePpm).toBe(urPpm);
    const ratesAfter = replyText(await command('gacha', 'rates'));
    expect(ratesAfter).toContain(tierLine(intended, 'UR'));
    expect(ratesAfter).not.toContain(tierLine(before, 'UR'));
    expect(sim.rejected).toEqual([]);
  });
});
