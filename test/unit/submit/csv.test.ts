import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type CsvRow, readRows } from '../../../cli/submit/csv.js';
import { CsvFileError } from '../../../cli/submit/errors.js';
import { source } from './fakes.js';

const header = 'sampleId,idType,idNumber,fullName,dateOfBirth,phone,testType,result,sampledAt,resultedAt';
const row = (sampleId: string, fullName = 'Nguyen Van An', phone = '0912345678'): string =>
  `${sampleId},CCCD,001190012345,${fullName},1990-05-17,${phone},RT_PCR,NEGATIVE,2021-09-10T08:30:00+07:00,2021-09-10T14:00:00+07:00`;

const read = async (text: string): Promise<CsvRow[]> => {
  const rows: CsvRow[] = [];
  for await (const r of readRows(source(text))) rows.push(r);
  return rows;
};

const results = async (text: string) =>
  (await read(text)).flatMap((r) => (r.kind === 'result' ? [{ line: r.line, ...r.result }] : []));

describe('readRows', () => {
  it('turns a row into a test result with a nested citizen', async () => {
    const rows = await results(`${header}\n${row('S-1')}\n`);

    expect(rows).toEqual([
      {
        line: 2,
        sampleId: 'S-1',
        citizen: {
          idType: 'CCCD',
          idNumber: '001190012345',
          fullName: 'Nguyen Van An',
          dateOfBirth: '1990-05-17',
          phone: '0912345678',
        },
        testType: 'RT_PCR',
        result: 'NEGATIVE',
        sampledAt: '2021-09-10T08:30:00+07:00',
        resultedAt: '2021-09-10T14:00:00+07:00',
      },
    ]);
  });

  it('strips a byte order mark so that the first column is recognised', async () => {
    const rows = await results(`\uFEFF${header}\n${row('S-1')}\n`);

    expect(rows.map((r) => r.sampleId)).toEqual(['S-1']);
  });

  it('keeps Vietnamese diacritics and normalises them to NFC', async () => {
    const decomposed = 'Nguyễn Thị Ánh'.normalize('NFD');

    const [first] = await results(`${header}\n${row('S-1', decomposed)}\n`);

    expect(first?.citizen.fullName).toBe('Nguyễn Thị Ánh'.normalize('NFC'));
  });

  it('decodes a character whose UTF-8 bytes arrive in two chunks', async () => {
    const bytes = Buffer.from(`${header}\n${row('S-1', 'Đặng Thị Ánh')}\n`, 'utf8');
    const split = bytes.indexOf(Buffer.from('ặ', 'utf8')) + 1;
    const rows: CsvRow[] = [];

    for await (const r of readRows(Readable.from([bytes.subarray(0, split), bytes.subarray(split)])))
      rows.push(r);

    expect(rows).toMatchObject([{ result: { citizen: { fullName: 'Đặng Thị Ánh' } } }]);
  });

  it('reads quoted fields containing commas and doubled quotes', async () => {
    const [first] = await results(`${header}\n${row('S-1', '"Trần, Văn ""Bé"" Hai"')}\n`);

    expect(first?.citizen.fullName).toBe('Trần, Văn "Bé" Hai');
  });

  it('leaves the phone key out when the cell is empty', async () => {
    const [first] = await results(`${header}\n${row('S-1', 'Lê Văn Tám', '')}\n`);

    expect(first?.citizen).not.toHaveProperty('phone');
  });

  it('accepts the columns in any order and ignores extra ones', async () => {
    const text =
      'note,resultedAt,sampledAt,result,testType,phone,dateOfBirth,fullName,idNumber,idType,sampleId\n' +
      'x,2021-09-10T14:00:00Z,2021-09-10T08:30:00Z,POSITIVE,RAPID_ANTIGEN,,1990-05-17,Phạm Thu,B1234567,PASSPORT,S-9\n';

    const [first] = await results(text);

    expect(first).toMatchObject({ sampleId: 'S-9', result: 'POSITIVE', citizen: { idType: 'PASSPORT' } });
  });

  it('numbers each row by the line it starts on, counting line breaks inside quoted fields', async () => {
    const text = [
      header,
      row('S-1', '"Nguyễn\nVăn\nAn"'),
      row('S-2'),
      row('S-3', '"Lê\r\nThị"'),
      row('S-4'),
    ].join('\r\n');

    const rows = await read(text);

    expect(rows.map((r) => r.line)).toEqual([2, 5, 6, 8]);
  });

  it('skips blank lines and rows of empty cells yet counts them in line numbers', async () => {
    const text = `${header}\n\n${row('S-1')}\n,,,,,,,,,\n${row('S-2')}\n\n`;

    const rows = await read(text);

    expect(rows.map((r) => r.line)).toEqual([3, 5]);
  });

  it('reports a row with the wrong number of fields as unusable and goes on', async () => {
    const text = `${header}\nS-1,CCCD,001190012345\n${row('S-2')}\n`;

    const rows = await read(text);

    expect(rows).toMatchObject([
      {
        kind: 'unusable',
        line: 2,
        sampleId: 'S-1',
        errors: [{ path: '', code: 'FIELD_COUNT', params: { found: '3', expected: '10' } }],
      },
      { kind: 'result', line: 3 },
    ]);
  });

  it('refuses a header without a required column, naming it', async () => {
    const text = `${header.replace(',idNumber', '')}\n`;

    await expect(read(text)).rejects.toThrow(CsvFileError);
    await expect(read(text)).rejects.toThrow(/missing the column idNumber\b/);
  });

  it('names a misspelt column as unexpected', async () => {
    await expect(read(`${header.replace('sampleId', 'sampleNo')}\n`)).rejects.toThrow(
      /Unexpected columns: sampleNo/,
    );
  });

  it('refuses an empty file', async () => {
    await expect(read('')).rejects.toThrow(/header row/);
  });

  it('stops at a quote that is never closed, naming the line but not the value', async () => {
    const text = `${header}\n${row('S-1')}\n${row('S-2', '"Đặng Secret')}\n`;

    const reading = read(text);

    await expect(reading).rejects.toThrow(CsvFileError);
    await expect(reading).rejects.toThrow('Line 3: a quoted field is never closed.');
  });
});
