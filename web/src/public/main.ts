import { systemClock } from '../../../contract/clock.js';
import { provinces } from '../../../contract/provinces.js';
/**
 * Entry point of the public facilities page (web/dist/facilities.html): no credential, none of the
 * checkpoint page's code. It reads the list and the signed rules at start and every 5 minutes, so a page
 * left open (a screen at a testing site) stays current.
 */

import { type PageData, startFacilitiesPage } from './facilities-page.js';
import { type Language, languages } from './i18n.js';
import { loadFacilities, loadPublicConfig, loadVerifiedRules } from './load.js';

const languageKey = 'resultgate.facilities.language';
const refreshMs = 5 * 60_000;

const savedLanguage = (): Language => {
  try {
    const value = localStorage.getItem(languageKey);
    return languages.find((language) => language === value) ?? 'vi';
  } catch {
    return 'vi';
  }
};

async function main(): Promise<void> {
  const root = document.getElementById('app');
  if (!root) return;
  const config = await loadPublicConfig();
  const page = startFacilitiesPage(root, {
    language: savedLanguage(),
    staleLabHours: config.staleLabHours,
    clock: systemClock,
    saveLanguage: (language) => {
      try {
        localStorage.setItem(languageKey, language);
      } catch {
        // Private mode: the choice lasts until the page closes.
      }
    },
    provinces: provinces.map((province) => ({ code: province.iso, name: province.name })),
  });
  let shown: PageData | undefined;
  // A failed refresh keeps what was shown (its "updated at" line says how old it is).
  const refresh = async () => {
    const [list, rules] = await Promise.all([
      loadFacilities(config.apiBaseUrl),
      loadVerifiedRules(config.apiBaseUrl),
    ]);
    shown = { list: list ?? shown?.list, rules: rules ?? shown?.rules };
    page.show(shown);
  };
  await refresh();
  setInterval(() => void refresh(), refreshMs);
}

void main();
