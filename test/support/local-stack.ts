import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import * as z from 'zod';
import { runAdmin } from '../../cli/admin/main.js';
import { projectRoot } from '../../lib/paths.js';
import { makeTempDir } from './temp.js';

/** `npm run admin -- <args>` in-process against the local stack in `dataDir`: its exit code and output. */
export const adminIn = async (dataDir: string, args: readonly string[]) => {
  let stdout = '';
  let stderr = '';
  const code = await runAdmin([...args, '--data-dir', dataDir], {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: {},
  });
  return { code, stdout, stderr, json: (): unknown => JSON.parse(stdout) };
};

/**
 * The local stack as `npm start` runs it, in a child process on a free port with its own data dir.
 * `restart()` stops it with SIGINT (as Ctrl-C does) and starts it again on the same data; `crash()` kills
 * its whole process group with SIGKILL (as kill -9 or a power cut of the process would), `start()` again.
 */
export const startStack = async (options: { dataDir?: string; env?: Record<string, string> } = {}) => {
  const dataDir = options.dataDir ?? (await makeTempDir('stack'));
  let child: ChildProcess | undefined;
  let url = '';
  let output = '';

  /** Starts it (again); `env` adds to or overrides the options' variables for this run only. */
  const start = async (env: Record<string, string> = {}) => {
    child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'bin/local.ts')], {
      cwd: projectRoot,
      env: {
        ...process.env,
        PORT: '0',
        RESULTGATE_DATA_DIR: dataDir,
        RESULTGATE_VISIBILITY_TIMEOUT: '2',
        ...options.env,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so crash() can kill the whole tree at once.
      detached: true,
    });
    const proc = child;
    const from = output.length;
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`local stack did not start:\n${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /running at (http:\/\/\S+)/.exec(output.slice(from));
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      proc.stdout?.on('data', onData);
      proc.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`local stack exited with ${code}:\n${output}`));
      });
    });
  };

  const stop = async () => {
    const proc = child;
    // Already gone: exited, or killed by a signal (exitCode stays null then).
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = once(proc, 'exit');
    proc.kill('SIGINT');
    await exited;
  };

  /** SIGKILL to the whole process tree, with no chance to save anything. */
  const crash = async () => {
    const proc = child;
    if (!proc?.pid || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = once(proc, 'exit');
    process.kill(-proc.pid, 'SIGKILL');
    await exited;
  };

  await start();

  const fetchOrExplain = (input: string, init: RequestInit) =>
    fetch(input, init).catch((error: unknown) => {
      throw new Error(`${String(error)} — the local stack said:\n${output}`);
    });

  /**
   * `npm run admin -- <args> --json`, in-process, against this stack. The CLI itself flushes the
   * gateway's authorizer cache after a revoke, suspend, resume or rotate, so changes show at once.
   */
  const admin = async (...args: string[]): Promise<unknown> => {
    const out = await adminIn(dataDir, [...args, '--json']);
    if (out.code !== 0) throw new Error(`admin ${args.join(' ')} failed (${out.code}): ${out.stderr}`);
    return out.json();
  };

  const issued = z.object({ id: z.string(), credential: z.string() });

  return {
    get url() {
      return url;
    },
    dataDir,
    output: () => output,
    admin,
    addLab: async (name = 'Bệnh viện Bãi Cháy', testTypes = 'RT_PCR,RAPID_ANTIGEN') =>
      issued.parse(
        // --force: tests register the default name many times in one stack.
        await admin(
          'lab',
          'add',
          '--name',
          name,
          '--province',
          'Quảng Ninh',
          '--test-types',
          testTypes,
          '--force',
        ),
      ),
    addDevice: async (name = 'Chốt Km 5') => issued.parse(await admin('device', 'add', '--name', name)),
    addApp: async (name = 'Bluezone') => issued.parse(await admin('app', 'add', '--name', name)),
    /** fetch against the stack with an optional bearer credential and JSON body. */
    call: async (method: string, path: string, credential?: string, body?: unknown) => {
      const response = await fetchOrExplain(`${url}${path}`, {
        method,
        headers: {
          ...(credential ? { Authorization: `Bearer ${credential}` } : {}),
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      };
    },
    restart: async () => {
      await stop();
      await start();
    },
    crash,
    start,
    stop,
  };
};

export type TestStack = Awaited<ReturnType<typeof startStack>>;

/** Polls until `check` resolves true (a stored result becomes visible once the poller has run). */
export const eventually = async (check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('condition not met in time');
};
