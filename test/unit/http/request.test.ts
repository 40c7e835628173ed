import { describe, expect, it } from 'vitest';
import { ForbiddenError, MalformedJsonError, PayloadTooLargeError } from '../../../functions/errors.js';
import { callerOf, MAX_BODY_BYTES, readJsonBody } from '../../../functions/http/request.js';
import { apiEvent, type CallerContext } from '../../support/fixtures.js';

describe('readJsonBody', () => {
  it('parses JSON, plain or base64-encoded', () => {
    expect(readJsonBody({ body: '{"a":1}', isBase64Encoded: false })).toEqual({ a: 1 });
    expect(readJsonBody({ body: Buffer.from('{"a":1}').toString('base64'), isBase64Encoded: true })).toEqual({
      a: 1,
    });
  });

  it('accepts exactly 1 MiB and refuses one byte more', () => {
    const exactly = `"${'a'.repeat(MAX_BODY_BYTES - 2)}"`;

    expect(readJsonBody({ body: exactly, isBase64Encoded: false })).toHaveLength(MAX_BODY_BYTES - 2);
    expect(() => readJsonBody({ body: `${exactly} `, isBase64Encoded: false })).toThrow(PayloadTooLargeError);
  });

  it('refuses bytes that are not UTF-8 as malformed JSON', () => {
    const body = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);

    expect(() => readJsonBody({ body: body.toString('base64'), isBase64Encoded: true })).toThrow(
      MalformedJsonError,
    );
  });

  it.each([null, '', '{', 'results: []', '{"a":1}}'])('refuses %j as malformed JSON', (body) => {
    expect(() => readJsonBody({ body, isBase64Encoded: false })).toThrow(MalformedJsonError);
  });
});

describe('callerOf', () => {
  it('reads the principal the authorizer put in the context', () => {
    const event = apiEvent({
      caller: { principalId: 'lab_1', role: 'lab', name: 'Lab', testTypes: 'RT_PCR' },
    });

    expect(callerOf(event, 'lab')).toEqual({
      principalId: 'lab_1',
      role: 'lab',
      name: 'Lab',
      testTypes: ['RT_PCR'],
    });
  });

  it('refuses another role, or no principal at all', () => {
    expect(() => callerOf(apiEvent({ caller: { principalId: 'dev_1', role: 'checkpoint' } }), 'lab')).toThrow(
      ForbiddenError,
    );
    expect(() => callerOf(apiEvent({}), 'lab')).toThrow(ForbiddenError);
  });

  it('gives a caller without test types an empty list', () => {
    expect(
      callerOf(apiEvent({ caller: { principalId: 'dev_1', role: 'checkpoint' } }), 'checkpoint').testTypes,
    ).toEqual([]);
  });

  it.each([
    ['an empty principal', { principalId: '', role: 'lab' }],
    ['an unknown test type', { principalId: 'lab_1', role: 'lab', testTypes: 'RT_PCR,PCR' }],
    ['an unknown role', { principalId: 'lab_1', role: 'admin' }],
  ])('refuses a context with %s', (_case, caller) => {
    expect(() => callerOf(apiEvent({ caller: caller as CallerContext }), 'lab')).toThrow(ForbiddenError);
  });
});
