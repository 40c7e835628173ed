import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/paths.js';
import { makeTempDir } from '../support/temp.js';

const run = async (command: string, args: string[]) => {
  const child = spawn(command, args, { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
};

describe('npx cdk synth -q', () => {
  beforeAll(async () => {
    // Without the built web app the stack warns (rightly) that the bucket would be empty.
    if (!existsSync(join(projectRoot, 'web/dist/index.html'))) {
      expect((await run(process.execPath, ['--import', 'tsx', 'web/build.ts'])).code).toBe(0);
    }
  });

  // No esbuild size report, no "Bundling asset…" progress, no "feature flags are not configured" notice.
  it('prints nothing at all when there is nothing wrong', async () => {
    const outdir = await makeTempDir('cdk-out');
    const synth = await run('npx', ['cdk', 'synth', '-q', '-o', outdir]);
    expect(synth.stderr).toBe('');
    expect(synth.stdout).toBe('');
    expect(synth.code).toBe(0);
    expect(existsSync(join(outdir, 'ResultGate-dev.template.json'))).toBe(true);
  });
});
