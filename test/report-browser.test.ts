import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, samplesDir } from './support/tools.js';

const HOSTILE_NAME = '<img src=x onerror=alert(1)>.mp4';

/** What the page decoded an image to (0 x 0 when it did not decode); these fields exist only in the browser. */
type Decoded = { naturalWidth: number; naturalHeight: number };

/** Debian's chromium; CI installs it. Elsewhere the test is skipped with the reason printed. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const inCi = process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI.toLowerCase());
const missing = existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
if (missing && !inCi) console.warn(`skipping the report browser test: ${missing}`);

describe.skipIf(missing !== null && !inCi)('report.html in a real browser', () => {
  let root: string;
  let browser: Browser;

  beforeAll(async () => {
    if (missing) throw new Error(missing);
    root = mkdtempSync(join(tmpdir(), 'wavid-report-'));
    const folder = join(root, 'campaign');
    mkdirSync(folder);
    for (const name of ['compliant.mp4', 'warn-rotated.mp4', 'violation-container.mkv', 'violation-b-frames.mp4', 'bad-random.mp4']) {
      copyFileSync(join(samplesDir, name), join(folder, name));
    }
    // A file name that is also markup must show as text.
    copyFileSync(join(samplesDir, 'compliant.mp4'), join(folder, HOSTILE_NAME));
    await runCli(['run', folder, '--out', join(root, 'out')]);
    // The flags keep Chromium from reaching for the network at start-up; the page itself needs none.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('shows a card per video with its first frame, reads without a server and fetches nothing', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(join(root, 'out', 'report.html')).href);

    expect(await page.locator('article.card').count()).toBe(6);
    expect(await page.locator('article h2').allTextContents()).toContain(HOSTILE_NAME);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator('article.card.failed').count()).toBe(1);
    const pictures = await page.locator('article img').evaluateAll((images) =>
      images.map((image) => ({ width: (image as unknown as Decoded).naturalWidth, height: (image as unknown as Decoded).naturalHeight })),
    );
    expect(pictures).toHaveLength(5);
    for (const picture of pictures) expect(picture.width).toBe(320);
    // The rotated clip is shown the way phones turn it: taller than wide.
    const rotated = page.locator('article', { hasText: 'warn-rotated.mp4' }).locator('img');
    const size = await rotated.evaluate((image) => ({ width: (image as unknown as Decoded).naturalWidth, height: (image as unknown as Decoded).naturalHeight }));
    expect(size.height).toBeGreaterThan(size.width);
    await expect(page.locator('article', { hasText: 'violation-container.mkv' }).textContent()).resolves.toContain('remux');
    expect(await page.locator('header').textContent()).toContain('WhatsApp video report');
    expect(requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))).toEqual([]);
  });
});
