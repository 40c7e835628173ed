import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorResponseSchema } from '../../../functions/schemas/fields.js';
import { submitResultsResponseSchema } from '../../../functions/schemas/results.js';
import { aResult } from '../../support/fixtures.js';
import { bodyOf, loadSubmitHandler, type SubmitHandler } from './handler.js';

const MIB = 1024 * 1024;

/** A JSON body of exactly `bytes` bytes: a valid batch padded with trailing whitespace (still JSON). */
const bodyOfSize = (bytes: number, sampleId: string): string => {
  const json = JSON.stringify({ results: [aResult({ sampleId })] });
  return json + ' '.repeat(bytes - Buffer.byteLength(json));
};

describe('POST /v1/results handler (in-process, in-memory queue)', () => {
  let api: SubmitHandler;

  beforeAll(async () => {
    api = await loadSubmitHandler();
  });

  afterAll(() => {
    api.restore();
  });

  it('answers 202 with a status per item when some are accepted', async () => {
    const before = api.queuedCount();

    const response = await api.post({
      results: [aResult({ sampleId: 'H-1' }), aResult({ sampleId: 'H-2', idNumber: '1' })],
    });

    expect(response.statusCode).toBe(202);
    expect(response.headers?.['Content-Type']).toBe('application/json; charset=utf-8');
    expect(submitResultsResponseSchema.parse(bodyOf(response))).toMatchObject({ accepted: 1, rejected: 1 });
    expect(api.queuedCount() - before).toBe(1);
  });

  it('answers 400 VALIDATION_FAILED with every item’s errors when none is accepted', async () => {
    const response = await api.post({
      results: [
        { ...aResult({ sampleId: 'H-3' }), result: 'MAYBE' },
        aResult({ sampleId: 'H-4', idNumber: 'X' }),
      ],
    });

    expect(response.statusCode).toBe(400);
    expect(errorResponseSchema().parse(bodyOf(response))).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'No result in the batch was accepted.',
        details: [
          { path: 'results[0].result', message: 'must be NEGATIVE, POSITIVE or INVALID' },
          { path: 'results[1].citizen.idNumber', message: 'a CCCD number has 12 digits' },
        ],
      },
    });
  });

  it('accepts a body of exactly 1 MiB', async () => {
    const response = await api.post(bodyOfSize(MIB, 'H-MIB'));

    expect(response.statusCode).toBe(202);
  });

  it('answers 413 PAYLOAD_TOO_LARGE to a body one byte over 1 MiB, and queues nothing', async () => {
    const before = api.queuedCount();

    const response = await api.post(bodyOfSize(MIB + 1, 'H-MIB-1'));

    expect(response.statusCode).toBe(413);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(api.queuedCount()).toBe(before);
  });

  it.each([
    ['a body that is not JSON', '{"results": [}'],
    ['an empty body', ''],
    ['a truncated body', '{"results":[{"sampleId":"S'],
  ])('answers 400 MALFORMED_JSON to %s', async (_, raw) => {
    const response = await api.post(raw);

    expect(response.statusCode).toBe(400);
    expect(errorResponseSchema(['MALFORMED_JSON']).parse(bodyOf(response)).error.code).toBe('MALFORMED_JSON');
  });

  it('answers 400 VALIDATION_FAILED to 501 items', async () => {
    const results = Array.from({ length: 501 }, (_, i) => aResult({ sampleId: `H-501-${i}` }));

    const response = await api.post({ results });

    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'The request body is not a batch of results.',
        details: [{ path: 'results', message: 'must hold at most 500 results' }],
      },
    });
  });

  it('accepts 500 items and queues each of them once', async () => {
    const before = api.queuedCount();
    const results = Array.from({ length: 500 }, (_, i) => aResult({ sampleId: `H-500-${i}` }));

    const response = await api.post({ results });

    expect(response.statusCode).toBe(202);
    expect(bodyOf(response)).toMatchObject({ accepted: 500, rejected: 0 });
    expect(
      api
        .messages()
        .slice(before)
        .map((message) => message.sampleId),
    ).toEqual(results.map((result) => result.sampleId));
  });
});
