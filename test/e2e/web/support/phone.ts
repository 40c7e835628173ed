import { execFileSync } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { projectRoot as root } from '../../../../lib/paths.js';
import { makeTempDir, makeTempDirSync } from '../../../support/temp.js';
import { launchChromium, phoneContext } from './browser.js';
import { writeQrVideo } from './qr-video.js';
import { type Citizen, startStack, type TestStack } from './stack.js';

/**
 * Where the browser tests save their screenshots: a temporary folder of this test file (test/support/temp.ts
 * removes it after the file), so a test run leaves neither the work tree nor the temp dir with them. `RESULTGATE_SCREENSHOTS=docs/screenshots npx vitest run test/e2e/web` refreshes the README's.
 */
export const screenshots = process.env.RESULTGATE_SCREENSHOTS
  ? resolve(root, process.env.RESULTGATE_SCREENSHOTS)
  : makeTempDirSync('screenshots');

export const holder: Citizen = {
  idType: 'CCCD',
  idNumber: '001090012345',
  fullName: 'Nguyễn Văn An',
  dateOfBirth: '1990-05-17',
};
export const positive: Citizen = {
  idType: 'CCCD',
  idNumber: '031185004321',
  fullName: 'Trần Thị Bình',
  dateOfBirth: '1985-03-02',
};
export const hoursAgo = (hours: number): Date => new Date(Date.now() - hours * 3600_000);

export interface Phone {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Page errors and console errors (CSP violations show up here). */
  readonly problems: string[];
}

/**
 * The built page, the local stack, and phones: headless Chromium on a phone-sized screen whose camera
 * is Chromium's fake capture device playing a Y4M video of a QR (one video per browser launch).
 */
export class PhoneBench {
  private readonly browsers: Browser[] = [];

  private constructor(
    readonly stack: TestStack,
    private readonly videos: string,
  ) {}

  /** `env` goes to the local stack (for example `RESULTGATE_RATE_LIMITS: 'off'`). */
  static async start(env: Record<string, string> = {}): Promise<PhoneBench> {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'web/build.ts')],
      {
        cwd: root,
        stdio: 'ignore',
      },
    );
    await mkdir(screenshots, { recursive: true });
    const videos = await makeTempDir('web-videos');
    return new PhoneBench(await startStack({ env }), videos);
  }

  /** A browser whose camera shows `qrText` (no camera at all without it). */
  async browser(qrText?: string): Promise<Browser> {
    let fakeVideo: string | undefined;
    if (qrText !== undefined) {
      fakeVideo = join(this.videos, `camera-${this.browsers.length}.y4m`);
      await writeQrVideo(qrText, fakeVideo);
    }
    const browser = await launchChromium(fakeVideo ? { fakeVideo } : {});
    this.browsers.push(browser);
    return browser;
  }

  /** A fresh phone (empty storage) showing the page. */
  async phone(qrText?: string): Promise<Phone> {
    const context = await phoneContext(await this.browser(qrText), this.stack.url);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // The optional config.json is absent on the local stack: that 404 is expected.
      if (message.type() === 'error' && !message.text().includes('404')) problems.push(message.text());
    });
    await page.goto('/');
    return { context, page, problems };
  }

  async stop(): Promise<void> {
    await Promise.all(this.browsers.map((browser) => browser.close()));
    await this.stack.stop();
    await rm(this.videos, { recursive: true, force: true });
  }
}

export async function pair(page: Page, credential: string): Promise<void> {
  await page.locator('#credential').fill(credential);
  await page.locator('[data-action=pair]').click();
  await page.locator('.view-scan').waitFor();
}

/** Types a `YYYY-MM-DD` date of birth the way an officer reads it off the card: day, month, year. */
export async function fillDateOfBirth(page: Page, date: string): Promise<void> {
  const [year = '', month = '', day = ''] = date.split('-');
  await page.locator('#dob-day').fill(day);
  await page.locator('#dob-month').fill(month);
  await page.locator('#dob-year').fill(year);
}

export const verdict = (page: Page): Locator => page.locator('[data-verdict]');
export const field = (page: Page, name: string): Locator => page.locator(`[data-field=${name}]`);

/** Waits until the element's text is `expected` (Playwright's own expect is not part of playwright-core). */
export async function expectText(locator: Locator, expected: string, timeout = 10_000): Promise<void> {
  await expect
    .poll(() => locator.textContent({ timeout: 250 }).catch(() => null), { timeout, interval: 100 })
    .toBe(expected);
}

export async function expectAttribute(
  locator: Locator,
  name: string,
  expected: string,
  timeout = 10_000,
): Promise<void> {
  await expect
    .poll(() => locator.getAttribute(name, { timeout: 250 }).catch(() => null), { timeout, interval: 100 })
    .toBe(expected);
}
