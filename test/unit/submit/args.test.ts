import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../cli/submit/args.js';
import { UsageError } from '../../../cli/submit/errors.js';

const env = { RESULTGATE_CREDENTIAL: 'lab-secret' };

describe('parseCommandLine', () => {
  it('defaults to batches of 500 against the local stack', () => {
    expect(parseCommandLine(['--file', 'results.csv'], env)).toEqual({
      kind: 'run',
      file: 'results.csv',
      url: 'http://localhost:3000',
      credential: 'lab-secret',
      batchSize: 500,
      json: false,
    });
  });

  it('takes the URL from RESULTGATE_URL and the flags from the arguments', () => {
    const command = parseCommandLine(['--file=r.csv', '--batch-size', '50', '--json'], {
      ...env,
      RESULTGATE_URL: 'https://api.example.test/prod',
    });

    expect(command).toMatchObject({ url: 'https://api.example.test/prod', batchSize: 50, json: true });
  });

  it('requires --file', () => {
    expect(() => parseCommandLine([], env)).toThrow('--file <path> is required');
  });

  it('requires the credential in the environment', () => {
    expect(() => parseCommandLine(['--file', 'r.csv'], {})).toThrow(/RESULTGATE_CREDENTIAL is not set/);
  });

  it('refuses a batch size over the API limit of 500', () => {
    expect(() => parseCommandLine(['--file', 'r.csv', '--batch-size', '501'], env)).toThrow(/at most 500/);
  });

  it('refuses an unknown flag', () => {
    expect(() => parseCommandLine(['--file', 'r.csv', '--dry-run'], env)).toThrow(UsageError);
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => parseCommandLine(['--file', 'r.csv'], { ...env, RESULTGATE_URL: 'ftp://x' })).toThrow(
      /RESULTGATE_URL/,
    );
  });

  it('answers --help without needing a credential', () => {
    expect(parseCommandLine(['--help'], {})).toEqual({ kind: 'help', json: false });
  });
});
