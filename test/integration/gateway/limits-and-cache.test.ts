import { afterEach, describe, expect, it } from 'vitest';
import { errorBody } from '../../../contract/error-body.js';
import { type GatewayResponseType, gatewayErrors } from '../../../contract/gateway-errors.js';
import {
  AUTHORIZER_CACHE_TTL_SECONDS,
  credentialLimits as contractLimits,
} from '../../../contract/limits.js';
import { LOCAL_STAGE, stageCredentialLimits } from '../../../lib/credential-limits.js';
import { stages } from '../../../lib/stages.js';

/** The local gateway enforces the numbers of the stage it mirrors, as that stage deploys them. */
const credentialLimits = stageCredentialLimits[LOCAL_STAGE];

import { manualClock, rawRequest, startFakeGateway, statusOf } from '../../support/fake-gateway.js';

type FakeGateway = Awaited<ReturnType<typeof startFakeGateway>>;
let gateway: FakeGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const TOKEN = 'test-control-token-0123456789abcdef';
const bearer = (credential: string) => ({ Authorization: `Bearer ${credential}` });
const verify = (g: FakeGateway, credential: string) =>
  g.call('POST', '/v1/verify', { ...bearer(credential), 'Content-Type': 'application/json' }, '{}');
const flush = (g: FakeGateway, headers: Record<string, string>) =>
  g.call('POST', '/_local/flush-authorizer-cache', headers);
/** The body API Gateway answers with for one of its own response types (the deployed stack's template). */
const answerOf = (type: GatewayResponseType) =>
  errorBody(gatewayErrors[type].code, gatewayErrors[type].message);

describe('errors the local gateway makes itself', () => {
  it('answers 401, 403, 404 and 413 with the status and body of the deployed gateway responses', async () => {
    gateway = await startFakeGateway({ clock: manualClock().clock });
    const device = await gateway.commands.addDevice('Chốt Km 5');
    const answers: [GatewayResponseType, Awaited<ReturnType<FakeGateway['call']>>][] = [
      [
        'UNAUTHORIZED',
        await gateway.call('POST', '/v1/verify', { 'Content-Type': 'application/json' }, '{}'),
      ],
      ['UNAUTHORIZED', await verify(gateway, 'rg_dev_unknownunknownunknownunknown')],
      ['ACCESS_DENIED', await gateway.call('GET', '/v1/results/S1', bearer(device.credential))],
      ['MISSING_AUTHENTICATION_TOKEN', await gateway.call('GET', '/v1/no-such-route')],
      ['MISSING_AUTHENTICATION_TOKEN', await gateway.call('DELETE', '/v1/health')],
      [
        'REQUEST_TOO_LARGE',
        await gateway.call(
          'POST',
          '/v1/verify',
          { ...bearer(device.credential), 'Content-Type': 'application/json' },
          'x'.repeat(10 * 1024 * 1024 + 1),
        ),
      ],
    ];
    for (const [type, answer] of answers) {
      expect({ status: answer.status, body: JSON.parse(answer.text) }).toEqual({
        status: gatewayErrors[type].status,
        body: answerOf(type),
      });
    }
  });
});

describe('per-credential rate limits at the local gateway', () => {
  it('answers 429 RATE_LIMITED with Retry-After to one device past its burst, while another is served', async () => {
    const { clock } = manualClock();
    gateway = await startFakeGateway({ clock });
    const busy = await gateway.commands.addDevice('Chốt Km 5');
    const other = await gateway.commands.addDevice('Chốt Km 6');

    const statuses: number[] = [];
    const limited: Response['headers'][] = [];
    for (let i = 0; i < 1_000; i += 50) {
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => verify(gateway as FakeGateway, busy.credential)),
      );
      for (const answer of answers) {
        statuses.push(answer.status);
        if (answer.status === 429) {
          limited.push(answer.headers);
          expect(JSON.parse(answer.text)).toEqual(answerOf('THROTTLED'));
        }
      }
    }
    const { burst, ratePerSecond } = credentialLimits.checkpoint;
    // The clock stands still: exactly the burst gets through.
    expect(statuses.filter((s) => s === 200)).toHaveLength(burst);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1_000 - burst);
    expect(limited.every((h) => h.get('Retry-After') === String(Math.ceil(1 / ratePerSecond)))).toBe(true);
    expect((await verify(gateway, other.credential)).status).toBe(200);
  });

  it('enforces the local stage’s limits, which are those the stage deploys', async () => {
    expect(stages[LOCAL_STAGE].credentialLimits).toBe(credentialLimits);
    expect(credentialLimits).toEqual(contractLimits);
  });

  it('enforces other numbers when the stage sets them, with a Retry-After to match', async () => {
    gateway = await startFakeGateway({
      clock: manualClock().clock,
      credentialLimits: { ...credentialLimits, checkpoint: { ratePerSecond: 0.1, burst: 3 } },
    });
    const device = await gateway.commands.addDevice('Chốt Km 5');

    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await verify(gateway, device.credential)).status);
    const limited = await verify(gateway, device.credential);

    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(limited.headers.get('retry-after')).toBe('10');
  });

  it('refills the bucket as time passes, and Retry-After counts down with it', async () => {
    const { clock, advance } = manualClock();
    gateway = await startFakeGateway({ clock });
    const lab = await gateway.commands.addLab({
      name: 'Bệnh viện Bãi Cháy',
      province: 'Quảng Ninh',
      testTypes: ['RT_PCR'],
    });
    const { burst, ratePerSecond } = credentialLimits.lab;
    const get = () => (gateway as FakeGateway).call('GET', '/v1/results/S1', bearer(lab.credential));
    for (let i = 0; i < burst; i += 1) expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(429);

    advance(1000 / ratePerSecond); // one token
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(429);

    advance(60_000); // full again, and never more than the burst
    const statuses = await Promise.all(Array.from({ length: burst + 5 }, () => get()));
    expect(statuses.filter((a) => a.status === 200)).toHaveLength(burst);
  });

  it('gives a device Retry-After of the whole seconds until its next token', async () => {
    const { clock, advance } = manualClock();
    gateway = await startFakeGateway({ clock });
    const device = await gateway.commands.addDevice('Chốt Km 5');
    for (let i = 0; i < credentialLimits.checkpoint.burst; i += 1) await verify(gateway, device.credential);
    advance(2_500); // half a token at 0.2/s: 2.5 s to go
    const answer = await verify(gateway, device.credential);
    expect(answer.status).toBe(429);
    expect(answer.headers.get('Retry-After')).toBe('3');
  });

  it('does not limit public routes nor count refused requests', async () => {
    gateway = await startFakeGateway({ clock: manualClock().clock });
    const health = await Promise.all(
      Array.from({ length: 200 }, () => (gateway as FakeGateway).call('GET', '/v1/health')),
    );
    expect(health.every((a) => a.status === 200)).toBe(true);
    const device = await gateway.commands.addDevice('Chốt Km 5');
    // A device on a lab route is refused with 403, which costs it nothing.
    for (let i = 0; i < 100; i += 1) {
      expect((await gateway.call('GET', '/v1/results/S1', bearer(device.credential))).status).toBe(403);
    }
    expect((await verify(gateway, device.credential)).status).toBe(200);
  });

  it('lifts the limits with rateLimits off (RESULTGATE_RATE_LIMITS=off)', async () => {
    gateway = await startFakeGateway({ clock: manualClock().clock, rateLimits: 'off' });
    const device = await gateway.commands.addDevice('Chốt Km 5');
    const answers = await Promise.all(
      Array.from({ length: 300 }, () => verify(gateway as FakeGateway, device.credential)),
    );
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
  });
});

describe('the authorizer cache at the local gateway', () => {
  it('asks the authorizer once per credential within the TTL, and again after it', async () => {
    const { clock, advance } = manualClock();
    gateway = await startFakeGateway({ clock, rateLimits: 'off' });
    const device = await gateway.commands.addDevice('Chốt Km 5');
    expect((await verify(gateway, device.credential)).status).toBe(200);
    expect((await verify(gateway, device.credential)).status).toBe(200);
    expect(gateway.authorizerCalls()).toBe(1);

    advance(AUTHORIZER_CACHE_TTL_SECONDS * 1000 - 1);
    await verify(gateway, device.credential);
    expect(gateway.authorizerCalls()).toBe(1);
    advance(1);
    await verify(gateway, device.credential);
    expect(gateway.authorizerCalls()).toBe(2);
  });

  it('keeps serving a revoked device from the cache until a flush, then answers 401 at once', async () => {
    gateway = await startFakeGateway({ clock: manualClock().clock, controlToken: TOKEN });
    const device = await gateway.commands.addDevice('Chốt Km 5');
    expect((await verify(gateway, device.credential)).status).toBe(200);
    await gateway.commands.revoke(device.id, 'checkpoint');
    // As in API Gateway: the cached Allow holds for the TTL.
    expect((await verify(gateway, device.credential)).status).toBe(200);

    const flushed = await flush(gateway, { 'X-Local-Control-Token': TOKEN });
    expect(flushed.status).toBe(204);
    expect(flushed.text).toBe('');
    const refused = await verify(gateway, device.credential);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.text)).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });

  it('does not keep an Allow the authorizer worked out across a revoke and its flush', async () => {
    // A request whose authorizer read the registry just before `device revoke`, and answers after the
    // CLI's flush: its Allow must not be cached for the TTL.
    let readDone: () => void = () => undefined;
    const registryRead = new Promise<void>((resolve) => {
      readDone = resolve;
    });
    let answer: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      answer = resolve;
    });
    let holding = true;
    gateway = await startFakeGateway({
      clock: manualClock().clock,
      controlToken: TOKEN,
      afterRegistryRead: async () => {
        if (!holding) return;
        holding = false;
        readDone();
        await held;
      },
    });
    const device = await gateway.commands.addDevice('Chốt Km 5');

    const inFlight = verify(gateway, device.credential);
    await registryRead;
    await gateway.commands.revoke(device.id, 'checkpoint');
    expect((await flush(gateway, { 'X-Local-Control-Token': TOKEN })).status).toBe(204);
    answer();

    // The request already past the authorizer is served, as in API Gateway; every later one is refused.
    expect((await inFlight).status).toBe(200);
    expect((await verify(gateway, device.credential)).status).toBe(401);
    expect((await verify(gateway, device.credential)).status).toBe(401);
  });

  it('caches a Deny and a 401 as well (a suspended lab stays refused until a flush)', async () => {
    gateway = await startFakeGateway({ clock: manualClock().clock, controlToken: TOKEN });
    const lab = await gateway.commands.addLab({
      name: 'Bệnh viện Bãi Cháy',
      province: 'Quảng Ninh',
      testTypes: ['RT_PCR'],
    });
    await gateway.commands.suspendLab(lab.id);
    expect((await gateway.call('GET', '/v1/results/S1', bearer(lab.credential))).status).toBe(403);
    const unknown = 'rg_dev_unknownunknownunknownunknown';
    expect((await verify(gateway, unknown)).status).toBe(401);
    expect((await verify(gateway, unknown)).status).toBe(401);
    expect(gateway.authorizerCalls()).toBe(2);

    await gateway.commands.resumeLab(lab.id);
    expect((await gateway.call('GET', '/v1/results/S1', bearer(lab.credential))).status).toBe(403);
    await flush(gateway, { 'X-Local-Control-Token': TOKEN });
    expect((await gateway.call('GET', '/v1/results/S1', bearer(lab.credential))).status).toBe(200);
  });

  it('answers the flush route 404 NOT_FOUND without the right token, and keeps the cache', async () => {
    gateway = await startFakeGateway({ clock: manualClock().clock, controlToken: TOKEN });
    const device = await gateway.commands.addDevice('Chốt Km 5');
    await verify(gateway, device.credential);
    const notFound = answerOf('MISSING_AUTHENTICATION_TOKEN');
    const attempts: Record<string, string>[] = [
      {},
      { 'X-Local-Control-Token': 'wrong' },
      { 'X-Local-Control-Token': `${TOKEN}x` },
    ];
    for (const headers of attempts) {
      const answer = await flush(gateway, headers);
      expect(answer.status).toBe(404);
      expect(JSON.parse(answer.text)).toEqual(notFound);
    }
    const get = await gateway.call('GET', '/_local/flush-authorizer-cache', {
      'X-Local-Control-Token': TOKEN,
    });
    expect(get.status).toBe(404);
    await verify(gateway, device.credential);
    expect(gateway.authorizerCalls()).toBe(1);
  });

  it('has no flush route at all without a control token', async () => {
    gateway = await startFakeGateway({ clock: manualClock().clock });
    expect((await flush(gateway, { 'X-Local-Control-Token': '' })).status).toBe(404);
  });
});

describe('malformed request targets', () => {
  it.each([
    ['//a:99999/', 'empty segment'],
    ['/v1/results/%ZZ', 'percent-encoding'],
    ['/v1/results/%E0%A4%A', 'percent-encoding'],
    ['/%ZZ.html', 'percent-encoding'],
    ['http://example.com/v1/health', 'must be a path'],
  ])('answers %s with 400 VALIDATION_FAILED (%s) and keeps serving', async (target, words) => {
    gateway = await startFakeGateway({ clock: manualClock().clock, staticDir: '/nonexistent' });
    const lab = await gateway.commands.addLab({
      name: 'Bệnh viện Bãi Cháy',
      province: 'Quảng Ninh',
      testTypes: ['RT_PCR'],
    });
    const raw = await rawRequest(
      gateway.port,
      `GET ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${lab.credential}\r\nConnection: close\r\n\r\n`,
    );
    expect(statusOf(raw)).toBe(400);
    const body = JSON.parse(raw.slice(raw.indexOf('{'), raw.lastIndexOf('}') + 1)) as {
      error: { code: string; message: string };
    };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toContain(words);
    expect(body.error.message).not.toContain(target);
    expect((await gateway.call('GET', '/v1/health')).status).toBe(200);
  });
});
