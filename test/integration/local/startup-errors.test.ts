import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../lib/paths.js';
import { lockDataDir } from '../../../local/data-dir.js';
import { StartupError } from '../../../local/startup-errors.js';
import { startStack } from '../../support/local-stack.js';
import { makeTempDir } from '../../support/temp.js';

/** `npm start` (bin/local.ts) in a child process that is expected to give up: its exit code and output. */
const startExpectingFailure = async (env: Record<string, string>) => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'bin/local.ts')], {
    cwd: projectRoot,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr, lines: stderr.trim().split('\n') };
};

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

describe('npm start refuses what it cannot do, in one line and with exit 1', () => {
  it('a second start on the same data dir names the running one; after a kill -9 the stale lock is taken over', async () => {
    const dataDir = await makeTempDir();
    const first = await startStack({ dataDir });
    cleanup.push(() => first.stop());

    const second = await startExpectingFailure({ RESULTGATE_DATA_DIR: dataDir });
    expect(second.code).toBe(1);
    expect(second.lines).toHaveLength(1);
    const runningPid = (JSON.parse(await readFile(join(dataDir, 'running.lock'), 'utf8')) as { pid: number })
      .pid;
    expect(second.lines[0]).toBe(
      `error: ResultGate đang chạy trên thư mục dữ liệu này (${dataDir}): ${first.url}, PID ${runningPid}. ` +
        'Hãy dừng nó trước, hoặc đặt RESULTGATE_DATA_DIR là thư mục khác. / ' +
        `ResultGate is already running on this data dir (${dataDir}): ${first.url}, PID ${runningPid}. ` +
        'Stop it first, or set RESULTGATE_DATA_DIR to another folder.',
    );
    expect(second.stdout).toBe('');

    // The first one is killed without a chance to clean up: its lock and stack.json stay behind.
    const { pid } = JSON.parse(await readFile(join(dataDir, 'running.lock'), 'utf8')) as { pid: number };
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
    await first.restart();
    const registered = await first.call('GET', '/v1/keys');
    expect(registered.status).toBe(200);
  });

  it('a busy port names PORT and suggests the next one', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    cleanup.push(() => new Promise((done) => blocker.close(done)));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const dataDir = await makeTempDir();

    const run = await startExpectingFailure({ PORT: String(port), RESULTGATE_DATA_DIR: dataDir });
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      `error: Cổng ${port} đang được dùng (PORT). Hãy dừng chương trình đang dùng nó hoặc khởi động bằng PORT=${port + 1} npm start. / ` +
        `Port ${port} is in use (PORT). Stop what uses it or start with PORT=${port + 1} npm start.`,
    ]);
    // The refused start left no lock behind: the next start on this data dir is not told it is running.
    await expect(readFile(join(dataDir, 'running.lock'))).rejects.toThrow(/ENOENT/);
  });

  it('a data dir that is a file, or inside one, names RESULTGATE_DATA_DIR', async () => {
    const parent = await makeTempDir();
    const file = join(parent, 'a-file');
    await writeFile(file, 'not a folder');
    for (const dataDir of [file, join(file, 'data')]) {
      const run = await startExpectingFailure({ RESULTGATE_DATA_DIR: dataDir });
      expect(run.code).toBe(1);
      expect(run.lines).toEqual([
        `error: RESULTGATE_DATA_DIR (${dataDir}) không phải thư mục: ${dataDir} hoặc một thư mục cha là tệp. ` +
          'Hãy đặt RESULTGATE_DATA_DIR là một thư mục bạn ghi được. / ' +
          `RESULTGATE_DATA_DIR (${dataDir}) is not a directory: ${dataDir} or a parent is a file. ` +
          'Set RESULTGATE_DATA_DIR to a folder you can write to.',
      ]);
    }
  });

  it('an invalid setting is one line naming it, not a validation dump', async () => {
    const run = await startExpectingFailure({ PORT: 'abc' });
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      'error: PORT="abc" không hợp lệ: cần một số cổng từ 0 đến 65535. / ' +
        'PORT="abc" is not valid: expected a port number from 0 to 65535.',
    ]);
  });
});

describe('the data dir lock', () => {
  // As root, chmod does not stop writes, so the refusal is played by the file operations.
  it.each(['EACCES', 'EROFS', 'EPERM'])(
    'turns %s on the data dir into a RESULTGATE_DATA_DIR message',
    async (code) => {
      const refuse = () => Promise.reject(Object.assign(new Error(code), { code }));
      const attempt = lockDataDir('/srv/rg', 'rg', { mkdir: refuse, writeFile: refuse, link: refuse });
      await expect(attempt).rejects.toBeInstanceOf(StartupError);
      await expect(attempt).rejects.toThrow(
        `RESULTGATE_DATA_DIR (rg) không ghi được (${code}). Hãy đặt RESULTGATE_DATA_DIR là một thư mục bạn ghi được. / ` +
          `RESULTGATE_DATA_DIR (rg) is not writable (${code}). Set RESULTGATE_DATA_DIR to a folder you can write to.`,
      );
    },
  );

  it('is released, and a lock left by a dead process is taken over', async () => {
    const dataDir = await makeTempDir();
    const lock = join(dataDir, 'running.lock');
    await writeFile(lock, JSON.stringify({ pid: 2 ** 22 + 1 }));
    const held = await lockDataDir(dataDir);
    expect(JSON.parse(await readFile(lock, 'utf8'))).toEqual({ pid: process.pid });
    await expect(lockDataDir(dataDir)).rejects.toThrow(
      /already running on this data dir .*still starting, PID/,
    );
    await held.release();
    await expect(rm(lock)).rejects.toThrow(/ENOENT/);
  });
});
