import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main, runSubmit } from '../../../cli/submit/run.js';
import { makeTempDir } from '../../support/temp.js';
import { accepted, collector, failure, scriptedFetch } from './fakes.js';

const header = 'sampleId,idType,idNumber,fullName,dateOfBirth,phone,testType,result,sampledAt,resultedAt';
const row = (sampleId: string) =>
  `${sampleId},CCCD,001190012345,Nguyễn Văn An,1990-05-17,,RT_PCR,NEGATIVE,2021-09-10T08:30:00Z,2021-09-10T14:00:00Z`;
const env = { RESULTGATE_CREDENTIAL: 'lab-secret', RESULTGATE_URL: 'http://resultgate.test' };

describe('the submit command', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await makeTempDir('submit');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const csv = async (text: string): Promise<string> => {
    const file = join(dir, 'results.csv');
    await writeFile(file, text, 'utf8');
    return file;
  };

  it('exits 0 and reports every row accepted', async () => {
    const file = await csv(`${header}\n${row('S-1')}\n${row('S-2')}\n`);
    const server = scriptedFetch([(ids) => accepted(ids)]);
    const stdout = collector();

    const code = await main(
      ['--file', file, '--lang', 'en'],
      env,
      { stdout, stderr: collector() },
      {
        fetch: server.fetch,
      },
    );

    expect(code).toBe(0);
    expect(stdout.text()).toBe(`${file}: 2 rows read, 2 accepted, 0 rejected.\n`);
  });

  it('exits 2 without sending anything when the file does not exist', async () => {
    const server = scriptedFetch([]);
    const stderr = collector();

    const code = await main(
      ['--file', join(dir, 'missing.csv'), '--lang', 'en'],
      env,
      { stdout: collector(), stderr },
      server,
    );

    expect(code).toBe(2);
    expect(stderr.text()).toMatch(/^error: The file .*missing\.csv does not exist\.\n$/);
    expect(server.requests).toEqual([]);
  });

  it('exits 2 without sending anything when the header lacks a column', async () => {
    const file = await csv(`${header.replace(',result,', ',')}\n${row('S-1')}\n`);
    const server = scriptedFetch([]);
    const stderr = collector();

    const code = await main(['--file', file], env, { stdout: collector(), stderr }, server);

    expect(code).toBe(2);
    expect(stderr.text()).toContain('lỗi: Dòng tiêu đề thiếu cột Kết quả (result).');
    expect(server.requests).toEqual([]);
  });

  it('exits 2 when the credential is missing, printing a JSON document when asked', async () => {
    const stdout = collector();
    const stderr = collector();

    const code = await main(['--file', 'x.csv', '--json', '--lang', 'en'], {}, { stdout, stderr });

    expect(code).toBe(2);
    expect(stderr.text()).toContain('error: RESULTGATE_CREDENTIAL is not set');
    expect(JSON.parse(stdout.text())).toMatchObject({ status: 'failed', error: { code: 'USAGE' } });
  });

  it('prints the help on stdout and exits 0', async () => {
    const stdout = collector();

    const code = await main(['--help'], {}, { stdout, stderr: collector() });

    expect(code).toBe(0);
    expect(stdout.text()).toContain('Usage: npm run submit -- --file <results.csv>');
    expect(stdout.text().indexOf('Cách dùng:')).toBe(0);
  });

  it('exits 2 after giving up on an unreachable server, keeping what was accepted before', async () => {
    const file = await csv(`${header}\n${row('S-1')}\n${row('S-2')}\n${row('S-3')}\n`);
    const server = scriptedFetch([
      (ids) => accepted(ids),
      ...Array.from({ length: 3 }, () => failure(503, 'INTERNAL')),
    ]);
    const stdout = collector();

    const code = await runSubmit({
      file,
      url: env.RESULTGATE_URL,
      credential: env.RESULTGATE_CREDENTIAL,
      batchSize: 2,
      fetch: server.fetch,
      sleep: async () => {},
      retry: { maxAttempts: 3 },
      lang: 'en',
      stdout,
      stderr: collector(),
    });

    expect(code).toBe(2);
    expect(server.requests).toHaveLength(4);
    expect(stdout.text()).toContain('3 rows read, 2 accepted, 0 rejected.');
    expect(stdout.text()).toContain('Stopped: Gave up after 3 attempts; the last one failed with HTTP 503');
    expect(stdout.text()).toContain('Rows from line 4 on may not have reached the server.');
  });
});
