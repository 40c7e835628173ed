import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../contract/clock.js';
import { viEn } from './bilingual.js';

/**
 * The time according to the service the admin CLI writes to, from the `Date` header of its DynamoDB
 * responses. `rules publish` decides with the computer's clock (the lead time, which versions are still
 * live, the time recorded), and the AWS SDK corrects its own signatures for a wrong clock without a word,
 * so a laptop a day ahead would publish, unrefused, a rule whose lead time it never had, and retire the
 * live copy of a version still in force. Locally the service is the emulator on the same computer.
 */
export interface ServiceClock extends Clock {
  /** Service time minus this computer's time, from the last response that had a `Date` header, in ms. */
  offsetMs(): number | undefined;
  /**
   * The service's time: this computer's, moved by the offset once that is over CORRECTED_AFTER_MS (below
   * it, the header's whole seconds would only add noise). What the CLI records (audit entries, a
   * principal's `createdAt`, a revocation) and judges by (`rules list` statuses) goes by it.
   */
  now(): Date;
  /** Reads the time of one response (any AWS client's; see watchServiceClock). */
  observe(response: unknown): void;
}

/** Below this the offset is the header's one-second precision and a round trip, not a wrong clock. */
export const CORRECTED_AFTER_MS = 5_000;

/** Further apart than this (the header's one-second precision and a round trip are far below), refused. */
export const MAX_CLOCK_OFFSET_MS = 2 * 60_000;

const dateHeader = (response: unknown): string | undefined => {
  if (typeof response !== 'object' || response === null || !('headers' in response)) return undefined;
  const { headers } = response;
  if (typeof headers !== 'object' || headers === null || !('date' in headers)) return undefined;
  return typeof headers.date === 'string' ? headers.date : undefined;
};

/** A service clock that has read no response yet; `watchServiceClock` feeds it a client's responses. */
export const makeServiceClock = (localNow: () => number = Date.now): ServiceClock => {
  let offset: number | undefined;
  return {
    offsetMs: () => offset,
    now: () => {
      const moved = offset !== undefined && Math.abs(offset) > CORRECTED_AFTER_MS ? offset : 0;
      return new Date(localNow() + moved);
    },
    observe: (response) => {
      const serviceTime = Date.parse(dateHeader(response) ?? '');
      if (Number.isFinite(serviceTime)) offset = serviceTime - localNow();
    },
  };
};

/**
 * Feeds `clock` every response of `client`: the DynamoDB client (and a DocumentClient over it, which
 * shares its middleware), or the CloudFormation client whose answer with the stack's outputs comes first.
 */
export const watchServiceClock = (
  client: Pick<DynamoDBClient, 'middlewareStack'> | Pick<CloudFormationClient, 'middlewareStack'>,
  clock: ServiceClock,
): void => {
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      clock.observe(out.response);
      return out;
    },
    { step: 'deserialize', name: 'resultgateServiceClock' },
  );
};

/**
 * Why this computer's clock cannot be trusted to publish, or undefined when it can. A service that sent
 * no time (no response yet, or no header) is not held against the computer.
 */
export const clockOffProblem = (offsetMs: number | undefined, localNow: Date): string | undefined => {
  if (offsetMs === undefined || Math.abs(offsetMs) <= MAX_CLOCK_OFFSET_MS) return undefined;
  // Rounded up: a clock refused for being more than 2 min off never reads "2 min".
  const minutes = Math.ceil(Math.abs(offsetMs) / 60_000);
  const service = new Date(localNow.getTime() + offsetMs).toISOString();
  const here = localNow.toISOString();
  return viEn(
    `Đồng hồ máy này ${offsetMs > 0 ? 'chậm' : 'nhanh'} ${minutes} phút so với dịch vụ (máy: ${here}, dịch vụ: ${service}); hãy chỉnh đồng hồ rồi công bố lại: thời gian chuẩn bị, bản đang áp dụng và thời điểm ghi lại đều tính theo đồng hồ này.`,
    `This computer's clock is ${minutes} min ${offsetMs > 0 ? 'behind' : 'ahead of'} the service's (here: ${here}, service: ${service}); set it right and publish again: the lead time, which versions are live and the time recorded all go by it.`,
  );
};
