import { maskName } from '../../contract/identity.js';
import { type ErrorDetail, ValidationFailedError } from '../errors.js';
import { issuesToDetails, type TestType } from '../schemas/common.js';
import type { QueuedResult } from '../schemas/queued-result.js';
import { resultItemReader } from '../schemas/result-item-reader.js';
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

/** Already UTC to the millisecond, as most labs send it: kept as is, which is what converting makes of it. */
const UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const toUtc = (timestamp: string): string =>
  UTC_MILLIS.test(timestamp) ? timestamp : new Date(timestamp).toISOString();

const toQueued = (lab: SubmittingLab, item: TestResult, pepper: Pepper, receivedAt: string): QueuedResult => {
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
    receivedAt,
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
  const readItem = resultItemReader(rules);
  const itemSchema = testResultSchema(rules);

  /**
   * The item normalised, or its errors. Read by hand first (cheap); the schema reads only an item the
   * hand reader refused, to say why in the contract's error details.
   */
  const parse = (raw: unknown): { ok: true; value: TestResult } | { ok: false; errors: ErrorDetail[] } => {
    const value = readItem(raw);
    if (value) return { ok: true, value };
    const parsed = itemSchema.safeParse(raw);
    return parsed.success
      ? { ok: true, value: parsed.data }
      : { ok: false, errors: issuesToDetails(parsed.error.issues) };
  };

  /**
   * One item's verdict. A repeated sampleId is reported together with the item's other errors, so the
   * lab fixes everything at once; the earlier item keeps its own verdict either way.
   */
  const check = (raw: unknown, lab: SubmittingLab, seen: ReadonlySet<string>): Checked => {
    const parsed = parse(raw);
    const sampleId = parsed.ok ? parsed.value.sampleId : sampleIdOf(raw);
    const repeated = sampleId !== undefined && seen.has(sampleId);
    if (!parsed.ok) {
      const { errors } = parsed;
      return { ok: false, sampleId, errors: repeated ? [REPEATED_SAMPLE_ID, ...errors] : errors };
    }
    const item = parsed.value;
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
      // One time for the whole batch: its items arrived together.
      const receivedAt = rules.clock.now().toISOString();
      await queue.send(accepted.map((item) => toQueued(lab, item, secret, receivedAt)));
    }
    return { accepted: accepted.length, rejected: items.length - accepted.length, items };
  };
};
