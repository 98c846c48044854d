/**
 * The static verifier page in headless Chromium (Debian's chromium driven by playwright-core;
 * scripts/ensure-chromium.sh installs it): the player picks an export file and reads the verdict,
 * in Japanese or English, computed in the page with no network.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import type { ExportedEpoch } from '../../app/verifier/export-format';
import { buildVerifier } from '../../scripts/build-verifier';
import { launchChromium } from '../support/chromium';
import { fixedSeed, simulateHistory } from './support/fairness-fixtures';

let dir: string;
let browser: Browser;
let pageUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'verifier-page-'));
  await buildVerifier(path.join(dir, 'site'));
  pageUrl = pathToFileURL(path.join(dir, 'site', 'index.html')).href;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
});

async function verifyInPage(content: unknown, locale: string) {
  const context = await browser.newContext({ locale });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pageUrl);
  const file = path.join(dir, `export-${requests.length}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(content));
  await page.setInputFiles('#file', file);
  await page.waitForSelector('#report[data-ok]');
  const result = {
    ok: await page.getAttribute('#report', 'data-ok'),
    text: (await page.textContent('#report')) ?? '',
    title: (await page.textContent('#title')) ?? '',
    requests: requests.filter((u) => !u.startsWith('file:')),
    errors,
  };
  await context.close();
  return result;
}

describe('verifier page', () => {
  const { exported } = simulateHistory(200, { perEpoch: 100 });

  it('verifies an export in the browser, in Japanese for a Japanese browser, with no network', async () => {
    const result = await verifyInPage(exported, 'ja-JP');
    expect(result.errors).toEqual([]);
    expect(result.requests).toEqual([]);
    expect(result.ok).toBe('true');
    expect(result.title).toBe('ガチャの公平性を検証');
    expect(result.text).toContain('検証成功');
    expect(result.text).toContain('抽選 200 回 / 再計算して一致 200 回');
  });

  it('shows where verification fails, in English for an English browser', async () => {
    const tampered = structuredClone(exported);
    const epoch = tampered.epochs[1] as ExportedEpoch;
    epoch.serverSeed = fixedSeed('not the committed seed');
    const result = await verifyInPage(tampered, 'en-US');
    expect(result.ok).toBe('false');
    expect(result.title).toBe('Verify your gacha pulls');
    expect(result.text).toContain('[epoch 1] The revealed server seed does not match its published commitment');
  });
});
