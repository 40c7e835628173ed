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

/**
 * ISO 3166-2:VN as it listed the 63 units before 1 July 2025, written here apart from the data file so
 * that a code given to the wrong name there (two codes swapped, say) fails.
 */
const iso3166VnBefore2025: Readonly<Record<string, string>> = {
  'VN-01': 'Lai Châu',
  'VN-02': 'Lào Cai',
  'VN-03': 'Hà Giang',
  'VN-04': 'Cao Bằng',
  'VN-05': 'Sơn La',
  'VN-06': 'Yên Bái',
  'VN-07': 'Tuyên Quang',
  'VN-09': 'Lạng Sơn',
  'VN-13': 'Quảng Ninh',
  'VN-14': 'Hòa Bình',
  'VN-18': 'Ninh Bình',
  'VN-20': 'Thái Bình',
  'VN-21': 'Thanh Hóa',
  'VN-22': 'Nghệ An',
  'VN-23': 'Hà Tĩnh',
  'VN-24': 'Quảng Bình',
  'VN-25': 'Quảng Trị',
  'VN-26': 'Thừa Thiên Huế',
  'VN-27': 'Quảng Nam',
  'VN-28': 'Kon Tum',
  'VN-29': 'Quảng Ngãi',
  'VN-30': 'Gia Lai',
  'VN-31': 'Bình Định',
  'VN-32': 'Phú Yên',
  'VN-33': 'Đắk Lắk',
  'VN-34': 'Khánh Hòa',
  'VN-35': 'Lâm Đồng',
  'VN-36': 'Ninh Thuận',
  'VN-37': 'Tây Ninh',
  'VN-39': 'Đồng Nai',
  'VN-40': 'Bình Thuận',
  'VN-41': 'Long An',
  'VN-43': 'Bà Rịa - Vũng Tàu',
  'VN-44': 'An Giang',
  'VN-45': 'Đồng Tháp',
  'VN-46': 'Tiền Giang',
  'VN-47': 'Kiên Giang',
  'VN-49': 'Vĩnh Long',
  'VN-50': 'Bến Tre',
  'VN-51': 'Trà Vinh',
  'VN-52': 'Sóc Trăng',
  'VN-53': 'Bắc Kạn',
  'VN-54': 'Bắc Giang',
  'VN-55': 'Bạc Liêu',
  'VN-56': 'Bắc Ninh',
  'VN-57': 'Bình Dương',
  'VN-58': 'Bình Phước',
  'VN-59': 'Cà Mau',
  'VN-61': 'Hải Dương',
  'VN-63': 'Hà Nam',
  'VN-66': 'Hưng Yên',
  'VN-67': 'Nam Định',
  'VN-68': 'Phú Thọ',
  'VN-69': 'Thái Nguyên',
  'VN-70': 'Vĩnh Phúc',
  'VN-71': 'Điện Biên',
  'VN-72': 'Đắk Nông',
  'VN-73': 'Hậu Giang',
  'VN-CT': 'Cần Thơ',
  'VN-DN': 'Đà Nẵng',
  'VN-HN': 'Hà Nội',
  'VN-HP': 'Hải Phòng',
  'VN-SG': 'Hồ Chí Minh',
};

describe('the ISO codes of the units merged away on 1 July 2025', () => {
  it('has one code for each former unit named in a merger, none of them a code in force, 63 codes in all', () => {
    const formerNames = provinces.flatMap((province) => province.merged);
    const inForce = provinces.map((province) => province.iso);

    expect([...formerProvinceCodes.values()].sort()).toEqual([...formerNames].sort());
    expect([...formerProvinceCodes.keys()].filter((code) => inForce.includes(code))).toEqual([]);
    expect(new Set([...formerProvinceCodes.keys(), ...inForce]).size).toBe(63);
  });

  it('gives every code, in force or former, to the unit ISO 3166-2:VN named by it', () => {
    expect(Object.keys(iso3166VnBefore2025)).toHaveLength(63);
    for (const [code, formerName] of formerProvinceCodes) {
      expect({ code, name: formerName }).toEqual({ code, name: iso3166VnBefore2025[code] });
    }
    for (const { iso, name } of provinces) {
      // Huế kept Thừa Thiên Huế's territory and code under its new name.
      const isoName = iso3166VnBefore2025[iso];
      expect({ iso, name: isoName === 'Thừa Thiên Huế' ? 'Huế' : isoName }).toEqual({ iso, name });
    }
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
