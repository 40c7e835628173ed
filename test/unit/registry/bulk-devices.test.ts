import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bulkAddSchema, numberedNames } from '../../../cli/admin/commands/bulk-devices.js';
import { checklistText, LAB_ONBOARDING_CHECKLIST } from '../../../cli/admin/onboarding-checklist.js';
import { pairingSheetHtml } from '../../../cli/admin/pairing-sheet.js';
import { projectRoot } from '../../../lib/paths.js';

describe('device add --count', () => {
  it('numbers the names from 001, going on after the highest already registered', () => {
    expect(numberedNames('Chốt QL18 ', 3, [])).toEqual(['Chốt QL18 001', 'Chốt QL18 002', 'Chốt QL18 003']);
    expect(numberedNames('Chốt QL18 ', 2, ['Chốt QL18 007', 'Chốt QL18 x', 'Chốt Km 5 099'])).toEqual([
      'Chốt QL18 008',
      'Chốt QL18 009',
    ]);
    expect(numberedNames('A-', 2, ['A-998'])).toEqual(['A-0999', 'A-1000']);
  });

  it.each([
    [{ count: '501', 'name-prefix': 'x' }, /1 to 500/],
    [{ count: '0', 'name-prefix': 'x' }, /1 to 500/],
    [{ count: '2.5', 'name-prefix': 'x' }, /1 to 500/],
    [{ count: '3' }, /go together/],
    [{ count: '3', 'name-prefix': 'x', name: 'y' }, /not both/],
    [{ name: 'y', sheet: 'a.html' }, /--sheet goes with --count/],
    [{ count: '3', 'name-prefix': 'x', sheet: 'a.pdf' }, /\.html/],
    [{}, /--name <name> is required/],
  ])('refuses %j', (input, message) => {
    const parsed = bulkAddSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message).join('; ')).toMatch(message);
  });

  it('says each problem in Vietnamese first, then English', () => {
    const parsed = bulkAddSchema.safeParse({ count: '3' });

    expect(parsed.error?.issues.map((i) => i.message)).toEqual([
      '--count và --name-prefix phải đi cùng nhau / --count and --name-prefix go together',
    ]);
  });

  it('reads one device or many, in the whole country by default or in a province and mode', () => {
    const national = { jurisdiction: 'VN', mode: 'ENTRY' };
    expect(bulkAddSchema.parse({ name: 'Chốt Km 5' })).toEqual({
      kind: 'one',
      name: 'Chốt Km 5',
      scope: national,
    });
    expect(bulkAddSchema.parse({ count: '40', 'name-prefix': 'Chốt QL18 ', sheet: 'ql18.html' })).toEqual({
      kind: 'many',
      count: 40,
      prefix: 'Chốt QL18 ',
      sheet: 'ql18.html',
      scope: national,
    });
    expect(
      bulkAddSchema.parse({ count: '2', 'name-prefix': 'Cầu ', jurisdiction: 'vn-13', mode: 'freight' }),
    ).toMatchObject({ kind: 'many', scope: { jurisdiction: 'VN-13', mode: 'FREIGHT' } });
  });
});

describe('the pairing sheet', () => {
  it('has one QR image per device with its escaped name, A4 print styles and the credential warning first in Vietnamese', async () => {
    const html = await pairingSheetHtml(
      [
        { id: 'dev_1', name: 'Chốt <QL18> 001', credential: 'rg_dev_a' },
        { id: 'dev_2', name: 'Chốt QL18 002', credential: 'rg_dev_b' },
      ],
      { stack: 'local', createdAt: '2021-09-10T00:00:00Z' },
    );

    expect(html.match(/<img src="data:image\/png;base64,/g)).toHaveLength(2);
    expect(html).toContain('Chốt &#60;QL18&#62; 001');
    expect(html).not.toContain('<QL18>');
    expect(html).toContain('@page { size: A4');
    expect(html.indexOf('CẢNH BÁO: mỗi mã QR là một mã truy cập')).toBeLessThan(
      html.indexOf('WARNING: each QR code is a credential'),
    );
    expect(html).not.toContain('rg_dev_a'); // only inside the QR images
  });
});

describe('the lab onboarding checklist', () => {
  it('prints every step in Vietnamese, then English', () => {
    const text = checklistText();
    for (const item of LAB_ONBOARDING_CHECKLIST) {
      expect(text.indexOf(item.vi)).toBeGreaterThan(-1);
      expect(text.indexOf(item.vi)).toBeLessThan(text.indexOf(item.en));
    }
  });

  it.each([
    ['vi', 'lab-integration.vi.md'],
    ['en', 'lab-integration.en.md'],
  ] as const)('is, step for step, section 1 of the lab guide in %s', async (language, file) => {
    const guide = await readFile(join(projectRoot, 'docs', 'guides', file), 'utf8');
    const section = guide.slice(guide.indexOf('## 1.'), guide.indexOf('## 2.'));
    const steps = section
      .split(/\n\d+\. /)
      .slice(1)
      .map((step) => step.replaceAll('**', '').replace(/\s+/g, ' ').trim());

    expect(steps).toEqual(LAB_ONBOARDING_CHECKLIST.map((item) => item[language]));
  });
});
