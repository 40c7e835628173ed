import { describe, expect, it } from 'vitest';
import { cors, parseOrigins } from '../../../functions/http/cors.js';
import { apiEvent } from '../../support/fixtures.js';

const answer = () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{}' });

const run = async (origin: string | undefined, hook: 'after' | 'onError') => {
  const event = apiEvent({});
  if (origin !== undefined) event.headers.origin = origin;
  const request = { event, response: answer() };
  await cors(['https://d111.cloudfront.net'])[hook]?.(request as never);
  return request.response.headers;
};

describe('cors', () => {
  it('names a listed origin on answers and on errors', async () => {
    for (const hook of ['after', 'onError'] as const) {
      expect(await run('https://d111.cloudfront.net', hook)).toMatchObject({
        'Access-Control-Allow-Origin': 'https://d111.cloudfront.net',
        Vary: 'Origin',
      });
    }
  });

  it('adds nothing for another origin or none', async () => {
    expect(await run('https://evil.example', 'after')).toEqual({ 'Content-Type': 'application/json' });
    expect(await run(undefined, 'after')).toEqual({ 'Content-Type': 'application/json' });
  });

  it('reads a comma-separated list of origins', () => {
    expect(parseOrigins(' https://a.example , ,https://b.example')).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(parseOrigins(undefined)).toEqual([]);
  });
});
