import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProvince, formerProvinceCodes, mergedCode, provinces } from '../../../contract/provinces.js';
import { publicationProblems } from '../../../contract/rules-publication.js';
import { makeRegistryCommands, requireProvince } from '../../../functions/domain/registry.js';
import { problemInVietnamese } from '../../../functions/domain/rule-problems-vi.js';
import { ValidationFailedError } from '../../../functions/errors.js';
import { projectRoot } from '../../../lib/paths.js';
import { inMemoryRegistry } from '../../support/fakes.js';

const ruleFile = JSON.parse(
  readFileSync(join(projectRoot, 'docs', 'rules', 'quang-ninh-2021', 'qn-entry-v1.json'), 'utf8'),
) as Record<string, unknown>;

describe('the ISO codes of the units merged away on 1 July 2025', () => {
  it('has one code for each former unit named in a merger, none of them a code in force, 63 codes in all', () => {
    const formerNames = provinces.flatMap((province) => province.merged);
    const inForce = provinces.map((province) => province.iso);

    expect([...formerProvinceCodes.values()].sort()).toEqual([...formerNames].sort());
    expect([...formerProvinceCodes.keys()].filter((code) => inForce.includes(code))).toEqual([]);
    expect(new Set([...formerProvinceCodes.keys(), ...inForce]).size).toBe(63);
  });

  it('answers a former code with the unit it became part of, and nothing for any other code', () => {
    expect(mergedCode('VN-61')).toMatchObject({
      formerName: 'Hải Dương',
      now: { name: 'Hải Phòng', iso: 'VN-HP' },
    });
    expect(mergedCode(' vn-57 ')).toMatchObject({ formerName: 'Bình Dương', now: { iso: 'VN-SG' } });
    expect(mergedCode('VN-72')).toMatchObject({ formerName: 'Đắk Nông', now: { name: 'Lâm Đồng' } });
    for (const code of ['VN-HP', 'VN-13', 'VN-99', 'VN', 'constructor', '__proto__', '']) {
      expect(mergedCode(code)).toBeUndefined();
    }
  });
});

describe('a former code where a province in force is asked for', () => {
  it('device add names the code to use, in Vietnamese then English', async () => {
    const commands = makeRegistryCommands(inMemoryRegistry());
    const refused = commands.addDevice('Chốt Km 5', { jurisdiction: 'VN-61', mode: 'ENTRY' });

    await expect(refused).rejects.toThrow(ValidationFailedError);
    await expect(refused).rejects.toThrow(
      'jurisdiction VN-61 là mã của tỉnh Hải Dương cũ, đã nhập vào Hải Phòng từ 01/07/2025: hãy dùng VN-HP. / ' +
        'jurisdiction VN-61 was the code of the former province Hải Dương, merged into Hải Phòng on 1 July 2025: use VN-HP.',
    );
    await expect(refused).rejects.toMatchObject({
      details: [
        {
          path: 'jurisdiction',
          message:
            'was the code of the former province Hải Dương, merged into Hải Phòng on 1 July 2025: use VN-HP',
        },
      ],
    });
    // A code that never was a province keeps the general message.
    await expect(
      commands.addDevice('Chốt Km 6', { jurisdiction: 'VN-99', mode: 'ENTRY' }),
    ).rejects.toMatchObject({
      details: [{ message: 'must be the ISO 3166-2 code of a province in force, such as VN-13, or VN' }],
    });
  });

  it('a rule file names the code to use, and so does its Vietnamese', () => {
    const problems = publicationProblems({ ...ruleFile, jurisdiction: 'VN-46' });
    const problem = problems.find((p) => p.path === 'jurisdiction');

    expect(problem?.message).toBe(
      'was the code of the former province Tiền Giang, merged into Đồng Tháp on 1 July 2025: use VN-45',
    );
    expect(problem && problemInVietnamese(problem)).toBe(
      'là mã của tỉnh Tiền Giang cũ, đã nhập vào Đồng Tháp từ 01/07/2025: hãy dùng VN-45',
    );
  });

  it("a lab's province given as a former code is told the code to use, and offered the unit", () => {
    expect(() => requireProvince('vn-46')).toThrow(
      'VN-46 là mã của tỉnh Tiền Giang cũ, đã nhập vào Đồng Tháp từ 01/07/2025: hãy dùng VN-45. / ' +
        'VN-46 was the code of the former province Tiền Giang, merged into Đồng Tháp on 1 July 2025: use VN-45.',
    );
    expect(() => requireProvince('VN-46')).toThrow(
      expect.objectContaining({
        details: [{ path: 'province', message: 'unknown province; did you mean: Đồng Tháp?' }],
      }),
    );
    expect(findProvince('VN-50')).toEqual({ found: false, suggestions: ['Vĩnh Long'] });
  });
});
