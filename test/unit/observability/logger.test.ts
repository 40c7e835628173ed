import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { xrayTraceId } from '../../../functions/config.js';
import { Logger, type LogLevel } from '../../../functions/observability.js';
import { lambdaContext } from '../../support/fixtures.js';

const AT = new Date('2026-12-02T03:04:05.678Z');

/** A logger writing into an array, at a fixed instant, with the trace id a test gives it. */
const aLogger = (level: LogLevel = 'INFO', traceId?: string) => {
  const lines: string[] = [];
  const logger = new Logger({
    service: 'resultgate',
    level,
    write: (line) => lines.push(line),
    traceId: () => traceId,
    now: () => AT,
  });
  const parsed = () => lines.map((line): Record<string, unknown> => JSON.parse(line));
  return { logger, lines, parsed };
};

const context = (requestId: string): Context => ({ ...lambdaContext(), awsRequestId: requestId });

describe('the logger', () => {
  it('writes one JSON line with the fields Logs Insights queries read, in order, then the attributes', () => {
    const { logger, lines } = aLogger('INFO', '1-6789abcd-0123456789abcdef01234567');
    logger.addContext(context('req-1'));

    logger.info('batch received', { labId: 'lab_1', accepted: 3, rejected: 0 });

    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    expect(Object.keys(JSON.parse(lines[0] ?? '{}'))).toEqual([
      'level',
      'message',
      'timestamp',
      'service',
      'cold_start',
      'function_arn',
      'function_memory_size',
      'function_name',
      'function_request_id',
      'xray_trace_id',
      'labId',
      'accepted',
      'rejected',
    ]);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      level: 'INFO',
      message: 'batch received',
      timestamp: '2026-12-02T03:04:05.678Z',
      service: 'resultgate',
      function_request_id: 'req-1',
      function_memory_size: String(lambdaContext().memoryLimitInMB),
      function_name: lambdaContext().functionName,
      xray_trace_id: '1-6789abcd-0123456789abcdef01234567',
      labId: 'lab_1',
    });
  });

  it('says cold_start true for the first invocation of an instance only', () => {
    const { logger, parsed } = aLogger();

    logger.addContext(context('req-1'));
    logger.info('first');
    logger.addContext(context('req-2'));
    logger.info('second');

    expect(parsed().map((line) => [line.function_request_id, line.cold_start])).toEqual([
      ['req-1', true],
      ['req-2', false],
    ]);
  });

  it('leaves out the invocation fields before any context, and the trace id when not traced', () => {
    const { logger, parsed } = aLogger();

    logger.warn('rule sets not refreshed; the copy in hand is kept');

    expect(Object.keys(parsed()[0] ?? {})).toEqual(['level', 'message', 'timestamp', 'service']);
  });

  it.each([
    ['DEBUG', ['DEBUG', 'INFO', 'WARN', 'ERROR']],
    ['INFO', ['INFO', 'WARN', 'ERROR']],
    ['WARN', ['WARN', 'ERROR']],
    ['ERROR', ['ERROR']],
    ['SILENT', []],
  ] as const)('at %s writes %j', (level, written) => {
    const { logger, parsed } = aLogger(level);

    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');

    expect(parsed().map((line) => line.level)).toEqual(written);
  });

  it('spells an error out, with where it was thrown, its cause and its own fields', () => {
    const { logger, parsed } = aLogger();
    const cause = new Error('socket hang up');
    const error = Object.assign(new TypeError('request failed', { cause }), { $fault: 'server' });

    logger.error('request failed', { error });

    const written = parsed()[0]?.error;
    expect(written).toMatchObject({
      name: 'TypeError',
      message: 'request failed',
      $fault: 'server',
      cause: { name: 'Error', message: 'socket hang up' },
    });
    expect(written).toHaveProperty('stack', error.stack);
    expect(written).toHaveProperty('location', expect.stringMatching(/logger\.test\.ts:\d+$/));
  });

  it('writes big integers as text and drops a reference back into itself, instead of failing the request', () => {
    const { logger, parsed } = aLogger();
    const looped: Record<string, unknown> = { id: 'x' };
    looped.self = looped;

    logger.info('odd attributes', { big: 12345678901234567890n, looped });

    expect(parsed()[0]).toMatchObject({ big: '12345678901234567890', looped: { id: 'x' } });
    expect(parsed()[0]?.looped).not.toHaveProperty('self');
  });

  it('writes the same object twice side by side: only a loop is dropped', () => {
    const { logger, parsed } = aLogger();
    const shared = { labId: 'lab_1' };

    logger.info('twice', { first: shared, second: shared, both: [shared, shared] });

    expect(parsed()[0]).toMatchObject({ first: shared, second: shared, both: [shared, shared] });
  });

  it('writes an error that is its own cause once, not forever', () => {
    const { logger, parsed } = aLogger();
    const error = new Error('loop');
    error.cause = error;

    logger.error('request failed', { error });

    expect(parsed()[0]?.error).toMatchObject({ name: 'Error', message: 'loop' });
    expect(parsed()[0]?.error).not.toHaveProperty('cause');
  });

  it.each(['level', 'message', 'timestamp', 'service', 'function_request_id', 'xray_trace_id'])(
    'never lets an attribute named %s replace the standard field the alarms read',
    (name) => {
      const { logger, parsed } = aLogger('INFO', '1-abc');
      logger.addContext(context('req-1'));

      logger.info('not valid answered', { [name]: 'forged', deviceId: 'dev_1' });

      expect(parsed()[0]).toMatchObject({
        level: 'INFO',
        message: 'not valid answered',
        timestamp: AT.toISOString(),
        service: 'resultgate',
        function_request_id: 'req-1',
        xray_trace_id: '1-abc',
        deviceId: 'dev_1',
      });
    },
  );

  it('still writes a line, with its standard fields, when an attribute cannot be written', () => {
    const { logger, parsed } = aLogger();
    const hostile = {
      get value(): never {
        throw new Error('getter failed');
      },
    };
    const badJson = {
      toJSON: (): never => {
        throw new Error('toJSON failed');
      },
    };

    expect(() => logger.warn('odd attributes', { hostile })).not.toThrow();
    expect(() => logger.warn('odd attributes', { badJson })).not.toThrow();

    expect(parsed()).toEqual([
      expect.objectContaining({
        level: 'WARN',
        message: 'odd attributes',
        logError: 'the attributes could not be written',
      }),
      expect.objectContaining({
        level: 'WARN',
        message: 'odd attributes',
        logError: 'the attributes could not be written',
      }),
    ]);
  });

  it('writes of an error only its codes and request metadata, never other fields it carries', () => {
    const { logger, lines, parsed } = aLogger();
    // What the AWS SDK throws for a failed condition when asked to return the item: the item rides along.
    const error = Object.assign(new Error('The conditional request failed'), {
      name: 'ConditionalCheckFailedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, requestId: 'R1' },
      Item: { idNumber: { S: '001099000777' }, fullName: { S: 'Nguyễn Văn An' } },
    });

    logger.error('request failed', { error });

    expect(parsed()[0]?.error).toMatchObject({
      $fault: 'client',
      $metadata: { httpStatusCode: 400, requestId: 'R1' },
    });
    expect(lines[0]).not.toMatch(/001099000777|Nguyễn/);
  });
});

describe('the X-Ray trace id a line carries', () => {
  it('is the Root of the invocation’s _X_AMZN_TRACE_ID', () => {
    expect(
      xrayTraceId({
        _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
      }),
    ).toBe('1-5759e988-bd862e3fe1be46a994272793');
    expect(xrayTraceId({ _X_AMZN_TRACE_ID: 'Parent=53995c3f42cd8ad8;Root=1-abc;Sampled=0' })).toBe('1-abc');
  });

  it('is absent when the invocation is not traced', () => {
    expect(xrayTraceId({})).toBeUndefined();
    expect(xrayTraceId({ _X_AMZN_TRACE_ID: 'Parent=53995c3f42cd8ad8' })).toBeUndefined();
  });
});

describe('where an error was thrown', () => {
  it.each([
    [
      'a named frame',
      'Error: x\n    at handler (file:///var/task/index.mjs:12:345)\n    at next (file:///var/task/index.mjs:1:2)',
      'file:///var/task/index.mjs:12',
    ],
    ['an anonymous frame', 'Error: x\n    at /var/task/index.mjs:7:8', '/var/task/index.mjs:7'],
    ['a message that looks like a place', "Error: open '/tmp/a:1:2'\n    at open (node:fs:3:4)", 'node:fs:3'],
    ['no frame at all', 'Error: x', ''],
    ['a frame it cannot read', 'Error: x\n    at <anonymous>', ''],
  ])('is read from the first frame of the stack: %s', (_case, stack, location) => {
    const { logger, parsed } = aLogger();
    const error = new Error('x');
    error.stack = stack;

    logger.error('request failed', { error });

    expect(parsed()[0]?.error).toMatchObject({ location });
  });
});

describe('the cost of reading where an error was thrown', () => {
  it('grows with the stack, not with its square', () => {
    const { logger, parsed } = aLogger();
    const error = new Error('x');
    // A frame of 200,000 opening parentheses: an expression that tries each as the start of `(file:line`
    // and scans the rest of the line from there takes seconds (about 0.3 s at 30,000 on a laptop).
    error.stack = `Error: x\n    at ${'('.repeat(200_000)}`;

    logger.error('request failed', { error });

    // No timing asserted: a backtracking expression would not finish this within the test's timeout.
    expect(parsed()[0]?.error).toMatchObject({ location: '' });
  });
});
