import { makeResultsTable } from '../adapters/results-table.js';
import { dynamo } from '../clients/dynamodb.js';
import { loadConfig } from '../config.js';
import { NotFoundError } from '../errors.js';
import { apiHandler } from '../http/api-handler.js';
import { callerOf } from '../http/request.js';
import { sampleIdSchema } from '../schemas/results.js';

const config = loadConfig(['RESULTS_TABLE']);
const results = makeResultsTable(dynamo, config.RESULTS_TABLE);

const NOT_STORED = 'No stored result of this lab has this sampleId (yet).';

/**
 * GET /v1/results/{sampleId}: lets a lab check that one of its own results was stored. Another lab's
 * sample is simply not found, and the answer carries no citizen data.
 */
export const handler = apiHandler(async (event) => {
  const caller = callerOf(event, 'lab');
  const sampleId = sampleIdSchema.safeParse(event.pathParameters?.sampleId);
  if (!sampleId.success) throw new NotFoundError(NOT_STORED);
  const record = await results.getStoredSample(caller.principalId, sampleId.data);
  if (!record) throw new NotFoundError(NOT_STORED);
  return {
    status: 200,
    body: {
      sampleId: record.sampleId,
      status:
        record.revokedAt !== undefined
          ? 'REVOKED'
          : record.withdrawnAt !== undefined
            ? 'WITHDRAWN'
            : 'STORED',
      testType: record.testType,
      result: record.result,
      sampledAt: record.sampledAt,
      resultedAt: record.resultedAt,
      storedAt: record.storedAt,
    },
  };
});
