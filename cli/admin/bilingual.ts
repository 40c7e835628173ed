/**
 * Every text the operator reads: Vietnamese first, with its diacritics, then English, in one string
 * separated by " / ". A Vietnamese half never contains the separator, so `halves` can split it again.
 */
export const SEPARATOR = ' / ';

export const viEn = (vi: string, en: string): string => `${vi}${SEPARATOR}${en}`;

/**
 * A text of several lines (the `--help` texts), its two languages kept apart: the help prints the whole
 * Vietnamese block first, then the same text in English.
 */
export interface ViEnText {
  readonly vi: string;
  readonly en: string;
}

/** A message made by `viEn`, back in its two halves; one without the separator (a library's) is both. */
export const halves = (message: string): { readonly vi: string; readonly en: string } => {
  const at = message.indexOf(SEPARATOR);
  return at < 0
    ? { vi: message, en: message }
    : { vi: message.slice(0, at), en: message.slice(at + SEPARATOR.length) };
};

/** What the lab, device and app commands act on, in Vietnamese (the English is the command's noun). */
const VI_NOUNS: Readonly<Record<string, string>> = {
  lab: 'phòng xét nghiệm',
  device: 'thiết bị',
  app: 'ứng dụng',
};

export const viNoun = (what: string): string => VI_NOUNS[what] ?? what;

/** The same, to start a sentence. */
export const viNounFirst = (what: string): string => {
  const noun = viNoun(what);
  return `${noun.charAt(0).toLocaleUpperCase('vi')}${noun.slice(1)}`;
};

/** A principal's status in Vietnamese, after the status itself (which scripts and the API spell so). */
const VI_STATUSES: Readonly<Record<string, string>> = {
  ACTIVE: 'đang hoạt động',
  SUSPENDED: 'tạm ngừng',
  REVOKED: 'đã thu hồi',
};

export const viStatus = (status: string): string => VI_STATUSES[status] ?? status;
