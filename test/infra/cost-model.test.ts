import { describe, expect, it } from 'vitest';
import {
  assumptions,
  markdownTable,
  monthlyCost,
  monthlyUsage,
  type Prices,
  prices,
  type Size,
  sizes,
  totalOf,
} from '../../docs/cost-model.js';

const [province, region, national] = sizes;
const sizeNamed = (size: Size | undefined): Size => {
  if (size === undefined) throw new Error('the model has three sizes');
  return size;
};

describe('the cost model of README.md', () => {
  it('counts a province’s requests from the stated assumptions', () => {
    const usage = monthlyUsage(sizeNamed(province));
    // 30 days × (100,000 checks + 20,000/500 batches + 10 % status checks + 20 % passes)
    expect(usage.apiRequests).toBe(30 * (100_000 + 40 + 2_000 + 4_000));
    // 200 devices miss the 300 s cache at most 144 times in 12 hours; each lab sends 102 requests a day.
    expect(usage.authorizerCalls).toBeCloseTo(30 * (200 * 144 + 20 * 102), 6);
    // Two writes and a tenth per result, and the pass-request count of each pass.
    expect(usage.writeUnits).toBeCloseTo(30 * 20_000 * 2.1 + 30 * 4_000, 6);
    expect(usage.passes).toBe(30 * 4_000);
  });

  it('records every request in X-Ray below one a second, and the reservoir plus 5 % above', () => {
    const tiny: Size = { name: 'tiny', labs: 1, checkpoints: 1, resultsPerDay: 0, checksPerDay: 4_320 };
    // 4,320 checks over 12 hours is 0.1 a second: all sampled.
    expect(monthlyUsage(tiny).traces).toBeCloseTo(monthlyUsage(tiny).apiRequests, 6);
    const busy: Size = { ...tiny, checksPerDay: 43_200 * 21 };
    // 21 a second: 1 + 5 % of 20 = 2 a second, over 12 hours for 30 days.
    expect(monthlyUsage(busy).traces).toBeCloseTo(2 * 43_200 * 30, 6);
  });

  it('makes the total the sum of its lines, and a price moves only its own line', () => {
    const lines = monthlyCost(sizeNamed(national));
    expect(totalOf(lines)).toBeCloseTo(
      lines.reduce((sum, line) => sum + line.usd, 0),
      9,
    );
    const dearer: Prices = {
      ...prices,
      apiGatewayRestPerMillion: { ...prices.apiGatewayRestPerMillion, usd: 7 },
    };
    const changed = monthlyCost(sizeNamed(national), assumptions, dearer);
    expect(changed[0]?.usd).toBeCloseTo(2 * (lines[0]?.usd ?? 0), 6);
    expect(changed.slice(1)).toEqual(lines.slice(1));
  });

  it('grows with traffic: a region costs more than a province and less than five, national the most', () => {
    const cost = (size: Size | undefined) => totalOf(monthlyCost(sizeNamed(size)));
    expect(cost(region)).toBeGreaterThan(cost(province));
    expect(cost(region)).toBeLessThan(5 * cost(province));
    expect(cost(national)).toBeGreaterThan(cost(region));
  });

  it('prints a table whose last row holds the three totals', () => {
    const table = markdownTable().split('\n');
    const totals = sizes.map((size) =>
      totalOf(monthlyCost(size)).toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    );
    expect(table.at(-1)).toBe(`| **total a month** | ${totals.map((t) => `**$${t}**`).join(' | ')} |`);
    expect(table).toHaveLength(2 + monthlyCost(sizeNamed(province)).length + 1);
  });

  it('gives every price a source', () => {
    for (const [name, price] of Object.entries(prices)) {
      expect(price.source.length, name).toBeGreaterThan(10);
      expect(price.usd, name).toBeGreaterThan(0);
    }
  });
});

describe("README.md's cost table", () => {
  it('is the one the model prints (cell for cell)', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.split('### What it costs')[1]?.split('###')[0] ?? '';
    const cells = (table: string) =>
      table
        .split('\n')
        .filter((line) => line.startsWith('|') && !/^\|[\s:-]+\|/.test(line))
        .map((line) => line.split('|').map((cell) => cell.trim()));
    expect(cells(section)).toEqual(cells(markdownTable()));
  });
});
