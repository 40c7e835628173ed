import { describe, expect, it } from 'vitest';
import {
  BatchBuilder,
  bodyBytes,
  type Entry,
  encodeBody,
  maxBodyBytes,
  splitInHalf,
  toEntry,
} from '../../../cli/submit/batching.js';
import { entries, result } from './fakes.js';

const batchAll = (all: readonly Entry[], maxItems: number, maxBytes: number): Entry[][] => {
  const builder = new BatchBuilder({ maxItems, maxBytes });
  const batches = all.flatMap((entry) => {
    const closed = builder.add(entry);
    return closed === undefined ? [] : [closed];
  });
  const last = builder.flush();
  return last === undefined ? batches : [...batches, last];
};

describe('batching', () => {
  it('encodes a body exactly as JSON.stringify({ results }) and knows its size in bytes', () => {
    const some = [toEntry(2, result('S-1')), toEntry(3, result('S-2', { testType: 'RAPID_ANTIGEN' }))];

    const body = encodeBody(some);

    expect(body).toBe(
      JSON.stringify({ results: [result('S-1'), result('S-2', { testType: 'RAPID_ANTIGEN' })] }),
    );
    expect(bodyBytes(some)).toBe(Buffer.byteLength(body));
  });

  it('closes a batch when it holds the maximum number of items', () => {
    const batches = batchAll(entries(1_201), 500, maxBodyBytes);

    expect(batches.map((batch) => batch.length)).toEqual([500, 500, 201]);
  });

  it('splits further so that no body goes over the byte limit', () => {
    const all = entries(100);
    const limit = 10 * (all.at(0)?.bytes ?? 0);

    const batches = batchAll(all, 500, limit);

    expect(batches.flat().map((entry) => entry.line)).toEqual(all.map((entry) => entry.line));
    for (const batch of batches) expect(Buffer.byteLength(encodeBody(batch))).toBeLessThanOrEqual(limit);
    expect(batches.every((batch) => batch.length === 9 || batch === batches.at(-1))).toBe(true);
  });

  it('splits 500-item batches of long diacritic-heavy rows to stay within 1 MiB', () => {
    const longName = 'Nguyễn Thị Ánh Hồng Phượng Đặng Lê Trần Võ Huỳnh Dương Ngọc Bích Thủy Xuân Nguyệt Hằng';
    const all = Array.from({ length: 2_000 }, (_, i) =>
      toEntry(
        i + 2,
        result(`S-${i}`, { citizen: { ...result('x').citizen, fullName: longName.repeat(16) } }),
      ),
    );

    const batches = batchAll(all, 500, maxBodyBytes);

    expect(batches.length).toBeGreaterThan(4);
    for (const batch of batches)
      expect(Buffer.byteLength(encodeBody(batch))).toBeLessThanOrEqual(maxBodyBytes);
  });

  it('lets an entry larger than the limit travel alone', () => {
    const big = toEntry(
      3,
      result('S-big', { citizen: { ...result('x').citizen, fullName: 'A'.repeat(2_000) } }),
    );
    const batches = batchAll(entries(2).toSpliced(1, 0, big), 500, 1_000);

    expect(batches.map((batch) => batch.map((entry) => entry.sampleId))).toEqual([
      ['S-1'],
      ['S-big'],
      ['S-2'],
    ]);
  });

  it('splits a batch in two halves, the first one taking the odd item', () => {
    const [first, second] = splitInHalf(entries(5));

    expect(first.map((entry) => entry.sampleId)).toEqual(['S-1', 'S-2', 'S-3']);
    expect(second.map((entry) => entry.sampleId)).toEqual(['S-4', 'S-5']);
  });
});
