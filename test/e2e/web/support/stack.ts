import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAdmin } from '../../../../cli/admin/main.js';
import { startLocalStack } from '../../../../local/stack.js';

/** The local stack (`npm start`) on a free port and a throw-away data dir, with the admin commands. */
export interface WebStack {
  readonly url: string;
  admin(...argv: string[]): Promise<{ id: string; credential: string }>;
  stop(): Promise<void>;
}

export async function startWebStack(): Promise<WebStack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'resultgate-web-e2e-'));
  const stack = await startLocalStack({ port: 0, dataDir, visibilityTimeoutSeconds: 5 });
  return {
    url: stack.url,
    async admin(...argv) {
      let out = '';
      let err = '';
      const code = await runAdmin([...argv, '--json', '--data-dir', dataDir], {
        stdout: (text) => {
          out += text;
        },
        stderr: (text) => {
          err += text;
        },
        env: {},
      });
      if (code !== 0) throw new Error(`admin ${argv.join(' ')} failed (${code}): ${err}`);
      const issued: unknown = JSON.parse(out);
      if (typeof issued !== 'object' || issued === null)
        throw new Error(`admin ${argv.join(' ')} printed ${out}`);
      const id: unknown = Reflect.get(issued, 'id');
      const credential: unknown = Reflect.get(issued, 'credential');
      return {
        id: typeof id === 'string' ? id : '',
        credential: typeof credential === 'string' ? credential : '',
      };
    },
    async stop() {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Citizen {
  readonly idType: 'CCCD' | 'CMND' | 'PASSPORT';
  readonly idNumber: string;
  readonly fullName: string;
  readonly dateOfBirth: string;
}

async function post(
  url: string,
  credential: string,
  body: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { Authorization: `Bearer ${credential}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

/** A lab submits one result and the test waits until it is stored. */
export async function submitResult(
  stack: WebStack,
  labCredential: string,
  citizen: Citizen,
  result: {
    sampleId: string;
    testType: 'RT_PCR' | 'RAPID_ANTIGEN';
    result: 'NEGATIVE' | 'POSITIVE';
    sampledAt: Date;
  },
): Promise<void> {
  const resultedAt = new Date(result.sampledAt.getTime() + 3600_000);
  const submitted = await post(`${stack.url}/v1/results`, labCredential, {
    results: [
      {
        sampleId: result.sampleId,
        citizen,
        testType: result.testType,
        result: result.result,
        sampledAt: result.sampledAt.toISOString(),
        resultedAt: resultedAt.toISOString(),
      },
    ],
  });
  if (submitted.status !== 202)
    throw new Error(`submit answered ${submitted.status}: ${JSON.stringify(submitted.json)}`);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const stored = await fetch(`${stack.url}/v1/results/${result.sampleId}`, {
      headers: { Authorization: `Bearer ${labCredential}` },
    });
    if (stored.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`result ${result.sampleId} was not stored within 30 s`);
}

/** A citizen-app backend asks for a pass; answers its QR text. */
export async function issuePass(stack: WebStack, appCredential: string, citizen: Citizen): Promise<string> {
  const issued = await post(`${stack.url}/v1/passes`, appCredential, {
    idType: citizen.idType,
    idNumber: citizen.idNumber,
    dateOfBirth: citizen.dateOfBirth,
  });
  const qr: unknown =
    typeof issued.json === 'object' && issued.json !== null ? Reflect.get(issued.json, 'qr') : undefined;
  if (issued.status !== 201 || typeof qr !== 'string') {
    throw new Error(`POST /v1/passes answered ${issued.status}: ${JSON.stringify(issued.json)}`);
  }
  return qr;
}
