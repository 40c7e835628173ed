import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aResult } from '../../support/fixtures.js';
import { startStack, type TestStack } from '../../support/local-stack.js';

/** Bodies and names that must be refused whole, over HTTP against the local stack, as a lab sends them. */
describe('refused input, over HTTP against the local stack', () => {
  let stack: TestStack;
  let lab: { id: string; credential: string };

  beforeAll(async () => {
    stack = await startStack();
    lab = await stack.addLab();
  });

  afterAll(async () => {
    await stack.stop();
  });

  const post = async (body: BodyInit, contentType = 'application/json') => {
    const response = await fetch(`${stack.url}/v1/results`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${lab.credential}`, 'Content-Type': contentType },
      body,
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  const batchText = (fullName: string) => JSON.stringify({ results: [aResult({ fullName })] });

  it('refuses the bytes FF C3 inside a name as MALFORMED_JSON, whatever the content type says', async () => {
    const [before = '', after = ''] = batchText('Nguyen XX An').split('XX');
    const bytes = Buffer.concat([Buffer.from(before), Buffer.from([0xff, 0xc3]), Buffer.from(after)]);

    for (const contentType of ['application/json', 'application/json; charset=utf-8', 'text/plain']) {
      expect(await post(new Uint8Array(bytes), contentType)).toMatchObject({
        status: 400,
        body: { error: { code: 'MALFORMED_JSON' } },
      });
    }
  });

  it('refuses a body that names a key twice as MALFORMED_JSON rather than keeping the last one', async () => {
    const text = batchText('Nguyễn Văn An').replace(
      '"result":"NEGATIVE"',
      '"result":"POSITIVE","result":"NEGATIVE"',
    );
    expect(text).toContain('"result":"POSITIVE","result":"NEGATIVE"');

    expect(await post(text)).toMatchObject({ status: 400, body: { error: { code: 'MALFORMED_JSON' } } });
  });

  it.each([
    ['a bidi override (U+202E)', 'Nguyễn \u202EnA năV'],
    ['a zero-width space (U+200B)', 'Nguyễn\u200BVăn An'],
    ['an unpaired surrogate', 'Nguyễn Văn An \uD800'],
  ])('refuses a name with %s as VALIDATION_FAILED at its path', async (_, fullName) => {
    const answer = await post(batchText(fullName));

    expect(answer).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', details: [{ path: 'results[0].citizen.fullName' }] } },
    });
    expect(JSON.stringify(answer.body)).not.toContain('Nguyễn');
  });

  it('still accepts a Vietnamese name sent as UTF-8', async () => {
    expect(await post(batchText('Nguyễn Thị Ánh'))).toMatchObject({ status: 202, body: { accepted: 1 } });
  });
});
