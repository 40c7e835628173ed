/** How both pages read their `config.json` (written by lib/constructs/web.ts; none on the local stack). */
import { isRecord, numberField, stringField } from './guards.js';

/** The API's base URL without a trailing slash; '' (the page's own origin) when not given. */
export function apiBaseUrlOf(config: unknown): string {
  const url = isRecord(config) ? stringField(config, 'apiBaseUrl') : undefined;
  return url ? url.replace(/\/+$/, '') : '';
}

/** A number of hours from the config, when it is one from just above 0 to 30 days; else `fallback`. */
export function hoursOf(config: unknown, name: string, fallback: number): number {
  const hours = isRecord(config) ? numberField(config, name) : undefined;
  return hours !== undefined && hours > 0 && hours <= 24 * 30 ? hours : fallback;
}
