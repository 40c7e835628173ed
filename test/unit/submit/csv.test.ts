import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { assertUtf8, type CsvRow, readRows } from '../../../cli/submit/csv.js';
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

  describe('an Excel-style export', () => {
    const viHeader =
      'Mã mẫu;Loại giấy tờ;Số giấy tờ;Họ và tên;Ngày sinh;Số điện thoại;Loại xét nghiệm;Kết quả;Thời điểm lấy mẫu;Thời điểm có kết quả';
    const viRow = (
      sampleId: string,
      overrides: Partial<Record<'testType' | 'result' | 'sampledAt' | 'dateOfBirth', string>> = {},
    ) =>
      [
        sampleId,
        'CCCD',
        '001185012345',
        'Nguyễn Thị Ánh',
        overrides.dateOfBirth ?? '12/03/1985',
        '',
        overrides.testType ?? 'RT-PCR',
        overrides.result ?? 'Âm tính',
        overrides.sampledAt ?? '12/03/2021 08:30',
        '12/03/2021 14:00',
      ].join(';');
    const expected = {
      sampleId: 'S-1',
      citizen: {
        idType: 'CCCD',
        idNumber: '001185012345',
        fullName: 'Nguyễn Thị Ánh',
        dateOfBirth: '1985-03-12',
      },
      testType: 'RT_PCR',
      result: 'NEGATIVE',
      sampledAt: '2021-03-12T08:30:00+07:00',
      resultedAt: '2021-03-12T14:00:00+07:00',
    };

    it.each([
      ['semicolons and a BOM', '\uFEFF', ';'],
      ['semicolons without a BOM', '', ';'],
      ['tabs', '', '\t'],
      ['commas and a BOM', '\uFEFF', ','],
    ])('reads Vietnamese headers and values separated by %s', async (_, bom, separator) => {
      const text = `${bom}${viHeader.replaceAll(';', separator)}\r\n${viRow('S-1').replaceAll(';', separator)}\r\n`;

      const rows = await results(text);

      expect(rows).toEqual([{ line: 2, ...expected }]);
    });

    it('reads a file written in NFD (as macOS writes it), headers and values alike', async () => {
      const text = `${viHeader}\n${viRow('S-1')}\n`.normalize('NFD');

      const rows = await results(text);

      expect(rows).toEqual([{ line: 2, ...expected }]);
    });

    it('keeps a semicolon inside a quoted cell of a semicolon file', async () => {
      const text = `${viHeader}\n${viRow('S-1').replace('Nguyễn Thị Ánh', '"Nguyễn; Thị Ánh"')}\n`;

      const [first] = await results(text);

      expect(first?.citizen.fullName).toBe('Nguyễn; Thị Ánh');
    });

    it('reports the cells it cannot read as problems of the row, never sending the row', async () => {
      const text = [
        viHeader,
        viRow('S-1', {
          dateOfBirth: '31/02/1985',
          testType: 'PCR nhanh',
          result: 'Âm',
          sampledAt: '12/03/2021 24:00',
        }),
        viRow('S-2'),
      ].join('\n');

      const rows = await read(text);

      expect(rows).toMatchObject([
        {
          kind: 'unusable',
          line: 2,
          sampleId: 'S-1',
          errors: [
            { path: 'citizen.dateOfBirth', code: 'DATE_NOT_EXIST' },
            { path: 'testType', code: 'TEST_TYPE_UNKNOWN' },
            { path: 'result', code: 'RESULT_UNKNOWN' },
            { path: 'sampledAt', code: 'TIME_NOT_EXIST' },
          ],
        },
        { kind: 'result', line: 3 },
      ]);
    });

    it('refuses a header that names the same column twice, in two languages', async () => {
      await expect(read(`${viHeader};sampleId\n`)).rejects.toThrow(/names the same column twice: sampleId/);
    });

    it('names a missing column by its Vietnamese header and its contract name', async () => {
      const reading = read(`${viHeader.replace(';Kết quả', '')}\n`);

      await expect(reading).rejects.toMatchObject({
        text: { vi: expect.stringContaining('thiếu cột Kết quả (result)') },
      });
    });
  });

  describe('a file that is not UTF-8', () => {
    // "Nguyễn Văn Ánh" as Windows-1258 writes it: base letters and combining tone marks in single bytes.
    const windows1258 = Buffer.concat([
      Buffer.from(`${header}\nS-1,CCCD,001190012345,Nguy`, 'latin1'),
      Buffer.from([0xea, 0xde, 0x6e, 0x20, 0x56, 0xe3, 0x6e, 0x20, 0xc1, 0x6e, 0x68]),
      Buffer.from(',1990-05-17,,RT_PCR,NEGATIVE,2021-09-10T08:30:00Z,2021-09-10T14:00:00Z\n', 'latin1'),
    ]);

    it('is refused with a message saying how to save it as UTF-8, not read with garbled names', async () => {
      const reading = (async () => {
        for await (const _ of readRows(Readable.from([windows1258]))) {
          // nothing: the file must be refused
        }
      })();

      await expect(reading).rejects.toThrow(CsvFileError);
      await expect(assertUtf8(Readable.from([windows1258]))).rejects.toMatchObject({
        text: {
          vi: expect.stringMatching(/không phải văn bản UTF-8.*Windows-1258.*CSV UTF-8.*Unicode \(UTF-8\)/),
          en: expect.stringMatching(/not UTF-8 text.*Windows-1258.*CSV UTF-8.*Unicode \(UTF-8\)/),
        },
      });
    });

    it('is refused even when the first bad byte is far into the file', async () => {
      const clean = Buffer.from(
        `${header}\n${Array.from({ length: 2_000 }, (_, i) => row(`S-${i}`)).join('\n')}\n`,
      );

      await expect(assertUtf8(Readable.from([clean, windows1258]))).rejects.toThrow(/not UTF-8/);
      await expect(assertUtf8(Readable.from([clean]))).resolves.toBeUndefined();
    });

    it('refuses an .xlsx workbook, asking for CSV UTF-8', async () => {
      const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);

      await expect(assertUtf8(Readable.from([zip]))).rejects.toThrow(/Excel workbook \(\.xlsx\)/);
    });
  });
});
