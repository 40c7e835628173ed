/** What the public page fetches: its config.json, GET /v1/facilities, and the signed rules with their key. */
import type { RulesDocumentClaims } from '../../../contract/rules-document.js';
import { isRecord, parseJson, stringField } from '../guards.js';
import { parseJwks } from '../jws.js';
import { verifyRulesDocument } from '../offline-rules.js';
import { apiBaseUrlOf, hoursOf } from '../page-config.js';
import { type PublicFacilityList, readFacilityList } from './facility-list.js';

export interface PublicConfig {
  /** The API's base URL; '' for the same origin (the local stack). */
  readonly apiBaseUrl: string;
  /** The stage's `staleLabHours` (the freshness alarm's threshold), written by lib/constructs/web.ts. */
  readonly staleLabHours: number;
}

/** The stage default (lib/stages.ts), for the local stack, which writes no config.json. */
export const defaultStaleLabHours = 24;

export function readPublicConfig(config: unknown): PublicConfig {
  return {
    apiBaseUrl: apiBaseUrlOf(config),
    staleLabHours: hoursOf(config, 'staleLabHours', defaultStaleLabHours),
  };
}

async function getJson(url: string): Promise<unknown> {
  try {
    const response = await fetch(url, { cache: 'no-cache', signal: AbortSignal.timeout(8000) });
    return response.ok ? parseJson(await response.text()) : undefined;
  } catch {
    return undefined;
  }
}

/** config.json next to the page (the same one the checkpoint page reads), or the defaults without it. */
export async function loadPublicConfig(): Promise<PublicConfig> {
  return readPublicConfig(await getJson('config.json'));
}

export async function loadFacilities(apiBaseUrl: string): Promise<PublicFacilityList | undefined> {
  return readFacilityList(await getJson(`${apiBaseUrl}/v1/facilities`));
}

/**
 * The rules document, only when its signature checks against the rules key of GET /v1/keys (the very
 * check a checkpoint phone makes): the page shows the rules checkpoints apply, or none.
 */
export async function loadVerifiedRules(apiBaseUrl: string): Promise<RulesDocumentClaims | undefined> {
  const [rules, keys] = await Promise.all([
    getJson(`${apiBaseUrl}/v1/rules`),
    getJson(`${apiBaseUrl}/v1/keys`),
  ]);
  const jws = isRecord(rules) ? stringField(rules, 'jws') : undefined;
  return verifyRulesDocument(jws, parseJwks(keys));
}
