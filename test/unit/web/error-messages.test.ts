import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../../contract/vocabulary.js';
import { type ApiProblem, problemMessage } from '../../../web/src/error-messages.js';
import { en, translate, vi } from '../../../web/src/i18n.js';

/** Every refusal the API can give is worded by the page in the chosen language, never with the server's. */

const rejected = (code: string | undefined, fields: string[] = []): ApiProblem => ({
  kind: 'rejected',
  code,
  fields,
});

describe('API errors in the officer’s words', () => {
  it.each([
    [rejected('MALFORMED_JSON'), 'errMalformed'],
    [rejected('VALIDATION_FAILED'), 'errInvalidRequest'],
    [rejected('VALIDATION_FAILED', ['idType']), 'errInvalidIdType'],
    [rejected('VALIDATION_FAILED', ['idNumber']), 'errInvalidIdNumber'],
    [rejected('VALIDATION_FAILED', ['dateOfBirth']), 'errInvalidDob'],
    [rejected('VALIDATION_FAILED', ['qr']), 'errInvalidQr'],
    [rejected('VALIDATION_FAILED', ['', 'extra', 'dateOfBirth']), 'errInvalidDob'],
    [rejected('UNAUTHENTICATED'), 'errUnauthorized'],
    [rejected('FORBIDDEN'), 'errForbidden'],
    [rejected('NOT_FOUND'), 'errNotFound'],
    [rejected('PAYLOAD_TOO_LARGE'), 'errTooLarge'],
    [rejected('RATE_LIMITED'), 'errRateLimitedSoon'],
    [rejected('INTERNAL'), 'errServer'],
    [rejected('SOMETHING_NEW'), 'errInvalidRequest'],
    [rejected('toString'), 'errInvalidRequest'],
    [rejected(undefined), 'errInvalidRequest'],
    [{ kind: 'unauthenticated' }, 'errUnauthorized'],
    [{ kind: 'forbidden' }, 'errForbidden'],
    [{ kind: 'rateLimited', retryAfterSeconds: undefined }, 'errRateLimitedSoon'],
    [{ kind: 'unreachable' }, 'errNetwork'],
    [{ kind: 'serverError' }, 'errServer'],
  ] satisfies [ApiProblem, string][])('%j → %s', (problem, key) => {
    expect(problemMessage(problem).key).toBe(key);
  });

  it('says how long to wait when the API gives Retry-After', () => {
    const message = problemMessage({ kind: 'rateLimited', retryAfterSeconds: 42 });

    expect(translate('vi', message.key, message.params)).toBe(
      'Kiểm tra quá nhiều trong thời gian ngắn. Hãy đợi 42 giây rồi thử lại.',
    );
    expect(translate('en', message.key, message.params)).toContain('Wait 42 seconds');
  });

  it.each(errorCodes)('words %s in both languages with a text of its own', (code) => {
    const { key } = problemMessage(rejected(code));

    expect(vi[key]).not.toBe(en[key]);
    expect(vi[key]).toMatch(/[ạảãáàâầấậẩẫăằắặẳẵđêềếệểễôồốộổỗơờớợởỡưừứựửữíìịỉĩóòọỏõúùụủũ]/i);
  });
});
