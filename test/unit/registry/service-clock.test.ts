import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { clockOffProblem, MAX_CLOCK_OFFSET_MS, watchServiceClock } from '../../../cli/admin/service-clock.js';

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
    await close?.();
    close = undefined;
  });

  it("is the Date header of the table's last answer against this computer's clock", async () => {
    const fake = await fakeDynamo(() => new Date(Date.now() + HOUR).toUTCString());
    close = fake.close;
    const clock = watchServiceClock(fake.client);

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
    const clock = watchServiceClock(fake.client);

    await fake.query();
    stamp = undefined;
    await fake.query();

    expect(clock.offsetMs()).toBeLessThan(-HOUR + 2_000);
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
});
