import { describe, expect, it } from 'vitest';
import {
  freshnessOf,
  groupByProvince,
  matchesSearch,
  type PublicFacility,
  readFacilityList,
  searchKey,
} from '../../../web/src/public/facility-list.js';
import { readPublicConfig } from '../../../web/src/public/load.js';

const facility = (overrides: Partial<PublicFacility> & Pick<PublicFacility, 'id' | 'name' | 'province'>) => ({
  testTypes: ['RT_PCR'],
  status: 'ACTIVE',
  integratedSince: '2021-08-01T02:00:00.000Z',
  lastResultAt: '2021-09-01T02:00:00.000Z',
  ...overrides,
});

describe('reading GET /v1/facilities', () => {
  it('keeps every readable lab and a status it does not know yet (REVOKED)', () => {
    const list = readFacilityList({
      updatedAt: '2021-09-01T03:00:00.000Z',
      facilities: [
        facility({ id: 'lab_1', name: 'CDC Hải Phòng', province: 'Hải Phòng', status: 'REVOKED' }),
        facility({ id: 'lab_2', name: 'BV Bãi Cháy', province: 'Quảng Ninh', lastResultAt: null }),
        { id: 'lab_3', name: 'no province' },
      ],
    });

    expect(list?.facilities.map((entry) => [entry.id, entry.status, entry.lastResultAt])).toEqual([
      ['lab_1', 'REVOKED', '2021-09-01T02:00:00.000Z'],
      ['lab_2', 'ACTIVE', null],
    ]);
  });

  it('refuses an answer that is not a facilities list', () => {
    expect(readFacilityList({ facilities: [] })).toBeUndefined();
    expect(readFacilityList({ updatedAt: 'yesterday', facilities: [] })).toBeUndefined();
    expect(readFacilityList([])).toBeUndefined();
  });
});

describe('grouping by province', () => {
  it("groups in the API's order: province, then name as Vietnamese sorts it, then id", () => {
    const groups = groupByProvince([
      facility({ id: 'lab_b', name: 'Trung tâm Y tế 10', province: 'Quảng Ninh' }),
      facility({ id: 'lab_c', name: 'CDC Hải Phòng', province: 'Hải Phòng' }),
      facility({ id: 'lab_a', name: 'Trung tâm Y tế 9', province: 'Quảng Ninh' }),
      facility({ id: 'lab_e', name: 'Bệnh viện Đà Nẵng', province: 'Đà Nẵng' }),
      facility({ id: 'lab_d', name: 'Trung tâm Y tế 9', province: 'Quảng Ninh' }),
    ]);

    expect(groups.map((group) => [group.province, group.facilities.map((entry) => entry.id)])).toEqual([
      ['Đà Nẵng', ['lab_e']],
      ['Hải Phòng', ['lab_c']],
      ['Quảng Ninh', ['lab_a', 'lab_d', 'lab_b']],
    ]);
  });

  it('keeps two spellings of one province as two whole groups, side by side', () => {
    const groups = groupByProvince([
      facility({ id: 'lab_1', name: 'A', province: 'Hải Phòng' }),
      facility({ id: 'lab_2', name: 'B', province: 'Hai Phong' }),
      facility({ id: 'lab_3', name: 'C', province: 'Hải Phòng' }),
      facility({ id: 'lab_4', name: 'D', province: 'Quảng Ninh' }),
    ]);

    expect(groups.map((group) => [group.province, group.facilities.length])).toEqual([
      ['Hai Phong', 1],
      ['Hải Phòng', 2],
      ['Quảng Ninh', 1],
    ]);
  });
});

describe('stale marking', () => {
  const now = new Date('2021-09-02T03:00:00.000Z');

  it('marks an active lab whose latest result is more than the threshold old, not one just within it', () => {
    const old = facility({ id: 'lab_1', name: 'A', province: 'P', lastResultAt: '2021-09-01T02:59:59.000Z' });
    const edge = facility({
      id: 'lab_2',
      name: 'B',
      province: 'P',
      lastResultAt: '2021-09-01T03:00:00.000Z',
    });

    expect(freshnessOf(old, now, 24)).toBe('STALE');
    expect(freshnessOf(edge, now, 24)).toBe('FRESH');
    expect(freshnessOf(old, now, 48)).toBe('FRESH');
  });

  it('says NO_RESULT before the first result, and does not judge a suspended lab', () => {
    expect(
      freshnessOf(facility({ id: 'lab_1', name: 'A', province: 'P', lastResultAt: null }), now, 24),
    ).toBe('NO_RESULT');
    expect(
      freshnessOf(
        facility({ id: 'lab_2', name: 'B', province: 'P', status: 'SUSPENDED', lastResultAt: null }),
        now,
        24,
      ),
    ).toBeUndefined();
  });
});

describe('search', () => {
  it('ignores diacritics, đ, case and extra spaces', () => {
    expect(searchKey('  Hải   PHÒNG ')).toBe('hai phong');
    expect(searchKey('Đà Nẵng')).toBe('da nang');
    // Decomposed input (as some keyboards send it) finds the same.
    expect(searchKey('Hải Phòng'.normalize('NFD'))).toBe('hai phong');
  });

  it('finds a facility by its name or its province, and all of them with an empty query', () => {
    const lab = facility({ id: 'lab_1', name: 'Bệnh viện Việt Tiệp', province: 'Hải Phòng' });

    expect(matchesSearch(lab, 'hai phong')).toBe(true);
    expect(matchesSearch(lab, 'viet tiep')).toBe(true);
    expect(matchesSearch(lab, 'VIỆT')).toBe(true);
    expect(matchesSearch(lab, '')).toBe(true);
    expect(matchesSearch(lab, 'quang ninh')).toBe(false);
  });
});

describe('config.json', () => {
  it("reads the stage's staleLabHours and API base, with the stage defaults without one", () => {
    expect(readPublicConfig({ apiBaseUrl: 'https://api.example/prod/', staleLabHours: 12 })).toEqual({
      apiBaseUrl: 'https://api.example/prod',
      staleLabHours: 12,
    });
    expect(readPublicConfig(undefined)).toEqual({ apiBaseUrl: '', staleLabHours: 24 });
    expect(readPublicConfig({ staleLabHours: -1 }).staleLabHours).toBe(24);
  });
});
