/** The two API calls the checkpoint page makes, with every outcome the screen has words for. */
import type { RuleReference } from '../../contract/rules.js';
import type { IdType } from '../../contract/vocabulary.js';
import { isRecord, numberField, parseJson, stringField } from './guards.js';
import { isTestType, type PublicJwk, parseJwks, type TestType } from './jws.js';
import { apiBaseUrlOf, hoursOf } from './page-config.js';

export type { IdType } from '../../contract/vocabulary.js';

export type VerifyRequest =
  | { readonly qr: string }
  | { readonly idType: IdType; readonly idNumber: string; readonly dateOfBirth: string };

export type VerifyAnswer =
  | {
      readonly verdict: 'VALID';
      readonly validUntil: string;
      readonly testType: TestType;
      readonly facilityName: string | undefined;
      readonly maskedName: string;
      readonly birthYear: number;
      readonly rule?: RuleReference;
    }
  | {
      readonly verdict: 'NOT_VALID';
      readonly reason: 'NO_VALID_RESULT' | 'PASS_INVALID';
      readonly rule?: RuleReference;
    };

/** The device the credential belongs to, as GET /v1/devices/me answers. */
export interface DeviceAnswer {
  readonly jurisdiction: string;
  readonly mode: string;
}

export type ApiOutcome<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | { readonly kind: 'unauthenticated' }
  | { readonly kind: 'forbidden' }
  /** `retryAfterSeconds` only when the API sent a usable Retry-After. */
  | { readonly kind: 'rateLimited'; readonly retryAfterSeconds: number | undefined }
  /**
   * Any other 4xx: the contract's error code and the `details[].path`s, never its English `message`s,
   * which the page must not show (it words every error itself, in the officer's language).
   */
  | { readonly kind: 'rejected'; readonly code: string | undefined; readonly fields: readonly string[] }
  /** Network error or timeout: the API cannot be reached. */
  | { readonly kind: 'unreachable' }
  /** A 5xx, or an answer the page does not understand. */
  | { readonly kind: 'serverError' };

/** GET /v1/rules as the page reads it: the document, and the server's time when it answered (if sent). */
export interface FetchedRules {
  readonly jws: string;
  readonly servedAt: number | undefined;
}

export interface ApiClient {
  verify(credential: string, request: VerifyRequest): Promise<ApiOutcome<VerifyAnswer>>;
  keys(): Promise<ApiOutcome<PublicJwk[]>>;
  /** The signed rules document (compact JWS), not yet verified, and when the server answered (epoch ms). */
  rules(): Promise<ApiOutcome<FetchedRules>>;
  device(credential: string): Promise<ApiOutcome<DeviceAnswer>>;
}

/** The rule an answer names (`rule: {id, version, legalBasis}`), when the API sends one. */
export function readRuleReference(value: unknown): RuleReference | undefined {
  if (!isRecord(value)) return undefined;
  const id = stringField(value, 'id');
  const version = numberField(value, 'version');
  const legalBasis = stringField(value, 'legalBasis');
  return id !== undefined && version !== undefined && legalBasis !== undefined
    ? { id, version, legalBasis }
    : undefined;
}

export function parseDeviceAnswer(value: unknown): DeviceAnswer | undefined {
  if (!isRecord(value)) return undefined;
  const jurisdiction = stringField(value, 'jurisdiction');
  const mode = stringField(value, 'mode');
  return jurisdiction && mode ? { jurisdiction, mode } : undefined;
}

const verifyTimeoutMs = 6000;

export function parseVerifyAnswer(value: unknown): VerifyAnswer | undefined {
  if (!isRecord(value)) return undefined;
  const rule = readRuleReference(value.rule);
  const withRule = rule === undefined ? {} : { rule };
  if (value.verdict === 'NOT_VALID') {
    const reason = value.reason;
    return reason === 'NO_VALID_RESULT' || reason === 'PASS_INVALID'
      ? { verdict: 'NOT_VALID', reason, ...withRule }
      : undefined;
  }
  if (value.verdict !== 'VALID') return undefined;
  const validUntil = stringField(value, 'validUntil');
  const holder = value.holder;
  if (!validUntil || !isTestType(value.testType) || !isRecord(holder)) return undefined;
  const maskedName = stringField(holder, 'maskedName');
  const birthYear = numberField(holder, 'birthYear');
  if (maskedName === undefined || birthYear === undefined) return undefined;
  const facilityName = isRecord(value.facility) ? stringField(value.facility, 'name') : undefined;
  return {
    verdict: 'VALID',
    validUntil,
    testType: value.testType,
    facilityName,
    maskedName,
    birthYear,
    ...withRule,
  };
}

/** The code and field paths of a contract error body (`{"error":{"code","message","details"?}}`). */
export function readRejection(body: unknown): Extract<ApiOutcome<unknown>, { kind: 'rejected' }> {
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  const details = error && Array.isArray(error.details) ? error.details.filter(isRecord) : [];
  const fields = details.map((detail) => stringField(detail, 'path')).filter((path) => path !== undefined);
  return { kind: 'rejected', code: error ? stringField(error, 'code') : undefined, fields };
}

async function call<T>(
  url: string,
  init: RequestInit,
  parse: (body: unknown) => T | undefined,
  timeoutMs: number,
): Promise<ApiOutcome<T>> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), cache: 'no-store' });
    text = await response.text();
  } catch {
    return { kind: 'unreachable' };
  }
  const body = parseJson(text);
  if (response.status === 401) return { kind: 'unauthenticated' };
  if (response.status === 403) return { kind: 'forbidden' };
  if (response.status === 429) {
    const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
    return {
      kind: 'rateLimited',
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    };
  }
  if (response.status >= 500) return { kind: 'serverError' };
  if (!response.ok) return readRejection(body);
  const value = parse(body);
  return value === undefined ? { kind: 'serverError' } : { kind: 'ok', value };
}

export function createApiClient(baseUrl: string): ApiClient {
  return {
    verify: (credential, request) =>
      call(
        `${baseUrl}/v1/verify`,
        {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${credential}`,
            'Content-Type': 'application/json; charset=utf-8',
          },
          body: JSON.stringify(request),
        },
        parseVerifyAnswer,
        verifyTimeoutMs,
      ),
    keys: () =>
      call(
        `${baseUrl}/v1/keys`,
        { method: 'GET' },
        (body) => (isRecord(body) ? parseJwks(body) : undefined),
        8000,
      ),
    rules: () =>
      call(
        `${baseUrl}/v1/rules`,
        { method: 'GET' },
        (body) => {
          const jws = isRecord(body) ? stringField(body, 'jws') : undefined;
          if (jws === undefined || !isRecord(body)) return undefined;
          const servedAt = Date.parse(stringField(body, 'servedAt') ?? '');
          return { jws, servedAt: Number.isNaN(servedAt) ? undefined : servedAt };
        },
        8000,
      ),
    device: (credential) =>
      call(
        `${baseUrl}/v1/devices/me`,
        { method: 'GET', headers: { Authorization: `Bearer ${credential}` } },
        parseDeviceAnswer,
        8000,
      ),
  };
}

export interface PageConfig {
  /** The API's base URL; '' for the same origin. */
  readonly apiBaseUrl: string;
  /** How long after signing the page applies its rules offline (the stage's setting). */
  readonly offlineRulesMaxAgeHours: number;
}

export const defaultOfflineRulesMaxAgeHours = 24;

/** The page's settings from a `config.json` body; defaults for what it does not say. */
export function readPageConfig(config: unknown): PageConfig {
  return {
    apiBaseUrl: apiBaseUrlOf(config),
    offlineRulesMaxAgeHours: hoursOf(config, 'offlineRulesMaxAgeHours', defaultOfflineRulesMaxAgeHours),
  };
}

/**
 * Reads `config.json` next to index.html (written at deployment by lib/constructs/web.ts) when it is
 * there; without it (the local stack) the API is on the same origin and the defaults apply.
 */
export async function loadPageConfig(): Promise<PageConfig> {
  try {
    const response = await fetch('config.json', { cache: 'no-cache', signal: AbortSignal.timeout(3000) });
    return readPageConfig(response.ok ? parseJson(await response.text()) : undefined);
  } catch {
    return readPageConfig(undefined);
  }
}
