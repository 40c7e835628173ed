import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vi } from '../../../web/src/i18n.js';
import { highSTwinOf } from '../../unit/pass/fixtures.js';
import { phoneContext } from './support/browser.js';
import {
  expectAttribute,
  expectText,
  field,
  holder,
  hoursAgo,
  PhoneBench,
  pair,
  positive,
  screenshots,
  verdict,
} from './support/phone.js';
import { entryRule, issuePass, publishRules, submitResult } from './support/stack.js';

/**
 * Scanning QR passes with the phone's camera (Chromium's fake camera playing a video of the pass), online
 * and offline, against the local stack: passes come from POST /v1/passes, offline keys from GET /v1/keys.
 * Desktop Linux Chromium has no BarcodeDetector, so the page decodes with its ZXing WebAssembly fallback.
 */

let bench: PhoneBench;
let device: { id: string; credential: string };
let validPass: string;
let positivePass: string;

beforeAll(async () => {
  bench = await PhoneBench.start();
  const lab = await bench.stack.addLab('CDC Quảng Ninh');
  const app = await bench.stack.addApp();
  device = await bench.stack.addDevice('Chốt Km 15');
  // The rule the page applies offline (the device counts as VN / ENTRY).
  await publishRules(bench.stack, [entryRule({ version: 1, validFrom: hoursAgo(24), rtPcrHours: 72 })]);
  await submitResult(bench.stack, lab.credential, holder, {
    sampleId: 'WEB-PASS-1',
    testType: 'RT_PCR',
    result: 'NEGATIVE',
    sampledAt: hoursAgo(2),
  });
  await submitResult(bench.stack, lab.credential, positive, {
    sampleId: 'WEB-PASS-2',
    testType: 'RAPID_ANTIGEN',
    result: 'POSITIVE',
    sampledAt: hoursAgo(1),
  });
  validPass = await issuePass(bench.stack, app.credential, holder);
  positivePass = await issuePass(bench.stack, app.credential, positive);
});

afterAll(async () => {
  await bench?.stop();
});

describe('scanning a pass with the camera', () => {
  it('shows VALID with valid-until in Vietnam time, test type, masked name and birth year', async () => {
    const { page, problems } = await bench.phone(validPass);
    const wasm = page.waitForRequest(/zxing_reader-[0-9a-f]+\.wasm$/);
    await pair(page, device.credential);

    await expectAttribute(verdict(page), 'data-verdict', 'valid', 20_000);
    await wasm;

    await expectText(page.locator('.verdict-word'), vi.valid);
    await expectAttribute(verdict(page), 'data-source', 'online');
    await expectText(field(page, 'maskedName'), 'N***** V** A*');
    await expectText(field(page, 'birthYear'), '1990');
    await expectText(field(page, 'testType'), vi.testRT_PCR);
    // Sampled 2 h ago + 72 h RT-PCR window, shown in UTC+7 although the phone is set to Europe/Berlin.
    const validUntil = await field(page, 'validUntil').textContent();
    const expected = new Date(Date.now() + 70 * 3600_000 + 7 * 3600_000);
    expect(validUntil).toMatch(
      new RegExp(
        `^\\d\\d:\\d\\d ${String(expected.getUTCDate()).padStart(2, '0')}/${String(expected.getUTCMonth() + 1).padStart(2, '0')}/${expected.getUTCFullYear()}$`,
      ),
    );
    expect(await page.locator('.verdict dd .sub').first().textContent()).toContain(vi.timeZoneNote);
    await page.screenshot({ path: join(screenshots, 'valid.png') });
    expect(problems).toEqual([]);
  });

  it('shows NOT VALID, no valid result, for the pass of a holder whose only result is positive', async () => {
    const { page } = await bench.phone(positivePass);
    await pair(page, device.credential);

    await expectAttribute(verdict(page), 'data-verdict', 'invalid', 20_000);

    await expectText(page.locator('.verdict-word'), vi.notValid);
    await expectText(page.locator('.reason'), vi.reasonNO_VALID_RESULT);
    await page.screenshot({ path: join(screenshots, 'not-valid.png') });
  });

  it('shows NOT VALID, pass invalid, for a pass whose content was altered', async () => {
    const [header = '', , signature = ''] = validPass.slice(4).split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ v: 1, sub: 'f'.repeat(64), bdc: 'e'.repeat(64), kv: 1, iat: 1, exp: 4102444800 }),
    ).toString('base64url');
    const { page } = await bench.phone(`RG1:${header}.${forgedPayload}.${signature}`);
    await pair(page, device.credential);

    await expectText(page.locator('.reason'), vi.reasonPASS_INVALID, 20_000);
  });
});

describe('without network', () => {
  it('checks a scanned pass against the cached keys and its snapshot, and says it is an offline check', async () => {
    const { page, context } = await bench.phone(validPass);
    await pair(page, device.credential);
    await expectAttribute(verdict(page), 'data-source', 'online', 20_000);
    expect(await page.evaluate(() => localStorage.getItem('resultgate.jwks'))).toContain('"kid"');

    await context.route('**/v1/**', (route) => route.abort('internetdisconnected'));
    await page.locator('[data-action=next]').click();

    await expectAttribute(verdict(page), 'data-source', 'offline', 20_000);
    await expectAttribute(verdict(page), 'data-verdict', 'valid');
    await expectText(page.locator('.badge'), vi.offlineBadge);
    await expectText(field(page, 'maskedName'), 'N***** V** A*');
    await page.locator('.offline-pill').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(screenshots, 'offline-valid.png') });
  });

  it('answers NOT VALID offline for a pass issued without a valid result', async () => {
    const { page, context } = await bench.phone(positivePass);
    await pair(page, device.credential);
    await expectAttribute(verdict(page), 'data-source', 'online', 20_000);

    await context.route('**/v1/**', (route) => route.abort('internetdisconnected'));
    await page.locator('[data-action=next]').click();

    await expectAttribute(verdict(page), 'data-source', 'offline', 20_000);
    await expectText(page.locator('.reason'), vi.offlineNoSnapshot);
  });

  it('refuses the high-S twin of a genuine pass offline, as the API does online', async () => {
    const { page, context } = await bench.phone(highSTwinOf(validPass));
    await pair(page, device.credential);
    await expectAttribute(verdict(page), 'data-source', 'online', 20_000);
    await expectText(page.locator('.reason'), vi.reasonPASS_INVALID);

    await context.route('**/v1/**', (route) => route.abort('internetdisconnected'));
    await page.locator('[data-action=next]').click();

    await expectAttribute(verdict(page), 'data-source', 'offline', 20_000);
    await expectAttribute(verdict(page), 'data-verdict', 'invalid');
    await expectText(page.locator('.reason'), vi.reasonPASS_INVALID);
  });
});

describe('loading', () => {
  it('does not download the ZXing fallback when the browser has a QR-capable BarcodeDetector', async () => {
    const browser = await bench.browser(validPass);
    const context = await phoneContext(browser, bench.stack.url);
    await context.addInitScript(() => {
      class StubDetector {
        static async getSupportedFormats(): Promise<string[]> {
          return ['qr_code'];
        }
        async detect(): Promise<{ rawValue: string }[]> {
          return [{ rawValue: 'RG1:from-the-native-detector' }];
        }
      }
      Object.defineProperty(window, 'BarcodeDetector', { value: StubDetector });
    });
    const page = await context.newPage();
    const wasm: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('zxing')) wasm.push(request.url());
    });
    await page.goto('/');
    // A device of its own: the earlier cases used the shared device's burst of verify requests.
    const fresh = await bench.stack.addDevice('Chốt Km 15 — máy 2');

    await pair(page, fresh.credential);

    await expectText(page.locator('.reason'), vi.reasonPASS_INVALID, 20_000);
    expect(wasm).toEqual([]);
  });
});
