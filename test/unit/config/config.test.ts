import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../functions/config.js';
import { projectRoot } from '../../../lib/paths.js';

const pepper = 'ab'.repeat(32);

describe('loadConfig', () => {
  it('reads the settings asked for, with their defaults, and nothing else', () => {
    const config = loadConfig(
      ['RESULTS_TABLE', 'PEPPER', 'PEPPER_VERSION', 'STAGE', 'VALIDITY_RT_PCR_HOURS'],
      {
        RESULTS_TABLE: 'results',
        PEPPER: pepper,
        REGISTRY_TABLE: 'not asked for',
      },
    );

    expect(config).toEqual({
      RESULTS_TABLE: 'results',
      PEPPER: pepper,
      PEPPER_VERSION: 1,
      STAGE: 'local',
      VALIDITY_RT_PCR_HOURS: 72,
    });
  });

  it('leaves an absent optional setting undefined', () => {
    expect(loadConfig(['SIGNING_KEY_ID', 'CORS_ALLOWED_ORIGINS'], {})).toEqual({
      SIGNING_KEY_ID: undefined,
      CORS_ALLOWED_ORIGINS: undefined,
    });
  });

  it.each([
    ['12', 12],
    [' 48 ', 48],
    ['1', 1],
  ])('reads the whole number %j as %i', (raw, value) => {
    expect(loadConfig(['RETENTION_DAYS'], { RETENTION_DAYS: raw }).RETENTION_DAYS).toBe(value);
  });

  it.each(['0', '-1', '1.5', 'abc', '', ' '])('refuses %j where a positive whole number is due', (raw) => {
    expect(() => loadConfig(['PASS_LIFETIME_DAYS'], { PASS_LIFETIME_DAYS: raw })).toThrow(
      'Invalid configuration: PASS_LIFETIME_DAYS must be a positive whole number',
    );
  });

  it.each([
    [{}, 'RESULTS_TABLE is required'],
    [{ RESULTS_TABLE: '' }, 'RESULTS_TABLE must not be empty'],
    [{ RESULTS_TABLE: 't', SIGNING_KEY_ID: '' }, 'SIGNING_KEY_ID must not be empty'],
    [{ RESULTS_TABLE: 't', STAGE: 'staging' }, 'STAGE must be one of local, dev, prod'],
  ])('names the setting and the rule: %j', (env, message) => {
    expect(() => loadConfig(['RESULTS_TABLE', 'SIGNING_KEY_ID', 'STAGE'], env)).toThrow(message);
  });

  it('lists every problem at once, and never repeats a value', () => {
    const secret = 'NOT-HEX-but-secret-looking-value';
    let error: unknown;
    try {
      loadConfig(['PEPPER', 'REGISTRY_TABLE', 'STALE_LAB_HOURS'], { PEPPER: secret, STALE_LAB_HOURS: 'x' });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'Invalid configuration: PEPPER must be at least 32 bytes of lowercase hex; REGISTRY_TABLE is required; STALE_LAB_HOURS must be a positive whole number',
    );
    expect((error as Error).message).not.toContain(secret);
  });
});

describe('the observability settings', () => {
  it('read the log level in any case, INFO when unset, and metrics on unless switched off', () => {
    expect(loadConfig(['POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_METRICS_DISABLED'], {})).toEqual({
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_METRICS_DISABLED: false,
    });
    expect(loadConfig(['POWERTOOLS_LOG_LEVEL'], { POWERTOOLS_LOG_LEVEL: 'warn' })).toEqual({
      POWERTOOLS_LOG_LEVEL: 'WARN',
    });
  });

  it.each([
    ['TRACE', 'DEBUG'],
    ['critical', 'ERROR'],
    ['Silent', 'SILENT'],
  ])('read the Powertools level %s as %s', (given, level) => {
    expect(loadConfig(['POWERTOOLS_LOG_LEVEL'], { POWERTOOLS_LOG_LEVEL: given }).POWERTOOLS_LOG_LEVEL).toBe(
      level,
    );
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['on', true],
    ['false', false],
    ['0', false],
    ['No', false],
  ])('read the metrics switch %s as %s', (given, disabled) => {
    expect(
      loadConfig(['POWERTOOLS_METRICS_DISABLED'], { POWERTOOLS_METRICS_DISABLED: given })
        .POWERTOOLS_METRICS_DISABLED,
    ).toBe(disabled);
  });

  it('stop a start on a level or a switch they do not know, naming the setting', () => {
    expect(() => loadConfig(['POWERTOOLS_LOG_LEVEL'], { POWERTOOLS_LOG_LEVEL: 'VERBOSE' })).toThrow(
      'POWERTOOLS_LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT (any case)',
    );
    expect(() => loadConfig(['POWERTOOLS_LOG_LEVEL'], { POWERTOOLS_LOG_LEVEL: '' })).toThrow(
      'POWERTOOLS_LOG_LEVEL must be one of',
    );
    expect(() =>
      loadConfig(['POWERTOOLS_METRICS_DISABLED'], { POWERTOOLS_METRICS_DISABLED: 'maybe' }),
    ).toThrow('POWERTOOLS_METRICS_DISABLED must be true or false (or 1, 0, yes, no, on, off)');
  });
});

describe('the environment', () => {
  const sources = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) return sources(path);
      return entry.name.endsWith('.ts') ? [path] : [];
    });

  it('is read in functions/ by config.ts alone', () => {
    const readers = sources(join(projectRoot, 'functions'))
      .filter((file) => /process\s*\.\s*env|process\s*\[/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(projectRoot, file));
    expect(readers).toEqual(['functions/config.ts']);
  });
});
