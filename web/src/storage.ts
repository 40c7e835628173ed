/**
 * What the page keeps on the phone: the device credential, the language, the public keys (pass and rules
 * keys) and the signed rules document with the device's jurisdiction and mode, for offline checks.
 * Nothing about a traveller is ever written here.
 */
import { isRecord, parseJson } from './guards.js';
import { isLanguage, type Language } from './i18n.js';
import { type PublicJwk, parseJwks } from './jws.js';
import type { DeviceProfile } from './offline-rules.js';

const credentialKey = 'resultgate.credential';
const languageKey = 'resultgate.language';
const keysKey = 'resultgate.jwks';
const keysFetchedAtKey = 'resultgate.jwksFetchedAt';
/** The rules document as the API signed it: checked again at every offline scan, never trusted as stored. */
const rulesKey = 'resultgate.rules';
const rulesFetchedAtKey = 'resultgate.rulesFetchedAt';
const deviceKey = 'resultgate.device';
/** The latest instant judged at with a trusted clock (offline-rules.ts): time does not run backwards. */
const clockMarkKey = 'resultgate.clockMark';
/** 'off' when the phone's clock was off the server's at the last fetch of the rules. */
const clockOffKey = 'resultgate.clockOff';

/** localStorage can throw (private mode, storage disabled); the page then just forgets. */
function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Nothing to do: the value lives for this page load only.
  }
}

export const storage = {
  credential: (): string | null => read(credentialKey),
  saveCredential: (credential: string): void => write(credentialKey, credential),
  /** Unpairing forgets the device's profile too: another device may be paired next. */
  forgetCredential: (): void => {
    write(credentialKey, null);
    write(deviceKey, null);
  },

  language: (): Language => {
    const value = read(languageKey);
    return isLanguage(value) ? value : 'vi';
  },
  saveLanguage: (language: Language): void => write(languageKey, language),

  keys: (): PublicJwk[] => {
    const text = read(keysKey);
    return text === null ? [] : parseJwks(parseJson(text));
  },
  keysFetchedAt: (): Date | undefined => {
    const value = Number(read(keysFetchedAtKey));
    return value > 0 ? new Date(value) : undefined;
  },
  saveKeys: (keys: readonly PublicJwk[], fetchedAt: Date): void => {
    write(keysKey, JSON.stringify({ keys }));
    write(keysFetchedAtKey, String(fetchedAt.getTime()));
  },

  rulesJws: (): string | undefined => read(rulesKey) ?? undefined,
  rulesFetchedAt: (): Date | undefined => {
    const value = Number(read(rulesFetchedAtKey));
    return value > 0 ? new Date(value) : undefined;
  },
  saveRules: (jws: string, fetchedAt: Date): void => {
    write(rulesKey, jws);
    write(rulesFetchedAtKey, String(fetchedAt.getTime()));
  },
  clockMark: (): Date | undefined => {
    const value = Number(read(clockMarkKey));
    return value > 0 ? new Date(value) : undefined;
  },
  saveClockMark: (at: Date): void => write(clockMarkKey, String(at.getTime())),
  clockOff: (): boolean => read(clockOffKey) === 'off',
  saveClockOff: (off: boolean): void => write(clockOffKey, off ? 'off' : null),
  device: (): DeviceProfile | undefined => {
    const value = parseJson(read(deviceKey) ?? '');
    if (!isRecord(value)) return undefined;
    const { jurisdiction, mode } = value;
    return typeof jurisdiction === 'string' && typeof mode === 'string' ? { jurisdiction, mode } : undefined;
  },
  saveDevice: (device: DeviceProfile): void =>
    write(deviceKey, JSON.stringify({ jurisdiction: device.jurisdiction, mode: device.mode })),
};
