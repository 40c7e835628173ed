import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/paths.js';
import { startStack, type TestStack } from '../support/local-stack.js';

const run = promisify(execFile);

/** The README's "Try it" walk-through, word for word, against a running local stack. */
describe("the README's walk-through", () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('ends with VALID at the checkpoint, typed in and scanned', async () => {
    const readme = await readFile(join(projectRoot, 'README.md'), 'utf8');
    const section = readme.split('## Try it')[1] ?? '';
    const script = /```bash\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    expect(script).toContain('RG=http://localhost:3000');

    // Only the address differs: the test stack listens on a free port.
    const { stdout } = await run(
      'bash',
      ['-euo', 'pipefail', '-c', script.replace('RG=http://localhost:3000', `RG=${stack.url}`)],
      {
        cwd: projectRoot,
        env: { ...process.env, RESULTGATE_DATA_DIR: stack.dataDir },
        timeout: 90_000,
      },
    );

    const lines = stdout.trim().split('\n');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ accepted: 1, rejected: 0 });
    expect(JSON.parse(lines[1] ?? '')).toMatchObject({ sampleId: 'QN-0001', status: 'STORED' });
    expect(JSON.parse(lines[2] ?? '')).toMatchObject({
      verdict: 'VALID',
      holder: { maskedName: 'N***** V** A*' },
    });
    expect(JSON.parse(lines[3] ?? '')).toMatchObject({
      facilities: [{ name: 'Bệnh viện Bãi Cháy', province: 'Quảng Ninh', status: 'ACTIVE' }],
    });
    expect(JSON.parse(lines[4] ?? '')).toMatchObject({ verdict: 'VALID', testType: 'RT_PCR' });
  });
});
