/**
 * The Banner Studio in a real browser (Debian's Chromium through playwright-core): open an export,
 * change rates and see the odds the domain computes, fix errors shown inline, download, and parse
 * the downloaded file with the bot's parser. Both languages.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { type Catalog, parseCatalog } from '../../app/domain/catalog';
import { createLimitedBanner, setRates } from '../../app/domain/catalog-edits';
import { defaultCatalog } from '../../app/domain/default-catalog';
import { discloseBanner } from '../../app/domain/disclosure';
import { formatPercent } from '../../app/domain/rates';
import { buildStudio } from '../../scripts/build-studio';
import { serveStudio } from '../../scripts/studio-serve';
import { launchChromium, waitForText } from './browser';

jest.setTimeout(180_000);

let dir: string;
let server: Server;
let url: string;
let browser: Browser;

/** What `/gacha-admin export` writes: the stored catalog as indented JSON. */
function exportedCatalog(): Catalog {
  return createLimitedBanner(defaultCatalog(), {
    id: 'orochi-fest',
    name: { ja: '大蛇祭', en: 'Orochi Festival' },
    featuredItemIds: ['yamata-no-orochi'],
    startsAt: new Date('2026-11-01T00:00:00Z'),
    endsAt: new Date('2099-01-01T00:00:00Z'),
    rateUpSharePpm: 500_000,
    sparkThreshold: 300,
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'studio-test-'));
  await buildStudio(join(dir, 'site'));
  ({ server, url } = await serveStudio(join(dir, 'site'), 0));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser.close();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

async function openPage(locale: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale, viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(url);
  await page.waitForSelector('body[data-state="valid"]');
  return { page, errors };
}

async function typeInto(page: Page, id: string, value: string): Promise<void> {
  const input = page.locator(`#${id}`);
  await input.fill(value);
}

async function settled(page: Page, state: 'valid' | 'invalid'): Promise<void> {
  await page.waitForSelector(`body[data-state="${state}"]`);
}

describe('Banner Studio', () => {
  it('opens an export, shows the domain odds live, reports errors inline, and downloads a file the bot parses', async () => {
    const { page, errors } = await openPage('en-US');
    const exportFile = join(dir, 'export.json');
    writeFileSync(exportFile, `${JSON.stringify(exportedCatalog(), null, 2)}\n`);
    await page.setInputFiles('#open-file', exportFile);
    await waitForText(page.locator('#status'), (text) => text === 'Opened export.json.');
    await settled(page, 'valid');
    expect(await page.locator('#f-banners-1-id').inputValue()).toBe('orochi-fest');

    // Change the top rate: the sum is off, the tiers section says so and download is disabled.
    await page.getByLabel('Rate (%)').nth(4).fill('1%');
    await settled(page, 'invalid');
    await waitForText(page.locator('#err-tiers'), (text) => text.includes('must sum to exactly 100%'));
    expect(await page.locator('#download').isDisabled()).toBe(true);
    expect(await page.locator('#summary').textContent()).toContain('1 problem to fix');

    // Fix it with the common tier: valid again, and the odds are what the domain computes.
    await typeInto(page, 'f-tiers-0-rate', '49.6%');
    await settled(page, 'valid');
    expect(await page.locator('#err-tiers').isHidden()).toBe(true);
    const expected = parseCatalog(setRates(exportedCatalog(), 'N=49.6,R=35,SR=11,SSR=3.4,UR=1'));
    const standard = discloseBanner(expected, 'standard');
    const ur = standard.tiers.find((t) => t.tierId === 'UR')!;
    await waitForText(
      page.locator('[data-testid="odds-UR-published"]'),
      (t) => t === formatPercent(ur.baseProbability, 4),
    );
    expect(await page.locator('[data-testid="odds-UR-single"]').textContent()).toBe(
      formatPercent(ur.consolidatedSingle, 4),
    );
    expect(await page.locator('[data-testid="odds-UR-ten"]').textContent()).toBe(
      formatPercent(ur.consolidatedTenPull, 4),
    );
    expect(await page.locator('[data-testid="expected-pulls"]').textContent()).toBe(
      standard.expectedPullsToTop.toFixed(2),
    );
    expect(await page.locator('[data-testid="changes"]').textContent()).toContain('N (ratePpm)');

    // The limited banner shows its featured top-tier numbers and the plot.
    await page.selectOption('#preview-banner', 'orochi-fest');
    const limited = discloseBanner(expected, 'orochi-fest');
    await waitForText(page.locator('[data-testid="expected-featured"]'), (t) =>
      t.startsWith(limited.expectedPullsToFeaturedTop!.toFixed(2)),
    );
    expect(await page.locator('svg.plot polyline').count()).toBe(2);

    // A malformed colour is reported next to its field, in the field's accessible description.
    await typeInto(page, 'f-tiers-1-color', '#12');
    await settled(page, 'invalid');
    const colourError = page.locator('#err-tiers-1-color');
    await waitForText(colourError, (t) => t === 'a colour such as "#ff8800"');
    expect(await page.locator('#f-tiers-1-color').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-tiers-1-color').getAttribute('aria-describedby')).toBe('err-tiers-1-color');
    await typeInto(page, 'f-tiers-1-color', '#1e88e5');
    await settled(page, 'valid');
    expect(await colourError.isHidden()).toBe(true);

    if (process.env.STUDIO_SCREENSHOT) {
      await page.locator('#f-tiers-1-color').blur();
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: process.env.STUDIO_SCREENSHOT });
    }

    // Download: the file is the catalog the domain expects, as the bot will import it.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toBe('catalog.json');
    const saved = join(dir, 'downloaded.json');
    await download.saveAs(saved);
    const text = readFileSync(saved, 'utf8');
    expect(parseCatalog(JSON.parse(text))).toEqual({
      ...expected,
      tiers: expected.tiers.map((t) => (t.id === 'R' ? { ...t, color: 0x1e88e5 } : t)),
    });
    expect(text).toContain('"rate": "49.6%"');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('speaks Japanese by the browser language and switches language on request', async () => {
    const { page, errors } = await openPage('ja-JP');
    expect(await page.locator('h1').textContent()).toBe('バナースタジオ');
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    await typeInto(page, 'f-items-0-name-ja', '');
    await settled(page, 'invalid');
    await waitForText(page.locator('#err-items-0-name-ja'), (t) => t === 'メイン言語（日本語）の名前が必要です');
    expect(await page.locator('#download-hint').textContent()).toBe('ダウンロードするには下の問題を直してください。');
    await page.selectOption('#language', 'en');
    expect(await page.locator('h1').textContent()).toBe('Banner Studio');
    await waitForText(
      page.locator('#err-items-0-name-ja'),
      (t) => t === 'a name in the main language (Japanese) is required',
    );
    // Every form control has a label.
    const controls = page.locator('#editor input, #editor select');
    expect(await controls.count()).toBeGreaterThan(300);
    const unlabelled: unknown = await page.evaluate(
      `[...document.querySelectorAll('#editor input, #editor select')]
        .filter((n) => document.querySelectorAll('label[for="' + n.id + '"]').length !== 1)
        .map((n) => n.id)`,
    );
    expect(unlabelled).toEqual([]);
    // Keyboard: Tab from the language switch reaches the file opener next.
    await page.focus('#language');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('open-file');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
