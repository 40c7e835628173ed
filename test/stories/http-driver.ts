import * as z from 'zod';
import { eventually, startStack } from '../support/local-stack.js';
import type { Answer, Caller, Driver, Steps } from './steps.js';

/**
 * The story over HTTP against the local stack as `npm start` runs it (a child process on a free port, its
 * own data dir): the gateway's authorizer cache and per-credential limits included, the stack's poller
 * storing the queued results. Operators act through the admin CLI (in-process, `--json`), which flushes
 * the gateway's authorizer cache after a suspend or revoke, as it does for a real operator.
 */
export const startHttpDriver = async (options: { env?: Record<string, string> } = {}): Promise<Driver> => {
  const stack = await startStack(options);

  const call = async (method: string, path: string, caller: Caller, body?: unknown): Promise<Answer> => {
    const answer = await stack.call(method, path, caller.credential, body);
    const headers: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: answer.status, headers, body: answer.body };
  };

  const steps: Steps = {
    aLab: async (lab = {}) => {
      const name = lab.name ?? 'Bệnh viện Bãi Cháy';
      const testTypes = lab.testTypes ?? ['RT_PCR', 'RAPID_ANTIGEN'];
      const issued = await stack.addLab(name, testTypes.join(','));
      return { ...issued, name, province: 'Quảng Ninh', testTypes };
    },
    aDevice: (name) => stack.addDevice(name),
    anApp: (name) => stack.addApp(name),
    labSubmits: (lab, results) => call('POST', '/v1/results', lab, { results }),
    labChecks: (lab, sampleId) => call('GET', `/v1/results/${encodeURIComponent(sampleId)}`, lab),
    storedEventually: async (lab, sampleId, result) => {
      let last: Answer | undefined;
      await eventually(async () => {
        last = await steps.labChecks(lab, sampleId);
        const body = z.object({ result: z.string() }).safeParse(last.body);
        return last.status === 200 && (result === undefined || body.data?.result === result);
      });
      if (last === undefined) throw new Error(`${sampleId} was never asked for`);
      return last;
    },
    checkpointVerifies: (device, body) => call('POST', '/v1/verify', device, body),
    appIssuesPass: (app, identity) => call('POST', '/v1/passes', app, identity),
    operatorSuspendsLab: async (lab) => {
      await stack.admin('lab', 'suspend', lab.id);
    },
    operatorRevokesDevice: async (device) => {
      await stack.admin('device', 'revoke', device.id);
    },
    publicFacilities: () => call('GET', '/v1/facilities', {}),
    health: () => call('GET', '/v1/health', {}),
    restart: () => stack.restart(),
  };

  return { name: 'http', steps, stop: () => stack.stop() };
};
