import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vi } from '../../../web/src/i18n.js';
import {
  expectAttribute,
  expectText,
  field,
  holder,
  hoursAgo,
  PhoneBench,
  pair,
  screenshots,
  verdict,
} from './support/phone.js';
import { entryRule, issuePass, publishRules, submitResult } from './support/stack.js';

/**
 * The page offline with the signed rules of GET /v1/rules: it applies the version in force at the
 * instant of the scan (a future version from its validFrom on, without network), names the rule on the
 * answer, and says CANNOT CHECK once its rules are older than the stage allows (24 h locally). The page's
 * clock is moved with Playwright's clock; the rules and the pass are real, from the local stack.
 */

let bench: PhoneBench;
let device: { id: string; credential: string };
let validPass: string;
const start = Date.now();
const switchAt = new Date(start + 3600_000);

beforeAll(async () => {
  bench = await PhoneBench.start();
  const lab = await bench.stack.addLab('CDC Quảng Ninh');
  const app = await bench.stack.addApp();
  device = await bench.stack.addDevice('Chốt Km 15');
  await submitResult(bench.stack, lab.credential, holder, {
    sampleId: 'WEB-RULES-1',
    testType: 'RT_PCR',
    result: 'NEGATIVE',
    sampledAt: hoursAgo(2),
  });
  validPass = await issuePass(bench.stack, app.credential, holder);
  // v1 in force now (RT-PCR 72 h); v2 from an hour ahead accepts RT-PCR for 1 h only.
  await publishRules(bench.stack, [
    entryRule({ version: 1, validFrom: hoursAgo(24), rtPcrHours: 72, legalBasis: '5630/UBND-XD6' }),
    entryRule({ version: 2, validFrom: switchAt, rtPcrHours: 1, legalBasis: '6258/UBND-XD6' }),
  ]);
});

afterAll(async () => {
  await bench?.stop();
});

describe('offline, with the signed rules', () => {
  it('applies the version in force at the scan: v1 now, v2 after its instant, CANNOT CHECK when too old', async () => {
    const { page, context, problems } = await bench.phone(validPass);
    await pair(page, device.credential);
    await expectAttribute(verdict(page), 'data-source', 'online', 20_000);
    await expect
      .poll(() => page.evaluate(() => localStorage.getItem('resultgate.rules')), { timeout: 10_000 })
      .toMatch(/^ey/);
    await context.route('**/v1/**', (route) => route.abort('internetdisconnected'));

    await page.locator('[data-action=next]').click();
    await expectAttribute(verdict(page), 'data-source', 'offline', 20_000);
    await expectAttribute(verdict(page), 'data-verdict', 'valid');
    await expectText(field(page, 'rule'), 'VN-ENTRY-TEST phiên bản 1 · 5630/UBND-XD6');

    // Past v2's validFrom (the phone's clock), still offline.
    await page.clock.setFixedTime(new Date(switchAt.getTime() + 60_000));
    await page.locator('[data-action=next]').click();
    await expectText(field(page, 'rule'), 'VN-ENTRY-TEST phiên bản 2 · 6258/UBND-XD6', 20_000);
    await expectAttribute(verdict(page), 'data-verdict', 'invalid');
    await expectText(page.locator('.reason'), vi.reasonNO_VALID_RESULT);
    await page.screenshot({ path: join(screenshots, 'offline-rule-switched.png') });

    // 25 h after the rules were signed.
    await page.clock.setFixedTime(new Date(start + 25 * 3600_000));
    await page.locator('[data-action=next]').click();
    await expectText(page.locator('.reason'), vi.cannotRULES_TOO_OLD, 20_000);
    await expectAttribute(verdict(page), 'data-verdict', 'unknown');
    await expectText(page.locator('.verdict-word'), vi.cannotCheck);
    await page.screenshot({ path: join(screenshots, 'offline-cannot-check.png') });
    expect(problems.filter((problem) => !problem.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
  });
});
