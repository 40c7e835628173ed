import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RuleSet } from '../../../../contract/rules.js';
import { makeRuleSetsTable } from '../../../../functions/adapters/rule-sets-table.js';
import { readStackInfo } from '../../../../local/data-dir.js';
import { localDynamoClient } from '../../../../local/emulators.js';
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

/** Publishes rule set versions straight into the running stack's registry table, as `rules publish` would. */
export async function publishRules(stack: TestStack, ruleSets: readonly RuleSet[]): Promise<void> {
  const info = await readStackInfo(stack.dataDir);
  const client = DynamoDBDocumentClient.from(localDynamoClient(info.dynamodbEndpoint));
  try {
    const table = makeRuleSetsTable(client, info.registryTable);
    for (const ruleSet of ruleSets)
      await table.publish({ ruleSet, publishedAt: new Date().toISOString(), publishedBy: 'e2e' });
  } finally {
    client.destroy();
  }
}

/** A VN / ENTRY rule (what devices registered without a jurisdiction and mode apply). */
export function entryRule(input: {
  id?: string;
  version: number;
  validFrom: Date;
  rtPcrHours: number;
  legalBasis?: string;
}): RuleSet {
  const validFrom = input.validFrom.toISOString();
  return {
    id: input.id ?? 'VN-ENTRY-TEST',
    version: input.version,
    jurisdiction: 'VN',
    mode: 'ENTRY',
    validFrom,
    legalBasis: input.legalBasis ?? `TEST-${input.version}`,
    description: {
      vi: `RT-PCR âm tính trong ${input.rtPcrHours} giờ`,
      en: `Negative RT-PCR within ${input.rtPcrHours} h`,
    },
    accept: [{ testType: 'RT_PCR', hours: input.rtPcrHours }],
    tests: [
      {
        name: 'a negative sampled at the start',
        checkedAt: validFrom,
        results: [{ testType: 'RT_PCR', result: 'NEGATIVE', sampledAt: validFrom }],
        expect: {
          verdict: 'VALID',
          validUntil: new Date(input.validFrom.getTime() + input.rtPcrHours * 3600_000).toISOString(),
        },
      },
    ],
  };
}
