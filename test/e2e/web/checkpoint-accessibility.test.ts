import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en, vi } from '../../../web/src/i18n.js';
import { seriousViolations } from './support/axe.js';
import {
  expectAttribute,
  expectText,
  fillDateOfBirth,
  holder,
  hoursAgo,
  PhoneBench,
  pair,
  verdict,
} from './support/phone.js';
import { entryRule, issuePass, publishRules, submitResult } from './support/stack.js';

/**
 * Every screen of the checkpoint page passes an axe-core audit in Chromium with no serious or critical
 * violation: pairing (and its error), scanning, manual entry (and its refusals), VALID, NOT VALID, the
 * offline check, and the error messages.
 */

let bench: PhoneBench;
let device: { id: string; credential: string };
let validPass: string;

beforeAll(async () => {
  // Many verifies from few devices: the stack's per-credential limits are not what this file is about.
  bench = await PhoneBench.start({ RESULTGATE_RATE_LIMITS: 'off' });
  const lab = await bench.stack.addLab('CDC Quảng Ninh');
  const app = await bench.stack.addApp();
  device = await bench.stack.addDevice('Chốt Km 15');
  // The rule the page applies offline (the device counts as VN / ENTRY).
  await publishRules(bench.stack, [entryRule({ version: 1, validFrom: hoursAgo(24), rtPcrHours: 72 })]);
  await submitResult(bench.stack, lab.credential, holder, {
    sampleId: 'WEB-A11Y-1',
    testType: 'RT_PCR',
    result: 'NEGATIVE',
    sampledAt: hoursAgo(2),
  });
  validPass = await issuePass(bench.stack, app.credential, holder);
});

afterAll(async () => {
  await bench?.stop();
});

async function manualEntry(page: Page, idNumber: string, dateOfBirth: string): Promise<void> {
  await page.locator('[data-action=manual]').click();
  await page.locator('#idNumber').fill(idNumber);
  await fillDateOfBirth(page, dateOfBirth);
  await page.locator('[data-action=check]').click();
}

describe('accessibility (axe-core, no serious or critical violation)', () => {
  it('pairing, in Vietnamese and in English, and its error', async () => {
    const { page } = await bench.phone();
    await expectText(page.locator('h2'), vi.pairTitle);
    expect(await seriousViolations(page)).toEqual([]);

    await page.locator('[data-action=language]').click();
    await expectText(page.locator('h2'), en.pairTitle);
    expect(await seriousViolations(page)).toEqual([]);

    await page.locator('#credential').fill('rg_dev_not-a-real-credential');
    await page.locator('[data-action=pair]').click();
    await expectText(page.locator('#pair-error'), en.pairBadCredential);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('the language button is named by the text it shows', async () => {
    const { page } = await bench.phone();
    const button = page.getByRole('button', { name: 'English', exact: true });

    await expectAttribute(button, 'lang', 'en');
    await button.click();
    await page.getByRole('button', { name: 'Tiếng Việt', exact: true }).waitFor();
  });

  it('scanning, manual entry and its refusals', async () => {
    const { page } = await bench.phone();
    await pair(page, device.credential);
    expect(await seriousViolations(page)).toEqual([]);

    await manualEntry(page, '001099009999', '1985-08-15');
    await expectText(page.locator('.error'), vi.errCccdBirth);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('VALID and NOT VALID', async () => {
    const { page } = await bench.phone();
    await pair(page, device.credential);

    await manualEntry(page, holder.idNumber, holder.dateOfBirth);
    await expectAttribute(verdict(page), 'data-verdict', 'valid');
    expect(await seriousViolations(page)).toEqual([]);

    await page.locator('[data-action=next]').click();
    await manualEntry(page, holder.idNumber, '1990-05-18');
    await expectAttribute(verdict(page), 'data-verdict', 'invalid');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('the offline check of a scanned pass', async () => {
    const { page, context } = await bench.phone(validPass);
    await pair(page, device.credential);
    await expectAttribute(verdict(page), 'data-source', 'online', 20_000);
    await context.route('**/v1/**', (route) => route.abort('internetdisconnected'));

    await page.locator('[data-action=next]').click();

    await expectAttribute(verdict(page), 'data-source', 'offline', 20_000);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('CANNOT CHECK offline, when the rules kept on the phone are too old', async () => {
    const { page, context } = await bench.phone(validPass);
    await pair(page, device.credential);
    await expectAttribute(verdict(page), 'data-source', 'online', 20_000);
    await expect
      .poll(() => page.evaluate(() => localStorage.getItem('resultgate.rules')), { timeout: 10_000 })
      .toMatch(/^ey/);
    await context.route('**/v1/**', (route) => route.abort('internetdisconnected'));
    await page.clock.setFixedTime(new Date(Date.now() + 25 * 3600_000));

    await page.locator('[data-action=next]').click();

    await expectText(page.locator('.reason'), vi.cannotRULES_TOO_OLD, 20_000);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('error messages: rate limited, refused by the server, and no network for manual entry', async () => {
    const { page, context } = await bench.phone();
    await pair(page, device.credential);
    await context.route('**/v1/verify', (route) =>
      route.fulfill({
        status: 429,
        headers: { 'Retry-After': '30', 'Content-Type': 'application/json' },
        body: JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'Too many requests' } }),
      }),
    );
    await manualEntry(page, holder.idNumber, holder.dateOfBirth);
    await expectText(page.locator('[data-message]'), vi.errRateLimited.replace('{seconds}', '30'));
    expect(await seriousViolations(page)).toEqual([]);

    await context.unroute('**/v1/verify');
    await context.route('**/v1/verify', (route) =>
      route.fulfill({
        status: 400,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          error: {
            code: 'VALIDATION_FAILED',
            message: 'The request is not valid.',
            details: [{ path: 'dateOfBirth', message: 'must be a calendar date YYYY-MM-DD' }],
          },
        }),
      }),
    );
    await page.locator('[data-action=close]').click();
    await manualEntry(page, holder.idNumber, holder.dateOfBirth);
    // The server's English never reaches the Vietnamese screen.
    await expectText(page.locator('[data-message]'), vi.errInvalidDob);
    expect(await seriousViolations(page)).toEqual([]);

    await context.unroute('**/v1/verify');
    await context.route('**/v1/**', (route) => route.abort('internetdisconnected'));
    await page.locator('[data-action=close]').click();
    await manualEntry(page, holder.idNumber, holder.dateOfBirth);
    await expectText(page.locator('[data-message]'), vi.manualNeedsNetwork);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
