/**
 * What the page keeps on the phone: the device credential, the language, and the public pass-signing keys
 * for offline checks. Nothing about a traveller is ever written here.
 */
import { parseJson } from './guards.js';
import { isLanguage, type Language } from './i18n.js';
import { type PublicJwk, parseJwks } from './jws.js';

const credentialKey = 'resultgate.credential';
const languageKey = 'resultgate.language';
const keysKey = 'resultgate.jwks';
const keysFetchedAtKey = 'resultgate.jwksFetchedAt';

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
  forgetCredential: (): void => write(credentialKey, null),

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
};
