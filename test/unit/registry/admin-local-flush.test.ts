import { writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localGateway, readLocalControlToken } from '../../../cli/admin/gateway.js';
import { makeTempDirSync } from '../../support/temp.js';

interface Received {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingHttpHeaders;
}

/** A stand-in for the local gateway's control endpoint: 204 for the right token, 403 otherwise. */
let server: Server;
let url: string;
let received: Received[];

beforeEach(async () => {
  received = [];
  server = createServer((request, response) => {
    received.push({ method: request.method, url: request.url, headers: request.headers });
    const authorized = request.headers['x-local-control-token'] === 'the-token';
    response.writeHead(authorized ? 204 : 403).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const dataDirWith = (stackJson: unknown): string => {
  const dir = makeTempDirSync('admin');
  writeFileSync(path.join(dir, 'stack.json'), JSON.stringify(stackJson));
  return dir;
};

describe('flushing the local gateway’s authorizer cache', () => {
  it('POSTs the control token to the flush endpoint and takes 204 as flushed', async () => {
    const outcome = await localGateway(`${url}/`, 'the-token').flushAuthorizerCache();

    expect(outcome).toBe('flushed');
    expect(received).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: '/_local/flush-authorizer-cache',
        headers: expect.objectContaining({ 'x-local-control-token': 'the-token' }),
      }),
    ]);
  });

  it('fails, naming the status in Vietnamese then English, when the gateway refuses the token', async () => {
    await expect(localGateway(url, 'wrong').flushAuthorizerCache()).rejects.toThrow(
      'Cổng API cục bộ từ chối xoá bộ nhớ đệm của bộ xác thực (HTTP 403). / ' +
        'The local gateway refused to flush its authorizer cache (HTTP 403).',
    );
  });

  it('has nothing to flush, and calls nothing, without a control token', async () => {
    expect(await localGateway(url, undefined).flushAuthorizerCache()).toBe('none');
    expect(received).toEqual([]);
  });

  it('keeps no API keys locally', async () => {
    const gateway = localGateway(url, 'the-token');
    expect(await gateway.ensureUsageKey('dev_1', 'checkpoint')).toBe('none');
    expect(await gateway.deleteUsageKey('dev_1')).toBe('none');
    expect(received).toEqual([]);
  });
});

describe('reading the control token from stack.json', () => {
  it('reads controlToken when the local stack wrote one', async () => {
    expect(await readLocalControlToken(dataDirWith({ url, controlToken: 'the-token' }))).toBe('the-token');
  });

  it.each([
    ['an older stack.json without the field', { url }],
    ['an empty token', { url, controlToken: '' }],
    ['a token that is not a string', { url, controlToken: 42 }],
    ['not an object', ['x']],
  ])('treats %s as no token', async (_what, json) => {
    expect(await readLocalControlToken(dataDirWith(json))).toBeUndefined();
  });

  it('treats a missing or broken stack.json as no token', async () => {
    const dir = makeTempDirSync('admin');
    expect(await readLocalControlToken(dir)).toBeUndefined();
    writeFileSync(path.join(dir, 'stack.json'), '{not json');
    expect(await readLocalControlToken(dir)).toBeUndefined();
  });
});
