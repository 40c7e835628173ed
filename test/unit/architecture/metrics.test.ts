import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricNames } from '../../../contract/metrics.js';
import { projectRoot } from '../../../lib/paths.js';

/** The sources of functions/, read as text: what each one passes to metrics.addMetric. */
const sourcesUnder = (folder: string): string[] =>
  readdirSync(join(projectRoot, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return entry.name.endsWith('.ts') ? [readFileSync(join(projectRoot, path), 'utf8')] : [];
  });
const functionSources = sourcesUnder('functions').join('\n');

describe('metric names', () => {
  it('are never written as literals where the functions emit them', () => {
    const literal = /addMetric\(\s*['"`]/;
    expect(functionSources).toMatch(/addMetric\(/);
    expect(functionSources).not.toMatch(literal);
  });

  it.each(Object.keys(metricNames))('%s is emitted by a function', (name) => {
    expect(functionSources).toContain(`metricNames.${name}`);
  });
});
