import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { setTimeout as pause } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxBodyBytes } from '../../../cli/submit/batching.js';
import { type CsvRow, readRows } from '../../../cli/submit/csv.js';
import { submitRows } from '../../../cli/submit/pipeline.js';
import { ReportBuilder } from '../../../cli/submit/report.js';
import { makeTempDir } from '../../support/temp.js';

const rowCount = 100_000;
const header = 'sampleId,idType,idNumber,fullName,dateOfBirth,phone,testType,result,sampledAt,resultedAt\n';

const writeLargeCsv = async (file: string): Promise<void> => {
  const out = createWriteStream(file);
  out.write(header);
  for (let i = 0; i < rowCount; i += 1) {
    const phone = i % 3 === 0 ? '' : '0912345678';
    const line = `S-${i},CCCD,001190${String(i).padStart(6, '0')},"Nguyễn Thị, Ánh ${i}",1990-05-17,${phone},RT_PCR,NEGATIVE,2021-09-10T08:30:00+07:00,2021-09-10T14:00:00+07:00\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await finished(out);
};

interface Snapshot {
  readonly pulled: number;
  readonly batchSize: number;
  /** How far the file stream has read, beyond the last row handed to the pipeline. */
  readonly readAhead: number;
}

describe('streaming a large file', () => {
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = await makeTempDir('submit');
    file = join(dir, 'results.csv');
    await writeLargeCsv(file);
  }, 60_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('parses no further than the batch being delivered, so memory stays bounded', async () => {
    const { size } = await stat(file);
    const stream = createReadStream(file);
    let pulled = 0;
    let lastRowEnd = 0;
    async function* counted(rows: AsyncIterable<CsvRow>): AsyncGenerator<CsvRow> {
      for await (const row of rows) {
        pulled += 1;
        lastRowEnd = row.bytesRead;
        yield row;
      }
    }
    const snapshots: Snapshot[] = [];
    const report = new ReportBuilder(file);

    await submitRows(counted(readRows(stream)), {
      limits: { maxItems: 500, maxBytes: maxBodyBytes },
      report,
      deliver: async (batch, record) => {
        // Give the file stream every chance to read ahead while the "server" is busy.
        await pause(snapshots.length % 50 === 0 ? 20 : 0);
        snapshots.push({ pulled, batchSize: batch.length, readAhead: stream.bytesRead - lastRowEnd });
        for (const entry of batch) record({ entry, status: 'ACCEPTED' });
      },
    });

    expect(size).toBeGreaterThan(10_000_000);
    expect(snapshots).toHaveLength(rowCount / 500);
    expect(snapshots.every((s, k) => s.pulled === (k + 1) * 500 && s.batchSize === 500)).toBe(true);
    expect(Math.max(...snapshots.map((s) => s.readAhead))).toBeLessThan(512 * 1024);
    expect(report.finish()).toMatchObject({ rows: rowCount, accepted: rowCount, rejected: 0 });
  }, 60_000);
});
