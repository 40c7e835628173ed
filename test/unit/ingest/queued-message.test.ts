import { describe, expect, it } from 'vitest';
import { ingestion, lab } from './support.js';

/**
 * What ingest queues for an item, computed by the code before the hand reader and the KeyObject pepper:
 * stored content digests are compared to tell a resend from a correction, so the same item must keep
 * making the same message (keys, digests, UTC timestamps).
 */
const items = [
  {
    sampleId: 'QN-1',
    citizen: {
      idType: 'CCCD',
      idNumber: '001 190 012345',
      fullName: ` ${'Nguyễn Thị Ánh'.normalize('NFD')} `,
      dateOfBirth: '1990-05-01',
      phone: '091.234.5678',
    },
    testType: 'RT_PCR',
    result: 'NEGATIVE',
    sampledAt: '2024-05-31T08:30:00+07:00',
    resultedAt: '2024-05-31T09:30:00.5+07:00',
  },
  {
    sampleId: 'QN-2',
    citizen: {
      idType: 'PASSPORT',
      idNumber: 'c1234567',
      fullName: 'Trần Văn Bình',
      dateOfBirth: '2001-12-31',
    },
    testType: 'RAPID_ANTIGEN',
    result: 'POSITIVE',
    sampledAt: '2024-05-31T10:00:00.000Z',
    resultedAt: '2024-05-31T10:15:00Z',
  },
];

const common = { v: 1, labId: 'lab_1', labName: 'CDC Quảng Ninh', keyVersion: 1 };

describe('the queued message of an accepted item', () => {
  it('is the one earlier versions queued for the same item', async () => {
    const { submit, queued } = ingestion();

    await submit({ results: items }, lab);

    expect(queued).toStrictEqual([
      {
        ...common,
        sampleId: 'QN-1',
        holderKey: '22f9b51059ba53508009320ce3be3b832fb4f59f54f775ea104a89bac0ef4b42',
        maskedName: 'N***** T** Á**',
        birthYear: 1990,
        birthDateCheck: '44ab307d00d535e222d12e0fe63b2865630e38bf4a0c9eaab52f85567ec55e4f',
        testType: 'RT_PCR',
        result: 'NEGATIVE',
        sampledAt: '2024-05-31T01:30:00.000Z',
        resultedAt: '2024-05-31T02:30:00.500Z',
        receivedAt: '2024-06-01T00:00:00.000Z',
        contentDigest: 'de349211875d66fa1ac13fe569eef71822d677bc8e1c754d7a9fbb50e79caf47',
      },
      {
        ...common,
        sampleId: 'QN-2',
        holderKey: '7b9a0c2fc94aafa48b99c9293f4d10aca1edb62289c9e14cc14f87d81525c706',
        maskedName: 'T*** V** B***',
        birthYear: 2001,
        birthDateCheck: 'e2ac7015798d79c28b30340b9f59ce20f96fa9ecdc30012dd2c6e740df79adfe',
        testType: 'RAPID_ANTIGEN',
        result: 'POSITIVE',
        sampledAt: '2024-05-31T10:00:00.000Z',
        resultedAt: '2024-05-31T10:15:00.000Z',
        receivedAt: '2024-06-01T00:00:00.000Z',
        contentDigest: 'a1d85c84ea22fa467bd3fa730b5c766e8b739215b7ad74eed658899f7c2fff07',
      },
    ]);
  });
});
