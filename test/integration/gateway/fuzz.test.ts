import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rawRequest, startFakeGateway, statusOf } from '../../support/fake-gateway.js';

type FakeGateway = Awaited<ReturnType<typeof startFakeGateway>>;
let gateway: FakeGateway;
let credential = '';
beforeAll(async () => {
  // The fake handlers answer 200, so any 5xx seen here is the gateway's own.
  gateway = await startFakeGateway({ staticDir: '/nonexistent', controlToken: 'fuzz-token-0123456789' });
  ({ credential } = await gateway.commands.addDevice('Chốt Km 5'));
});
afterAll(() => gateway.close());

const oddText = fc.oneof(
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9._~%!$&'()*+,;=:@/-]{0,40}$/), weight: 4 },
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '%',
    '%ZZ',
    '%E0%A4%A',
    '%00',
    '..',
    '//',
    '\\',
    '?',
    '#',
    '%2F..%2F',
    ':99999',
    '*',
    'health',
  ),
);
const target = fc.oneof(
  fc.constantFrom('//a:99999/', '/v1/results/%ZZ', '*', 'http://x/v1/health', '/../../etc/passwd', ''),
  fc
    .tuple(
      fc.constantFrom(
        '/',
        '/v1/',
        '/v1/results/',
        '/v1/verify',
        '/_local/flush-authorizer-cache',
        '/v1/results/S',
        '//',
      ),
      oddText,
      fc.option(oddText),
    )
    .map(([base, path, query]) => `${base}${path}${query === null ? '' : `?${query}`}`),
);
// Mostly requests Node parses (so they reach the gateway), some it refuses itself.
const method = fc.oneof(
  {
    arbitrary: fc.constantFrom('GET', 'POST', 'GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH'),
    weight: 8,
  },
  { arbitrary: fc.string({ maxLength: 10 }), weight: 1 },
);
const header = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      `Authorization: Bearer ${'x'.repeat(20)}`,
      'Authorization: Bearer',
      'Authorization: %ZZ',
      'X-Local-Control-Token: wrong',
      'Content-Type: application/json',
    ),
    weight: 3,
  },
  {
    arbitrary: fc
      .tuple(fc.stringMatching(/^[A-Za-z][A-Za-z-]{0,19}$/), fc.stringMatching(/^[ -~]{0,40}$/))
      .map(([n, v]) => `${n}: ${v}`),
    weight: 6,
  },
  {
    arbitrary: fc.oneof(
      fc.constantFrom('Content-Length: 5', 'Content-Length: -1', 'Transfer-Encoding: chunked'),
      fc
        .tuple(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 40 }))
        .map(([n, v]) => `${n}: ${v}`),
    ),
    weight: 1,
  },
);
const body = fc.oneof(fc.constant(''), fc.string({ maxLength: 200 }), fc.json());

describe('the local gateway under arbitrary requests', () => {
  it('never answers a 5xx of its own and keeps serving, whatever the request line, headers and body', async () => {
    const seen: number[] = [];
    await fc.assert(
      fc.asyncProperty(
        method,
        target,
        fc.array(header, { maxLength: 5 }),
        body,
        fc.boolean(),
        async (m, t, headers, b, withCredential) => {
          const lines = [`${m} ${t} HTTP/1.1`, 'Host: localhost', ...headers];
          if (withCredential) lines.push(`Authorization: Bearer ${credential}`);
          // Without a length, a body would be read as a second (bad) request on the same connection.
          if (b !== '') lines.push(`Content-Length: ${Buffer.byteLength(b)}`);
          const raw = await rawRequest(gateway.port, `${lines.join('\r\n')}\r\n\r\n${b}`, 2_000);
          const status = statusOf(raw);
          if (status !== undefined) seen.push(status);
          expect(status === undefined || status < 500).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
    // The server still works, and the cases did reach it.
    expect((await gateway.call('GET', '/v1/health')).status).toBe(200);
    expect(seen.filter((s) => s === 400).length).toBeGreaterThan(10);
    expect(seen.filter((s) => s !== 400).length).toBeGreaterThan(30);
  }, 120_000);

  it('survives clients that hang up mid-request, and logs them as unanswered, not as a 200 or an error', async () => {
    for (let i = 0; i < 20; i += 1) {
      await rawRequest(
        gateway.port,
        `POST /v1/verify HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${credential}\r\nContent-Length: 1000\r\n\r\n{"par`,
        50,
      );
    }
    expect((await gateway.call('GET', '/v1/health')).status).toBe(200);

    const lines: string[] = [];
    const logged = await startFakeGateway({ log: (line) => lines.push(line) });
    try {
      const device = await logged.commands.addDevice('Chốt Km 7');
      await rawRequest(
        logged.port,
        `POST /v1/verify HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${device.credential}\r\nContent-Length: 1000\r\n\r\n{"par`,
        50,
      );
      await vi.waitFor(() => expect(lines).toHaveLength(1));
      await logged.call('GET', '/v1/health');
      await vi.waitFor(() => expect(lines).toHaveLength(2));
      expect(lines[0]).toMatch(/^POST \/v1\/verify no answer \(client gone\) \d+ms$/);
      expect(lines[1]).toMatch(/^GET \/v1\/health 200 \d+ms$/);
    } finally {
      await logged.close();
    }
  });
});
