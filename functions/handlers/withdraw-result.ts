import { systemClock } from '../../contract/clock.js';
import { makeResultsTable } from '../adapters/results-table.js';
import { dynamo } from '../clients/dynamodb.js';
import { loadConfig } from '../config.js';
import { withdrawResult } from '../domain/withdraw-result.js';
import { NotFoundError } from '../errors.js';
import { apiHandler } from '../http/api-handler.js';
import { callerOf } from '../http/request.js';
import { sampleIdSchema } from '../schemas/results.js';

const config = loadConfig(['RESULTS_TABLE']);
const samples = makeResultsTable(dynamo, config.RESULTS_TABLE);

const WITHDRAW_NOT_FOUND =
  'Không có kết quả đã lưu nào của phòng xét nghiệm với sampleId này; nếu vừa gửi, kết quả có thể còn trong ' +
  'hàng đợi: thử lại sau vài giây. / No stored result of this lab has this sampleId; if it was just sent, it ' +
  'may still be queued: retry in a few seconds.';

/**
 * DELETE /v1/results/{sampleId}: the lab withdraws one of its own stored results from every verdict.
 * 204 when it is withdrawn now or was already; 404 as GET answers (not stored yet, another lab's).
 */
export const handler = apiHandler(async (event) => {
  const caller = callerOf(event, 'lab');
  const sampleId = sampleIdSchema.safeParse(event.pathParameters?.sampleId);
  if (!sampleId.success) throw new NotFoundError(WITHDRAW_NOT_FOUND);
  const withdrawn = await withdrawResult(caller.principalId, sampleId.data, { samples, clock: systemClock });
  if (!withdrawn) throw new NotFoundError(WITHDRAW_NOT_FOUND);
  return { status: 204, body: undefined };
});
