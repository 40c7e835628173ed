import { describe, expect, it } from 'vitest';
import { langOf, parseCommandLine } from '../../../cli/submit/args.js';
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
      lang: 'vi',
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
    expect(parseCommandLine(['--help'], {})).toEqual({ kind: 'help', json: false, lang: 'vi' });
  });

  it('takes --lang en, and refuses a language it does not speak', () => {
    expect(parseCommandLine(['--file', 'r.csv', '--lang', 'en'], env)).toMatchObject({ lang: 'en' });
    expect(() => parseCommandLine(['--file', 'r.csv', '--lang', 'fr'], env)).toThrow(
      '--lang must be vi or en',
    );
  });

  it('words a usage error in both languages, for the language the command line asked for', () => {
    expect(() => parseCommandLine([], {})).toThrow(
      expect.objectContaining({
        text: {
          vi: 'cần --file <đường dẫn>; chưa đặt RESULTGATE_CREDENTIAL: hãy export mã truy cập của cơ sở xét nghiệm trước',
          en: '--file <path> is required; RESULTGATE_CREDENTIAL is not set: export the lab credential first',
        },
      }),
    );
    expect(langOf(['--file', 'x', '--lang', 'en'])).toBe('en');
    expect(langOf(['--lang=en'])).toBe('en');
    expect(langOf(['--lang', 'xx'])).toBe('vi');
  });
});
