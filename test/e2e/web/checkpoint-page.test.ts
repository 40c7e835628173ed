import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en, vi } from '../../../web/src/i18n.js';
import { phoneContext } from './support/browser.js';
import {
  expectAttribute,
  expectText,
  field,
  fillDateOfBirth,
  holder,
  hoursAgo,
  PhoneBench,
  pair,
  screenshots,
  verdict,
} from './support/phone.js';
import { submitResult } from './support/stack.js';

/**
 * The checkpoint page in headless Chromium on a phone-sized screen, against the local stack: pairing,
 * manual entry, errors, language. Scanning passes is in checkpoint-passes.test.ts.
 */

let bench: PhoneBench;
let device: { id: string; credential: string };

beforeAll(async () => {
  // Many pairings of one device (each also asks GET /v1/devices/me): its per-credential limit is not what
  // this file is about (test/integration/gateway covers the limits).
  bench = await PhoneBench.start({ RESULTGATE_RATE_LIMITS: 'off' });
  const lab = await bench.stack.addLab('CDC Quảng Ninh');
  device = await bench.stack.addDevice('Chốt Km 15');
  await submitResult(bench.stack, lab.credential, holder, {
    sampleId: 'WEB-E2E-1',
    testType: 'RT_PCR',
    result: 'NEGATIVE',
    sampledAt: hoursAgo(2),
  });
});

afterAll(async () => {
  await bench?.stop();
});

describe('pairing', () => {
  it('pairs with a good device credential and keeps it on the phone across reloads', async () => {
    const { page, problems } = await bench.phone();
    await expectText(page.locator('h2'), vi.pairTitle);
    await page.screenshot({ path: join(screenshots, 'pairing.png') });

    await pair(page, device.credential);
    await page.reload();

    await page.locator('.view-scan').waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => localStorage.getItem('resultgate.credential'))).toBe(device.credential);
    // The scan screen says which signed rules the phone holds for offline checks, and until when.
    await expect
      .poll(() => page.locator('[data-field=rules-age]').textContent())
      .toMatch(/^Quy định để kiểm tra ngoại tuyến: ký lúc \d\d:\d\d \d\d\/\d\d\/\d{4}, dùng được đến /);
    await page.screenshot({ path: join(screenshots, 'scan.png') });
    expect(problems).toEqual([]);
  });

  it('refuses a wrong credential in plain words and keeps nothing', async () => {
    const { page } = await bench.phone();

    await page.locator('#credential').fill('rg_dev_not-a-real-credential');
    await page.locator('[data-action=pair]').click();

    await expectText(page.locator('#pair-error'), vi.pairBadCredential);
    expect(await page.evaluate(() => localStorage.getItem('resultgate.credential'))).toBeNull();
  });

  it('refuses a credential of another role (a lab) as not a checkpoint device', async () => {
    const lab = await bench.stack.addLab('Lab B');
    const { page } = await bench.phone();

    await page.locator('#credential').fill(lab.credential);
    await page.locator('[data-action=pair]').click();

    await expectText(page.locator('#pair-error'), vi.pairWrongRole);
  });

  it('pairs by scanning a pairing QR (RGDEV:<credential>)', async () => {
    const { page } = await bench.phone(`RGDEV:${device.credential}`);

    await page.locator('[data-action=pair-scan]').click();

    await page.locator('.view-scan').waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => localStorage.getItem('resultgate.credential'))).toBe(device.credential);
  });

  it('forgets the credential on unpair', async () => {
    const { page } = await bench.phone();
    await pair(page, device.credential);
    page.once('dialog', (dialog) => void dialog.accept());

    await page.locator('[data-action=unpair]').click();

    await expectText(page.locator('h2'), vi.pairTitle);
    expect(await page.evaluate(() => localStorage.getItem('resultgate.credential'))).toBeNull();
  });
});

describe('manual entry', () => {
  it('answers VALID for ID details with a negative result, and empties the form after sending', async () => {
    const { page } = await bench.phone();
    await pair(page, device.credential);
    await page.locator('[data-action=manual]').click();
    await page.locator('label[for=idType-CCCD]').click();
    await page.locator('#idNumber').fill('001 090 012 345');
    await fillDateOfBirth(page, holder.dateOfBirth);
    await page.screenshot({ path: join(screenshots, 'manual-entry.png') });

    await page.locator('[data-action=check]').click();

    await expectAttribute(verdict(page), 'data-verdict', 'valid');
    await expectText(field(page, 'maskedName'), 'N***** V** A*');
    await page.locator('[data-action=next]').click();
    await page.locator('[data-action=manual]').click();
    expect(await page.locator('#idNumber').inputValue()).toBe('');
    expect(await page.locator('#dob-year').inputValue()).toBe('');
  });

  it('answers NOT VALID for a date of birth that does not match', async () => {
    const { page } = await bench.phone();
    await pair(page, device.credential);
    await page.locator('[data-action=manual]').click();
    await page.locator('#idNumber').fill(holder.idNumber);
    await fillDateOfBirth(page, '1990-05-18');

    await page.locator('[data-action=check]').click();

    await expectText(page.locator('.reason'), vi.reasonNO_VALID_RESULT);
  });

  it('explains a malformed ID number before sending anything', async () => {
    const { page } = await bench.phone();
    await pair(page, device.credential);
    await page.locator('[data-action=manual]').click();
    let sent = false;
    page.on('request', (request) => {
      if (request.url().endsWith('/v1/verify')) sent = true;
    });

    await page.locator('#idNumber').fill('12345');
    await fillDateOfBirth(page, '1990-05-17');
    await page.locator('[data-action=check]').click();

    await expectText(page.locator('.error'), vi.errCCCD);
    expect(sent).toBe(false);
  });

  it('keeps nothing about the traveller once the officer moves on to the next one', async () => {
    const { page } = await bench.phone();
    await pair(page, device.credential);
    await page.locator('[data-action=manual]').click();
    await page.locator('#idNumber').fill(holder.idNumber);
    await fillDateOfBirth(page, holder.dateOfBirth);
    await page.locator('[data-action=check]').click();
    await expectAttribute(verdict(page), 'data-verdict', 'valid');

    await page.locator('[data-action=next]').click();

    await page.locator('.view-scan').waitFor({ timeout: 10_000 });
    const html = await page.content();
    expect(html).not.toContain('N***** V** A*');
    expect(html).not.toContain(holder.idNumber);
    const stored = await page.evaluate(() => ({
      local: Object.keys(localStorage).sort(),
      session: sessionStorage.length,
    }));
    const kept = [
      'resultgate.credential',
      'resultgate.language',
      'resultgate.jwks',
      'resultgate.jwksFetchedAt',
      // The signed rules and the device's jurisdiction and mode: nothing about a traveller.
      'resultgate.rules',
      'resultgate.rulesFetchedAt',
      'resultgate.device',
      // The latest instant the page trusted its clock at (a time, nobody's data): time runs forwards.
      'resultgate.clockMark',
      // Set only while the phone's clock is off the server's.
      'resultgate.clockOff',
    ];
    expect(stored.local.filter((key) => !kept.includes(key))).toEqual([]);
    expect(stored.session).toBe(0);
  });

  it('explains that manual entry needs the network', async () => {
    const { page, context } = await bench.phone();
    await pair(page, device.credential);
    await context.route('**/v1/**', (route) => route.abort('internetdisconnected'));
    await page.locator('[data-action=manual]').click();
    await page.locator('#idNumber').fill(holder.idNumber);
    await fillDateOfBirth(page, holder.dateOfBirth);

    await page.locator('[data-action=check]').click();

    await expectText(page.locator('[data-message]'), vi.manualNeedsNetwork);
  });
});

describe('errors in plain words', () => {
  it('sends the officer back to pairing once the device is revoked', async () => {
    const revoked = await bench.stack.addDevice('Chốt tạm');
    const { page } = await bench.phone();
    await pair(page, revoked.credential);
    await bench.stack.admin('device', 'revoke', revoked.id);
    await page.locator('[data-action=manual]').click();
    await page.locator('#idNumber').fill(holder.idNumber);
    await fillDateOfBirth(page, holder.dateOfBirth);

    await page.locator('[data-action=check]').click();
    await expectText(page.locator('[data-message]'), vi.errUnauthorized);
    await page.locator('[data-action=re-pair]').click();

    await expectText(page.locator('h2'), vi.pairTitle);
    expect(await page.evaluate(() => localStorage.getItem('resultgate.credential'))).toBeNull();
  });

  it('asks the officer to wait when the API rate-limits the device', async () => {
    const { page, context } = await bench.phone();
    await pair(page, device.credential);
    await context.route('**/v1/verify', (route) =>
      route.fulfill({
        status: 429,
        headers: { 'Retry-After': '30', 'Content-Type': 'application/json' },
        body: JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'Too many requests' } }),
      }),
    );
    await page.locator('[data-action=manual]').click();
    await page.locator('#idNumber').fill(holder.idNumber);
    await fillDateOfBirth(page, holder.dateOfBirth);

    await page.locator('[data-action=check]').click();

    await expectText(page.locator('[data-message]'), vi.errRateLimited.replace('{seconds}', '30'));
  });
});

describe('language and loading', () => {
  it('switches to English and remembers it', async () => {
    const { page } = await bench.phone();

    await page.locator('[data-action=language]').click();
    await page.reload();

    await expectText(page.locator('h2'), en.pairTitle);
    await expectAttribute(page.locator('html'), 'lang', 'en');
  });

  it('says a QR that is not a pass is not a pass, and keeps the camera on', async () => {
    const { page } = await bench.phone('https://example.org/menu');
    await pair(page, device.credential);

    await expectText(page.locator('.notice'), vi.notAPass, 20_000);
    await page.locator('.view-scan').waitFor({ timeout: 10_000 });
  });

  it('opens without network once it has been opened, through its service worker', async () => {
    const context = await phoneContext(await bench.browser(), bench.stack.url, { serviceWorkers: 'allow' });
    const page = await context.newPage();
    await page.goto('/');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });

    await context.setOffline(true);
    await page.reload();

    await expectText(page.locator('h2'), vi.pairTitle);
  });
});
