import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ForbiddenError, MalformedJsonError, PayloadTooLargeError } from '../../../functions/errors.js';
import { hasDuplicateKey } from '../../../functions/http/json.js';
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

  it('refuses the bytes FF C3 inside a name, as the gateways hand them over', () => {
    const body = Buffer.concat([
      Buffer.from('{"fullName":"Nguy'),
      Buffer.from([0xff, 0xc3]),
      Buffer.from('n An"}'),
    ]);

    expect(() => readJsonBody({ body: body.toString('base64'), isBase64Encoded: true })).toThrow(
      MalformedJsonError,
    );
  });

  it('refuses a text body that a lossy conversion filled with U+FFFD', () => {
    expect(() => readJsonBody({ body: '{"fullName":"Nguy\uFFFDn"}', isBase64Encoded: false })).toThrow(
      MalformedJsonError,
    );
  });

  it.each([
    ['a duplicated result', '{"result":"POSITIVE","result":"NEGATIVE"}'],
    ['a duplicate spelled with an escape', '{"result":"POSITIVE","\\u0072esult":"NEGATIVE"}'],
    ['a duplicate in a nested object', '{"results":[{"citizen":{"idType":"CCCD","idType":"CMND"}}]}'],
    ['a duplicate after a nested object', '{"a":{"b":1},"c":[1,{"d":2}],"a":3}'],
  ])('refuses %s as malformed JSON', (_, body) => {
    expect(() => readJsonBody({ body, isBase64Encoded: false })).toThrow(/same key twice/);
  });

  it.each([
    ['the same key in sibling objects', '{"results":[{"a":1},{"a":2}],"b":{"a":3}}'],
    ['a key that equals a value', '{"a":"b","b":"a"}'],
    ['keys that differ by an escape', '{"a\\"":1,"a":2}'],
    ['strings with brackets, commas and quotes', '{"a":"{,}[\\"","b":["{","}"],"c":{"a":"]"}}'],
  ])('accepts %s', (_, body) => {
    expect(readJsonBody({ body, isBase64Encoded: false })).toEqual(JSON.parse(body));
  });
});

describe('hasDuplicateKey', () => {
  it('finds no duplicate in anything JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(hasDuplicateKey(JSON.stringify(value))).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('finds a key written twice into any object', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }),
        fc.jsonValue(),
        (object, value) => {
          const [key] = Object.keys(object);
          const text = JSON.stringify(object);
          const twice = `${text.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(value)}}`;
          expect(hasDuplicateKey(twice)).toBe(true);
          expect(hasDuplicateKey(`[1,{"x":${twice}}]`)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
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
      jurisdiction: 'VN',
      mode: 'ENTRY',
    });
  });

  it('reads a device’s jurisdiction and mode, VN/ENTRY for a device registered before rule sets', () => {
    const scoped = {
      principalId: 'dev_1',
      role: 'checkpoint',
      jurisdiction: 'VN-13',
      mode: 'FREIGHT',
    } as const;
    expect(callerOf(apiEvent({ caller: scoped }), 'checkpoint')).toMatchObject({
      jurisdiction: 'VN-13',
      mode: 'FREIGHT',
    });
    expect(
      callerOf(apiEvent({ caller: { principalId: 'dev_1', role: 'checkpoint' } }), 'checkpoint'),
    ).toMatchObject({
      jurisdiction: 'VN',
      mode: 'ENTRY',
    });
    expect(() => callerOf(apiEvent({ caller: { ...scoped, jurisdiction: 'XX' } }), 'checkpoint')).toThrow(
      ForbiddenError,
    );
    // A device registered with a code no longer in force (a province merged in 2025) keeps working: only
    // new registrations are held to the provinces in force.
    expect(callerOf(apiEvent({ caller: { ...scoped, jurisdiction: 'VN-61' } }), 'checkpoint')).toMatchObject({
      jurisdiction: 'VN-61',
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
