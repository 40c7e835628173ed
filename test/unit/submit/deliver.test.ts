import { describe, expect, it } from 'vitest';
import { type DeliveryDeps, deliverBatch, type EntryOutcome } from '../../../cli/submit/deliver.js';
import { AuthError, GiveUpError, ProtocolError } from '../../../cli/submit/errors.js';
import { accepted, deliveryDeps, entries, failure, json, scriptedFetch } from './fakes.js';

const deliver = async (n: number, deps: DeliveryDeps): Promise<EntryOutcome[]> => {
  const outcomes: EntryOutcome[] = [];
  await deliverBatch(entries(n), deps, (outcome) => outcomes.push(outcome));
  return outcomes;
};

const statuses = (outcomes: readonly EntryOutcome[]): Record<string, string> =>
  Object.fromEntries(outcomes.map((outcome) => [outcome.entry.sampleId, outcome.status]));

describe('deliverBatch', () => {
  it('posts the batch as JSON with the bearer credential to /v1/results', async () => {
    const server = scriptedFetch([(ids) => accepted(ids)]);
    const deps = deliveryDeps(server.fetch, { url: 'https://api.example.test/prod/' });

    await deliver(2, deps);

    const [request] = server.requests;
    expect(request?.url).toBe('https://api.example.test/prod/v1/results');
    expect(request?.headers.get('authorization')).toBe('Bearer lab-secret');
    expect(request?.headers.get('content-type')).toMatch(/^application\/json/);
    expect(request?.sampleIds).toEqual(['S-1', 'S-2']);
  });

  it('records each item as the 202 says, by its index in the request', async () => {
    const server = scriptedFetch([(ids) => accepted(ids, { 1: 'must be 12 digits' })]);

    const outcomes = await deliver(3, deliveryDeps(server.fetch));

    expect(outcomes).toMatchObject([
      { entry: { line: 2, sampleId: 'S-1' }, status: 'ACCEPTED' },
      { entry: { line: 3, sampleId: 'S-2' }, status: 'REJECTED', errors: [{ path: 'citizen.idNumber' }] },
      { entry: { line: 4, sampleId: 'S-3' }, status: 'ACCEPTED' },
    ]);
  });

  it('retries after a 503 with backoff, then records the success', async () => {
    const server = scriptedFetch([
      failure(503, 'INTERNAL'),
      failure(503, 'INTERNAL'),
      (ids) => accepted(ids),
    ]);
    const deps = deliveryDeps(server.fetch);

    const outcomes = await deliver(2, deps);

    expect(statuses(outcomes)).toEqual({ 'S-1': 'ACCEPTED', 'S-2': 'ACCEPTED' });
    expect(server.requests).toHaveLength(3);
    expect(deps.sleeps).toEqual([375, 750]);
  });

  it('resends only the items not yet accepted after a partial 202 and a 503', async () => {
    const partial = json(202, {
      accepted: 2,
      rejected: 0,
      items: [
        { index: 0, sampleId: 'S-1', status: 'ACCEPTED' },
        { index: 2, sampleId: 'S-3', status: 'ACCEPTED' },
      ],
    });
    const server = scriptedFetch([partial, failure(503, 'INTERNAL'), (ids) => accepted(ids)]);

    const outcomes = await deliver(4, deliveryDeps(server.fetch));

    expect(server.requests.map((request) => request.sampleIds)).toEqual([
      ['S-1', 'S-2', 'S-3', 'S-4'],
      ['S-2', 'S-4'],
      ['S-2', 'S-4'],
    ]);
    expect(statuses(outcomes)).toEqual({
      'S-1': 'ACCEPTED',
      'S-2': 'ACCEPTED',
      'S-3': 'ACCEPTED',
      'S-4': 'ACCEPTED',
    });
  });

  it('resends the whole batch when a request got no answer', async () => {
    const server = scriptedFetch([new TypeError('fetch failed'), (ids) => accepted(ids)]);

    await deliver(3, deliveryDeps(server.fetch));

    expect(server.requests.map((request) => request.sampleIds)).toEqual([
      ['S-1', 'S-2', 'S-3'],
      ['S-1', 'S-2', 'S-3'],
    ]);
  });

  it('waits as long as a 429 Retry-After asks', async () => {
    const server = scriptedFetch([
      failure(429, 'RATE_LIMITED', { 'retry-after': '7' }),
      (ids) => accepted(ids),
    ]);
    const deps = deliveryDeps(server.fetch);

    await deliver(1, deps);

    expect(deps.sleeps).toEqual([7_000]);
  });

  it('gives up after the maximum number of attempts', async () => {
    const server = scriptedFetch(Array.from({ length: 8 }, () => failure(502, 'INTERNAL')));
    const deps = deliveryDeps(server.fetch);

    await expect(deliver(2, deps)).rejects.toThrow(GiveUpError);
    expect(server.requests).toHaveLength(8);
    expect(deps.sleeps).toHaveLength(7);
  });

  it('stops at once on 401, without retrying', async () => {
    const server = scriptedFetch([failure(401, 'UNAUTHENTICATED')]);
    const deps = deliveryDeps(server.fetch);

    await expect(deliver(2, deps)).rejects.toThrow(AuthError);
    expect(server.requests).toHaveLength(1);
    expect(deps.sleeps).toEqual([]);
  });

  it('stops at once on 403, saying the lab may be suspended', async () => {
    const server = scriptedFetch([failure(403, 'FORBIDDEN')]);

    await expect(deliver(1, deliveryDeps(server.fetch))).rejects.toThrow(/suspended/);
  });

  it('maps the details of a 400 VALIDATION_FAILED to items and field paths', async () => {
    const invalid = json(400, {
      error: {
        code: 'VALIDATION_FAILED',
        message: 'no result accepted',
        details: [
          { path: 'results[1].citizen.idNumber', message: 'a CCCD number has 12 digits' },
          { path: 'results[0].sampledAt', message: 'must not be older than the retention period (30 days)' },
          { path: 'results[1].testType', message: 'a message this client does not know' },
        ],
      },
    });
    const server = scriptedFetch([invalid]);

    const outcomes = await deliver(3, deliveryDeps(server.fetch));

    expect(outcomes).toEqual([
      expect.objectContaining({
        status: 'REJECTED',
        errors: [{ path: 'sampledAt', code: 'TIME_TOO_OLD', params: { days: '30' } }],
      }),
      expect.objectContaining({
        status: 'REJECTED',
        errors: [
          { path: 'citizen.idNumber', code: 'ID_NUMBER_CCCD' },
          {
            path: 'testType',
            code: 'SERVER_OTHER',
            params: { server: 'a message this client does not know' },
          },
        ],
      }),
      expect.objectContaining({
        status: 'REJECTED',
        errors: [{ path: '', code: 'NO_DETAILS' }],
      }),
    ]);
    expect(server.requests).toHaveLength(1);
  });

  it('splits a batch in half on 413 and retries the halves', async () => {
    const server = scriptedFetch([
      failure(413, 'PAYLOAD_TOO_LARGE'),
      (ids) => accepted(ids),
      (ids) => accepted(ids),
    ]);

    const outcomes = await deliver(5, deliveryDeps(server.fetch));

    expect(server.requests.map((request) => request.sampleIds)).toEqual([
      ['S-1', 'S-2', 'S-3', 'S-4', 'S-5'],
      ['S-1', 'S-2', 'S-3'],
      ['S-4', 'S-5'],
    ]);
    expect(outcomes).toHaveLength(5);
  });

  it('after a 413 split, resends only the half that met a 503', async () => {
    const server = scriptedFetch([
      failure(413, 'PAYLOAD_TOO_LARGE'),
      (ids) => accepted(ids),
      failure(503, 'INTERNAL'),
      (ids) => accepted(ids),
    ]);

    await deliver(4, deliveryDeps(server.fetch));

    expect(server.requests.map((request) => request.sampleIds).slice(1)).toEqual([
      ['S-1', 'S-2'],
      ['S-3', 'S-4'],
      ['S-3', 'S-4'],
    ]);
  });

  it('rejects a single item that the server still finds too large', async () => {
    const server = scriptedFetch([failure(413, 'PAYLOAD_TOO_LARGE')]);

    const outcomes = await deliver(1, deliveryDeps(server.fetch));

    expect(outcomes).toMatchObject([{ status: 'REJECTED', errors: [{ path: '', code: 'TOO_LARGE' }] }]);
  });

  it('stops on a 202 whose body is not the contract', async () => {
    const server = scriptedFetch([new Response('<html>ok</html>', { status: 202 })]);

    await expect(deliver(1, deliveryDeps(server.fetch))).rejects.toThrow(ProtocolError);
  });

  it('stops on a 404, pointing at the URL', async () => {
    const server = scriptedFetch([failure(404, 'NOT_FOUND')]);

    await expect(deliver(1, deliveryDeps(server.fetch))).rejects.toThrow(/RESULTGATE_URL/);
  });
});
