import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuleSet } from '../../../contract/rules.js';
import { formatVietnamTime } from '../../../web/src/format.js';
import { en, vi } from '../../../web/src/public/i18n.js';
import { seriousViolations } from './support/axe.js';
import {
  expectAttribute,
  expectText,
  holder,
  hoursAgo,
  PhoneBench,
  positive,
  screenshots,
} from './support/phone.js';
import { entryRule, publishRules, submitResult } from './support/stack.js';

/**
 * The public facilities page (/facilities.html) in Chromium against the local stack, on a 360 px phone:
 * real labs registered with the admin CLI, real results, real signed rules. It groups labs by province,
 * marks stale ones (the page's clock moved past 24 h), filters by name or province without diacritics,
 * shows the rules in force and scheduled per province and mode once their signature checks, prints
 * without its search box and with every group open, and passes an axe-core audit in both languages.
 */

/** A member the admin CLI's --json answer must carry (`id`, `credential`). */
const memberOf = (value: unknown, name: 'id' | 'credential'): string => {
  const member = typeof value === 'object' && value !== null ? Reflect.get(value, name) : undefined;
  if (typeof member !== 'string') throw new Error(`admin answered no ${name}`);
  return member;
};

const ruleFor = (input: {
  id: string;
  jurisdiction: string;
  mode: string;
  version: number;
  validFrom: Date;
  rtPcrHours: number;
}): RuleSet => ({
  ...entryRule({
    id: input.id,
    version: input.version,
    validFrom: input.validFrom,
    rtPcrHours: input.rtPcrHours,
  }),
  jurisdiction: input.jurisdiction,
  mode: input.mode,
  legalBasis: `${input.id}/QĐ-UBND v${input.version}`,
});

let bench: PhoneBench;
const scheduledFrom = new Date(Date.now() + 48 * 3600_000);

beforeAll(async () => {
  bench = await PhoneBench.start();
  const { stack } = bench;
  const haiPhong = await stack.admin(
    'lab',
    'add',
    '--name',
    'CDC Hải Phòng',
    '--province',
    'Hải Phòng',
    '--test-types',
    'RT_PCR',
  );
  const baiChay = await stack.addLab('Bệnh viện Bãi Cháy');
  await stack.addLab('Trung tâm Y tế Hạ Long', 'RAPID_ANTIGEN');
  const suspended = await stack.admin(
    'lab',
    'add',
    '--name',
    'Phòng khám Cẩm Phả',
    '--province',
    'Quảng Ninh',
    '--test-types',
    'RT_PCR',
  );
  await stack.admin('lab', 'suspend', memberOf(suspended, 'id'));
  for (const [lab, citizen, sampleId] of [
    [haiPhong, holder, 'PUB-1'],
    [baiChay, positive, 'PUB-2'],
  ] as const) {
    await submitResult(stack, memberOf(lab, 'credential'), citizen, {
      sampleId,
      testType: 'RT_PCR',
      result: 'NEGATIVE',
      sampledAt: hoursAgo(3),
    });
  }
  await publishRules(stack, [
    ruleFor({
      id: 'HP-ENTRY',
      jurisdiction: 'VN-HP',
      mode: 'ENTRY',
      version: 1,
      validFrom: hoursAgo(24),
      rtPcrHours: 72,
    }),
    ruleFor({
      id: 'HP-ENTRY',
      jurisdiction: 'VN-HP',
      mode: 'ENTRY',
      version: 2,
      validFrom: scheduledFrom,
      rtPcrHours: 48,
    }),
    ruleFor({
      id: 'QN-FREIGHT',
      jurisdiction: 'VN-13',
      mode: 'FREIGHT',
      version: 1,
      validFrom: hoursAgo(24),
      rtPcrHours: 24,
    }),
    // Quảng Ninh's own entry rule starts later: until then its entry checkpoints apply the country's.
    ruleFor({
      id: 'QN-ENTRY',
      jurisdiction: 'VN-13',
      mode: 'ENTRY',
      version: 1,
      validFrom: scheduledFrom,
      rtPcrHours: 48,
    }),
  ]);
});

afterAll(async () => {
  await bench?.stop();
});

/** A fresh 360 px phone showing the public page (at `clock` when given), with the files it requested. */
async function publicPage(clock?: Date): Promise<{ page: Page; requested: string[]; problems: string[] }> {
  const browser = await bench.browser();
  const context = await browser.newContext({
    baseURL: bench.stack.url,
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'vi-VN',
    timezoneId: 'Europe/Berlin',
    serviceWorkers: 'block',
  });
  const page = await context.newPage();
  const requested: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // The optional config.json is absent on the local stack: that 404 is expected.
    if (message.type() === 'error' && !message.text().includes('404')) problems.push(message.text());
  });
  if (clock) await page.clock.setFixedTime(clock);
  await page.goto('/facilities.html');
  await page.locator('[data-rules]').waitFor();
  return { page, requested, problems };
}

const groups = (page: Page) =>
  page
    .locator('details.province:not(.filtered-out)')
    .evaluateAll((elements) =>
      elements.map((element) => [
        element.getAttribute('data-province'),
        Array.from(element.querySelectorAll('li.facility:not(.filtered-out) .facility-name')).map(
          (name) => name.textContent,
        ),
      ]),
    );
const facility = (page: Page, name: string) => page.locator('li.facility', { hasText: name });

describe('the public facilities page', () => {
  it('groups the labs by province with status, test types and times, in Vietnamese, with no credential', async () => {
    const { page, requested, problems } = await publicPage();

    await expectText(page.locator('h1'), vi.pageTitle);
    expect(await groups(page)).toEqual([
      ['Hải Phòng', ['CDC Hải Phòng']],
      ['Quảng Ninh', ['Bệnh viện Bãi Cháy', 'Phòng khám Cẩm Phả', 'Trung tâm Y tế Hạ Long']],
    ]);
    await expectText(facility(page, 'CDC Hải Phòng').locator('[data-field=status] dd'), vi.statusACTIVE);
    await expectText(
      facility(page, 'Phòng khám Cẩm Phả').locator('[data-field=status] dd'),
      vi.statusSUSPENDED,
    );
    await expectText(
      facility(page, 'Trung tâm Y tế Hạ Long').locator('[data-field=test-types] dd'),
      vi.testRAPID_ANTIGEN,
    );
    await expectText(
      facility(page, 'Trung tâm Y tế Hạ Long').locator('[data-field=last-result] dd'),
      vi.never,
    );
    expect(
      await facility(page, 'CDC Hải Phòng').locator('[data-field=last-result] dd').textContent(),
    ).toMatch(/^\d{2}:\d{2} \d{2}\/\d{2}\/\d{4}$/);
    // Fresh labs carry no stale mark.
    expect(await page.locator('[data-field=stale]').count()).toBe(0);
    await expectAttribute(facility(page, 'CDC Hải Phòng'), 'data-freshness', 'FRESH');

    // Readable on a 360 px phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // Its own small bundle: none of the checkpoint page's files, and no /v1 call that needs a credential.
    expect(
      requested.filter((path) => /\/assets\/(main|chunk)-|sw\.js|\/v1\/(verify|devices)/.test(path)),
    ).toEqual([]);
    expect(requested).toEqual(expect.arrayContaining(['/v1/facilities', '/v1/rules', '/v1/keys']));
    expect(problems).toEqual([]);
    await page.screenshot({ path: join(screenshots, 'public-page.png'), fullPage: true });
  });

  it('marks the labs that have sent nothing for more than 24 hours', async () => {
    const { page } = await publicPage(new Date(Date.now() + 25 * 3600_000));

    await expectAttribute(facility(page, 'CDC Hải Phòng'), 'data-freshness', 'STALE');
    await expectText(
      facility(page, 'CDC Hải Phòng').locator('[data-field=stale]'),
      'Quá 24 giờ chưa gửi kết quả',
    );
    await expectAttribute(facility(page, 'Bệnh viện Bãi Cháy'), 'data-freshness', 'STALE');
    // Never sent: said so, not "stale"; suspended: not judged.
    await expectAttribute(facility(page, 'Trung tâm Y tế Hạ Long'), 'data-freshness', 'NO_RESULT');
    await expectAttribute(facility(page, 'Phòng khám Cẩm Phả'), 'data-freshness', 'NOT_JUDGED');
    expect(await page.locator('[data-field=stale]').count()).toBe(2);
  });

  it('filters by province or name without diacritics, and says when nothing matches', async () => {
    const { page } = await publicPage();

    await page.locator('#search').fill('hai phong');
    expect(await groups(page)).toEqual([['Hải Phòng', ['CDC Hải Phòng']]]);
    await expectText(page.locator('#search-count'), 'Tìm thấy 1 / 4 cơ sở');

    await page.locator('#search').fill('BAI CHAY');
    expect(await groups(page)).toEqual([['Quảng Ninh', ['Bệnh viện Bãi Cháy']]]);

    await page.locator('#search').fill('Đà Nẵng');
    expect(await groups(page)).toEqual([]);
    expect(await page.locator('.no-match').isVisible()).toBe(true);

    await page.locator('#search').fill('');
    expect((await groups(page)).length).toBe(2);
  });

  it('shows the signed rules in force and scheduled per province and mode, in Vietnam time', async () => {
    const { page } = await publicPage();

    await expectAttribute(page.locator('[data-rules]'), 'data-rules', 'verified');
    await expectText(page.locator('[data-field=rules-signature]'), vi.rulesVerified);
    const haiPhong = page.locator('[data-jurisdiction=VN-HP] [data-mode=ENTRY]');
    await expectText(
      haiPhong.locator('[data-rule=in-force] [data-field=description]'),
      'RT-PCR âm tính trong 72 giờ',
    );
    await expectText(
      haiPhong.locator('[data-rule=in-force] [data-field=legal-basis] dd'),
      'HP-ENTRY/QĐ-UBND v1 (HP-ENTRY, phiên bản 1)',
    );
    await expectText(
      haiPhong.locator('[data-rule=scheduled] .rule-when'),
      `Áp dụng từ ${formatVietnamTime(scheduledFrom)} (giờ Việt Nam)`,
    );
    await expectText(
      haiPhong.locator('[data-rule=scheduled] [data-field=description]'),
      'RT-PCR âm tính trong 48 giờ',
    );
    expect(
      await page.locator('[data-jurisdiction=VN-13] [data-mode=FREIGHT] [data-rule=in-force]').count(),
    ).toBe(1);
    // A jurisdiction is shown by its name in the official list (contract/provinces.ts).
    await expectText(page.locator('[data-jurisdiction=VN-13] h3'), 'Quảng Ninh');
    // Before its own rule starts, Quảng Ninh's entry checkpoints apply the country's, and the page says so.
    const quangNinhEntry = page.locator('[data-jurisdiction=VN-13] [data-mode=ENTRY]');
    await expectAttribute(quangNinhEntry.locator('[data-rule=in-force]'), 'data-fallback', 'country');
    await expectText(quangNinhEntry.locator('[data-rule=in-force] [data-field=fallback]'), vi.ruleFallback);
    await expectAttribute(quangNinhEntry.locator('[data-rule=scheduled]'), 'data-rule-id', 'QN-ENTRY');
  });

  it('switches to English, remembers it, and passes axe in both languages', async () => {
    const { page } = await publicPage();
    expect(await seriousViolations(page)).toEqual([]);

    await page.locator('[data-action=language]').click();
    await expectText(page.locator('h1'), en.pageTitle);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expectText(
      page.locator('[data-jurisdiction=VN-HP] [data-rule=in-force] [data-field=description]'),
      'Negative RT-PCR within 72 h',
    );
    expect(await seriousViolations(page)).toEqual([]);

    await page.reload();
    await expectText(page.locator('h1'), en.pageTitle);
  });

  it('prints every facility, with every group open and no search box', async () => {
    const { page } = await publicPage();
    await page.locator('#search').fill('hai phong');
    await page.locator('details[data-province="Hải Phòng"] > summary').click();
    expect(await facility(page, 'CDC Hải Phòng').isVisible()).toBe(false);

    await page.emulateMedia({ media: 'print' });

    expect(await page.locator('#search').isVisible()).toBe(false);
    expect(await facility(page, 'CDC Hải Phòng').isVisible()).toBe(true);
    expect(await facility(page, 'Bệnh viện Bãi Cháy').isVisible()).toBe(true);
    expect(await page.locator('[data-rule=in-force]').first().isVisible()).toBe(true);
  });
});
