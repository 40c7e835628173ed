import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { lambdaContext as localLambdaContext } from '../../local/lambda-context.js';

const HOUR = 3_600_000;

/** A CCCD number that agrees with the birth date (digit 4: century and gender; 5-6: year). */
export const cccdFor = (dateOfBirth: string, serial = '001234', province = '022', female = false): string => {
  const year = Number(dateOfBirth.slice(0, 4));
  const century = Math.floor((year - 1900) / 100);
  return `${province}${century * 2 + (female ? 1 : 0)}${dateOfBirth.slice(2, 4)}${serial}`;
};

export interface ResultInput {
  sampleId?: string;
  idType?: 'CCCD' | 'CMND' | 'PASSPORT';
  idNumber?: string;
  fullName?: string;
  dateOfBirth?: string;
  phone?: string;
  testType?: 'RT_PCR' | 'RAPID_ANTIGEN';
  result?: 'NEGATIVE' | 'POSITIVE' | 'INVALID';
  sampledAt?: string;
  resultedAt?: string;
}

/** A valid lab result as a lab would send it, sampled an hour ago; override what a test is about. */
export const aResult = (input: ResultInput = {}, now = new Date()) => {
  const dateOfBirth = input.dateOfBirth ?? '1990-05-01';
  const sampledAt = input.sampledAt ?? new Date(now.getTime() - HOUR).toISOString();
  return {
    sampleId: input.sampleId ?? 'S-1',
    citizen: {
      idType: input.idType ?? 'CCCD',
      idNumber: input.idNumber ?? cccdFor(dateOfBirth),
      fullName: input.fullName ?? 'Nguyễn Văn An',
      dateOfBirth,
      ...(input.phone === undefined ? {} : { phone: input.phone }),
    },
    testType: input.testType ?? 'RT_PCR',
    result: input.result ?? 'NEGATIVE',
    sampledAt,
    resultedAt: input.resultedAt ?? new Date(Date.parse(sampledAt) + HOUR / 2).toISOString(),
  };
};

export interface CallerContext {
  principalId: string;
  role: 'lab' | 'checkpoint' | 'app';
  name?: string;
  testTypes?: string;
  /** A checkpoint device's rule scope; absent for a device registered before rule sets. */
  jurisdiction?: string;
  mode?: string;
}

/** The REST API event a handler receives behind the authorizer. */
export const apiEvent = (input: {
  method?: string;
  path?: string;
  resource?: string;
  body?: unknown;
  rawBody?: string;
  caller?: CallerContext;
  pathParameters?: Record<string, string>;
}): APIGatewayProxyEvent => ({
  resource: input.resource ?? input.path ?? '/',
  path: input.path ?? '/',
  httpMethod: input.method ?? 'POST',
  headers: { 'content-type': 'application/json' },
  multiValueHeaders: {},
  queryStringParameters: null,
  multiValueQueryStringParameters: null,
  pathParameters: input.pathParameters ?? null,
  stageVariables: null,
  body: input.rawBody ?? (input.body === undefined ? null : JSON.stringify(input.body)),
  isBase64Encoded: false,
  requestContext: {
    authorizer: input.caller
      ? {
          name: 'Test',
          testTypes: input.caller.role === 'lab' ? 'RT_PCR,RAPID_ANTIGEN' : '',
          ...input.caller,
        }
      : null,
  } as APIGatewayProxyEvent['requestContext'],
});

/**
 * The Lambda context of a test invocation. Its time left stays at 30 s however long a test holds on to it
 * (middy times an invocation out from it), so a slow machine cannot turn into a spurious timeout.
 */
export const lambdaContext = (): Context => ({
  ...localLambdaContext('test'),
  getRemainingTimeInMillis: () => 30_000,
});
