import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../lib/paths.js';

/** Every TypeScript file of the project, with what it imports (static, type-only and dynamic). */
const FOLDERS = ['bin', 'contract', 'lib', 'functions', 'local', 'cli', 'test', 'bench', 'web/src'];
const IMPORT = /(?:(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?|import\()['"]([^'"]+)['"]/g;

const sourceFiles = (folder: string): string[] =>
  readdirSync(join(projectRoot, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });

const files = FOLDERS.flatMap(sourceFiles);
const importsOf = new Map(
  files.map((file) => {
    const text = readFileSync(join(projectRoot, file), 'utf8');
    const specifiers = [...text.matchAll(IMPORT)].map(([, specifier = '']) => specifier);
    return [file, specifiers] as const;
  }),
);

/** A relative specifier as a project path (`./x.js` → `dir/x.ts`); undefined for packages. */
const target = (from: string, specifier: string): string | undefined =>
  specifier.startsWith('.')
    ? relative(projectRoot, resolve(projectRoot, dirname(from), specifier.replace(/\.js$/, '.ts')))
    : undefined;

const cycles = (): string[][] => {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const found: string[][] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const specifier of importsOf.get(file) ?? []) {
      const next = target(file, specifier);
      if (next === undefined) continue;
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return found;
};

describe('the import graph', () => {
  it('reads every source file and its imports', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(importsOf.get('functions/handlers/verify-holder.ts')).toContain('../http/request.js');
  });

  it('has no cycle, counting type-only and dynamic imports', () => {
    expect(cycles()).toEqual([]);
  });

  it('keeps contract/ free of dependencies: it imports only itself', () => {
    const outside = files
      .filter((file) => file.startsWith('contract/'))
      .flatMap((file) =>
        (importsOf.get(file) ?? [])
          .filter((specifier) => !target(file, specifier)?.startsWith('contract/'))
          .map((specifier) => `${file} → ${specifier}`),
      );

    expect(outside).toEqual([]);
  });

  it('keeps the Lambda code out of the CDK app: functions/ never imports lib/', () => {
    const intoLib = files
      .filter((file) => file.startsWith('functions/'))
      .flatMap((file) =>
        (importsOf.get(file) ?? [])
          .filter((specifier) => target(file, specifier)?.startsWith('lib/'))
          .map((specifier) => `${file} → ${specifier}`),
      );

    expect(intoLib).toEqual([]);
  });
});
