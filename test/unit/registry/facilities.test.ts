import { describe, expect, it } from 'vitest';
import { listFacilities } from '../../../functions/domain/facilities.js';
import { facilityListSchema } from '../../../functions/schemas/facilities.js';
import { aLab, registryOf } from './labs.js';

const NOW = new Date('2021-09-10T12:00:00.000Z');
const clock = { now: () => NOW };

describe('the facilities list', () => {
  it('publishes exactly the contract fields of a lab, never its credential hash', async () => {
    const registry = registryOf([
      aLab({
        id: 'lab_a',
        integratedSince: '2021-09-02T08:00:00.000Z',
        lastResultAt: '2021-09-10T11:00:00.000Z',
      }),
    ]);

    const list = await listFacilities({ registry, clock });

    expect(list).toEqual({
      updatedAt: '2021-09-10T12:00:00.000Z',
      facilities: [
        {
          id: 'lab_a',
          name: 'CDC Quảng Ninh',
          province: 'Quảng Ninh',
          testTypes: ['RT_PCR', 'RAPID_ANTIGEN'],
          status: 'ACTIVE',
          integratedSince: '2021-09-02T08:00:00.000Z',
          lastResultAt: '2021-09-10T11:00:00.000Z',
        },
      ],
    });
    expect(facilityListSchema.safeParse(list).success).toBe(true);
  });

  it('gives nulls to a lab that has no stored result yet', async () => {
    const list = await listFacilities({ registry: registryOf([aLab()]), clock });

    expect(list.facilities[0]).toMatchObject({ integratedSince: null, lastResultAt: null });
  });

  it('shows a suspended lab as SUSPENDED and leaves a revoked one out', async () => {
    const registry = registryOf([
      aLab({ id: 'lab_s', status: 'SUSPENDED' }),
      aLab({ id: 'lab_r', status: 'REVOKED' }),
    ]);

    const list = await listFacilities({ registry, clock });

    expect(list.facilities.map((f) => [f.id, f.status])).toEqual([['lab_s', 'SUSPENDED']]);
  });

  it('orders labs by province, then name in Vietnamese order, then id', async () => {
    const registry = registryOf([
      aLab({ id: 'lab_4', province: 'Quảng Ninh', name: 'Trung tâm Y tế Vân Đồn' }),
      aLab({ id: 'lab_3', province: 'Quảng Ninh', name: 'Bệnh viện Đa khoa Bãi Cháy' }),
      aLab({ id: 'lab_2', province: 'Hải Phòng', name: 'Bệnh viện Việt Tiệp' }),
      aLab({ id: 'lab_6', province: 'Quảng Ninh', name: 'Bệnh viện Đa khoa Bãi Cháy' }),
      aLab({ id: 'lab_5', province: 'Quảng Ninh', name: 'Bệnh viện Cẩm Phả' }),
    ]);

    const list = await listFacilities({ registry, clock });

    expect(list.facilities.map((f) => f.id)).toEqual(['lab_2', 'lab_5', 'lab_3', 'lab_6', 'lab_4']);
  });

  it('lists nothing but labs, and says when the list was read when there are none', async () => {
    const registry = registryOf([
      aLab({ id: 'dev_1', role: 'checkpoint' }),
      aLab({ id: 'app_1', role: 'app' }),
    ]);

    const list = await listFacilities({ registry, clock });

    expect(list).toEqual({ updatedAt: '2021-09-10T12:00:00.000Z', facilities: [] });
  });
});
