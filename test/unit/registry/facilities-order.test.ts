import { describe, expect, it } from 'vitest';
import { listedLabs } from '../../../cli/admin/commands/lab.js';
import { byProvinceThenName } from '../../../contract/facilities-order.js';
import { listFacilities } from '../../../functions/domain/facilities.js';
import { aLab, registryOf } from './labs.js';

const clock = { now: () => new Date('2021-09-01T00:00:00.000Z') };

// Same province and name once diacritics and case are ignored: only the id tells them apart.
const twins = [
  aLab({ id: 'lab_b000000000000002', name: 'CDC Quảng Ninh', province: 'Quảng Ninh' }),
  aLab({ id: 'lab_a000000000000001', name: 'cdc quang ninh', province: 'Quang Ninh' }),
  aLab({ id: 'lab_0000000000000003', name: 'Bệnh viện Bãi Cháy', province: 'Quảng Ninh' }),
  aLab({ id: 'lab_0000000000000004', name: 'CDC Hà Nội', province: 'Hà Nội' }),
];
const expected = [
  'lab_0000000000000004',
  'lab_0000000000000003',
  'lab_a000000000000001',
  'lab_b000000000000002',
];

describe('the order of labs (facilities list and admin lab list)', () => {
  it('breaks a tie of province and name by id, whichever comes first', () => {
    const [later, earlier] = twins;
    if (later === undefined || earlier === undefined) throw new Error('fixture');
    expect(byProvinceThenName(earlier, later)).toBeLessThan(0);
    expect(byProvinceThenName(later, earlier)).toBeGreaterThan(0);
  });

  it.each([
    ['as given', twins],
    ['reversed', [...twins].reverse()],
  ])('lists the same order in GET /v1/facilities and in `lab list` (input %s)', async (_, labs) => {
    const facilities = await listFacilities({ registry: registryOf(labs), clock });
    expect(facilities.facilities.map((f) => f.id)).toEqual(expected);
    expect(listedLabs(labs).map((lab) => lab.id)).toEqual(expected);
  });
});
