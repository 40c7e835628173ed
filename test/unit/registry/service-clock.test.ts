import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CORRECTED_AFTER_MS,
  clockOffProblem,
  MAX_CLOCK_OFFSET_MS,
  makeServiceClock,
  watchServiceClock,
} from '../../../cli/admin/service-clock.js';
import { awsTarget } from '../../../cli/admin/target.js';

const HOUR = 3_600_000;

/** A DynamoDB endpoint that answers every request with an empty Query result, dated as `date()` says. */
const fakeDynamo = async (date: () => string | undefined) => {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const stamp = date();
      response.sendDate = false;
      response.writeHead(200, {
        'content-type': 'application/x-amz-json-1.0',
        ...(stamp === undefined ? {} : { date: stamp }),
      });
      response.end(JSON.stringify({ Items: [], Count: 0, ScannedCount: 0 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'ap-southeast-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' },
    maxAttempts: 1,
  });
  return {
    client,
    query: () =>
      client.send(
        new QueryCommand({
          TableName: 't',
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'x' } },
        }),
      ),
    close: async () => {
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
};

describe("the service's clock, as the admin CLI reads it", () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    vi.unstubAllEnvs();
    await close?.();
    close = undefined;
  });

  it("is the Date header of the table's last answer against this computer's clock", async () => {
    const fake = await fakeDynamo(() => new Date(Date.now() + HOUR).toUTCString());
    close = fake.close;
    const clock = makeServiceClock();
    watchServiceClock(fake.client, clock);

    expect(clock.offsetMs()).toBeUndefined();
    await fake.query();

    // The header counts whole seconds: an hour ahead, less up to a second and the round trip.
    expect(clock.offsetMs()).toBeGreaterThan(HOUR - 2_000);
    expect(clock.offsetMs()).toBeLessThanOrEqual(HOUR);
  });

  it('keeps the last time it read when an answer has no Date header', async () => {
    let stamp: string | undefined = new Date(Date.now() - HOUR).toUTCString();
    const fake = await fakeDynamo(() => stamp);
    close = fake.close;
    const clock = makeServiceClock();
    watchServiceClock(fake.client, clock);

    await fake.query();
    stamp = undefined;
    await fake.query();

    expect(clock.offsetMs()).toBeLessThan(-HOUR + 2_000);
  });

  it("tells the service's time: this computer's, moved by the offset once it is over 5 s", () => {
    const here = Date.parse('2026-12-02T03:00:00Z');
    const answered = (offset: number) => {
      const clock = makeServiceClock(() => here);
      clock.observe({ headers: { date: new Date(here + offset).toUTCString() } });
      return clock.now().toISOString();
    };

    expect(
      makeServiceClock(() => here)
        .now()
        .toISOString(),
    ).toBe('2026-12-02T03:00:00.000Z');
    expect(answered(CORRECTED_AFTER_MS)).toBe('2026-12-02T03:00:00.000Z');
    expect(answered(-HOUR)).toBe('2026-12-02T02:00:00.000Z');
    expect(answered(25 * HOUR)).toBe('2026-12-03T04:00:00.000Z');
  });

  it('finds nothing wrong within two minutes, or with no time read, and a clock off by more', () => {
    const now = new Date('2026-12-02T03:00:00Z');

    expect(clockOffProblem(undefined, now)).toBeUndefined();
    expect(clockOffProblem(MAX_CLOCK_OFFSET_MS, now)).toBeUndefined();
    expect(clockOffProblem(-MAX_CLOCK_OFFSET_MS, now)).toBeUndefined();
    expect(clockOffProblem(MAX_CLOCK_OFFSET_MS + 1_000, now)).toBe(
      'Đồng hồ máy này chậm 3 phút so với dịch vụ (máy: 2026-12-02T03:00:00.000Z, dịch vụ: 2026-12-02T03:02:01.000Z); ' +
        'hãy chỉnh đồng hồ rồi công bố lại: thời gian chuẩn bị, bản đang áp dụng và thời điểm ghi lại đều tính theo đồng hồ này. / ' +
        "This computer's clock is 3 min behind the service's (here: 2026-12-02T03:00:00.000Z, service: 2026-12-02T03:02:01.000Z); " +
        'set it right and publish again: the lead time, which versions are live and the time recorded all go by it.',
    );
    expect(clockOffProblem(-25 * HOUR, now)).toMatch(/nhanh 1500 phút .* 1500 min ahead of/);
  });

  it("knows a deployed stack's time from its first answer, the stack's outputs, before any change", async () => {
    const outputs = ['RegistryTableName', 'ResultsQueueUrl', 'DeadLetterQueueUrl']
      .map((key) => `<member><OutputKey>${key}</OutputKey><OutputValue>x-${key}</OutputValue></member>`)
      .join('');
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.sendDate = false;
        response.writeHead(200, {
          'content-type': 'text/xml',
          date: new Date(Date.now() + HOUR).toUTCString(),
        });
        response.end(
          '<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult>' +
            `<Stacks><member><StackName>RG</StackName><StackStatus>UPDATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime><Outputs>${outputs}</Outputs></member></Stacks>` +
            '</DescribeStacksResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeStacksResponse>',
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => new Promise((resolve) => server.close(() => resolve()));
    vi.stubEnv(
      'AWS_ENDPOINT_URL_CLOUDFORMATION',
      `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    );
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'example');

    const target = await awsTarget('RG', 'ap-southeast-1');
    const offset = target.serviceClock.offsetMs() ?? 0;
    const now = target.serviceClock.now().getTime();
    target.dispose();

    expect(offset).toBeGreaterThan(HOUR - 2_000);
    expect(offset).toBeLessThanOrEqual(HOUR);
    expect(now - Date.now()).toBeGreaterThan(HOUR - 3_000);
  });
});
