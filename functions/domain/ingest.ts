import type { Clock } from '../../contract/clock.js';
import { maskName } from '../../contract/identity.js';
import { type ErrorDetail, ValidationFailedError } from '../errors.js';
import { issuesToDetails, type TestType } from '../schemas/common.js';
import type { QueuedResult } from '../schemas/queued-result.js';
import {
  type ItemStatus,
  isSampleId,
  type ResultRules,
  submitResultsEnvelopeSchema,
  type TestResult,
  testResultSchema,
} from '../schemas/results.js';
import { birthDateCheck, contentDigest, holderKey, type Pepper } from './pseudonym.js';

/** Where accepted results go; resolves only once every message is durably queued. */
export interface ResultQueue {
  send(messages: readonly QueuedResult[]): Promise<void>;
}

export interface SubmittingLab {
  readonly id: string;
  readonly name: string;
  readonly testTypes: readonly TestType[];
}

export interface SubmitOutcome {
  accepted: number;
  rejected: number;
  items: ItemStatus[];
}

export interface Ingestion {
  readonly rules: ResultRules;
  readonly pepper: () => Promise<Pepper>;
  readonly queue: ResultQueue;
}

const toUtc = (timestamp: string): string => new Date(timestamp).toISOString();

const toQueued = (lab: SubmittingLab, item: TestResult, pepper: Pepper, clock: Clock): QueuedResult => {
  const { citizen } = item;
  const key = holderKey(pepper, citizen.idType, citizen.idNumber);
  const sampledAt = toUtc(item.sampledAt);
  const resultedAt = toUtc(item.resultedAt);
  return {
    v: 1,
    labId: lab.id,
    labName: lab.name,
    sampleId: item.sampleId,
    holderKey: key,
    keyVersion: pepper.version,
    maskedName: maskName(citizen.fullName),
    birthYear: Number(citizen.dateOfBirth.slice(0, 4)),
    birthDateCheck: birthDateCheck(pepper, key, citizen.dateOfBirth),
    testType: item.testType,
    result: item.result,
    sampledAt,
    resultedAt,
    receivedAt: clock.now().toISOString(),
    // Everything the lab said, normalised, so that a resend with the same content is recognised.
    contentDigest: contentDigest(pepper, [
      item.sampleId,
      citizen.idType,
      citizen.idNumber,
      citizen.fullName,
      citizen.dateOfBirth,
      citizen.phone ?? null,
      item.testType,
      item.result,
      sampledAt,
      resultedAt,
    ]),
  };
};

type Checked = { ok: true; value: TestResult } | { ok: false; sampleId?: string; errors: ErrorDetail[] };

/** The item's sampleId when it has a valid one: only then is it repeated in the answer. */
const sampleIdOf = (raw: unknown): string | undefined => {
  if (typeof raw !== 'object' || raw === null || !('sampleId' in raw)) return undefined;
  return isSampleId(raw.sampleId) ? raw.sampleId : undefined;
};

const REPEATED_SAMPLE_ID: ErrorDetail = {
  path: 'sampleId',
  message: 'is used by an earlier item of this batch',
};

/** The contract's 400 for a batch of which nothing was accepted: every item's errors, with full paths. */
export const noneAcceptedError = (outcome: SubmitOutcome): ValidationFailedError =>
  new ValidationFailedError(
    'No result in the batch was accepted.',
    outcome.items.flatMap((item) =>
      item.status === 'REJECTED'
        ? item.errors.map((error) => ({
            path: error.path === '' ? `results[${item.index}]` : `results[${item.index}].${error.path}`,
            message: error.message,
          }))
        : [],
    ),
  );

/**
 * Validates a lab's batch item by item and queues the accepted ones, all of them durably before it
 * resolves. The lab is the credential's lab, never one named in the body. Throws ValidationFailedError
 * when the body is not a batch at all.
 */
export const makeSubmitResults = ({ rules, pepper, queue }: Ingestion) => {
  const itemSchema = testResultSchema(rules);

  /**
   * One item's verdict. A repeated sampleId is reported together with the item's other errors, so the
   * lab fixes everything at once; the earlier item keeps its own verdict either way.
   */
  const check = (raw: unknown, lab: SubmittingLab, seen: ReadonlySet<string>): Checked => {
    const sampleId = sampleIdOf(raw);
    const repeated = sampleId !== undefined && seen.has(sampleId);
    const parsed = itemSchema.safeParse(raw);
    if (!parsed.success) {
      const errors = issuesToDetails(parsed.error.issues);
      return { ok: false, sampleId, errors: repeated ? [REPEATED_SAMPLE_ID, ...errors] : errors };
    }
    const item = parsed.data;
    const errors: ErrorDetail[] = repeated ? [REPEATED_SAMPLE_ID] : [];
    // Decision (the contract is silent): a lab may only send the test types it is registered for, as
    // the public facility list shows them; another type is rejected per item, not stored.
    if (!lab.testTypes.includes(item.testType)) {
      errors.push({ path: 'testType', message: `this lab is not registered for ${item.testType} tests` });
    }
    return errors.length > 0 ? { ok: false, sampleId, errors } : { ok: true, value: item };
  };

  return async (body: unknown, lab: SubmittingLab): Promise<SubmitOutcome> => {
    const envelope = submitResultsEnvelopeSchema.safeParse(body);
    if (!envelope.success) {
      throw new ValidationFailedError(
        'The request body is not a batch of results.',
        issuesToDetails(envelope.error.issues),
      );
    }
    const seen = new Set<string>();
    const items: ItemStatus[] = [];
    const accepted: TestResult[] = [];
    envelope.data.results.forEach((raw, index) => {
      const checked = check(raw, lab, seen);
      if (checked.ok) {
        const { sampleId } = checked.value;
        seen.add(sampleId);
        accepted.push(checked.value);
        items.push({ index, sampleId, status: 'ACCEPTED' });
      } else {
        const { sampleId } = checked;
        if (sampleId !== undefined) seen.add(sampleId);
        items.push({
          index,
          ...(sampleId === undefined ? {} : { sampleId }),
          status: 'REJECTED',
          errors: checked.errors,
        });
      }
    });

    if (accepted.length > 0) {
      const secret = await pepper();
      await queue.send(accepted.map((item) => toQueued(lab, item, secret, rules.clock)));
    }
    return { accepted: accepted.length, rejected: items.length - accepted.length, items };
  };
};
