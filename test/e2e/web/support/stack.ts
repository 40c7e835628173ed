import { eventually, type TestStack } from '../../../support/local-stack.js';

export { startStack, type TestStack } from '../../../support/local-stack.js';

export interface Citizen {
  readonly idType: 'CCCD' | 'CMND' | 'PASSPORT';
  readonly idNumber: string;
  readonly fullName: string;
  readonly dateOfBirth: string;
}

/** A lab submits one result; answers once the stack has stored it. */
export async function submitResult(
  stack: TestStack,
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
  const submitted = await stack.call('POST', '/v1/results', labCredential, {
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
    throw new Error(`submit answered ${submitted.status}: ${JSON.stringify(submitted.body)}`);
  await eventually(
    async () => (await stack.call('GET', `/v1/results/${result.sampleId}`, labCredential)).status === 200,
  );
}

/** A citizen-app backend asks for the holder's pass; answers its QR text. */
export async function issuePass(stack: TestStack, appCredential: string, citizen: Citizen): Promise<string> {
  const issued = await stack.call('POST', '/v1/passes', appCredential, {
    idType: citizen.idType,
    idNumber: citizen.idNumber,
    dateOfBirth: citizen.dateOfBirth,
  });
  const qr: unknown =
    typeof issued.body === 'object' && issued.body !== null ? Reflect.get(issued.body, 'qr') : undefined;
  if (issued.status !== 201 || typeof qr !== 'string') {
    throw new Error(`POST /v1/passes answered ${issued.status}: ${JSON.stringify(issued.body)}`);
  }
  return qr;
}
