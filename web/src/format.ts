/** Pure helpers for what the screen shows: Vietnam local time, and the manual-entry checks. */
import type { IdType } from './api.js';
import type { MessageKey } from './i18n.js';

export const checkpointTimeZone = 'Asia/Ho_Chi_Minh';

const vietnamTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: checkpointTimeZone,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `HH:mm dd/MM/yyyy` in Asia/Ho_Chi_Minh, whatever the phone's own time zone is. */
export function formatVietnamTime(instant: Date): string {
  const parts: Record<string, string> = {};
  for (const part of vietnamTime.formatToParts(instant)) parts[part.type] = part.value;
  return `${parts.hour}:${parts.minute} ${parts.day}/${parts.month}/${parts.year}`;
}

/** Whole hours and minutes from `now` until `until` (zero when past). */
export function timeLeft(until: Date, now: Date): { hours: number; minutes: number } {
  const minutes = Math.max(0, Math.floor((until.getTime() - now.getTime()) / 60_000));
  return { hours: Math.floor(minutes / 60), minutes: minutes % 60 };
}

/** The ID number as the API normalises it: spaces removed, upper case. */
export function normaliseIdNumber(idNumber: string): string {
  return idNumber.replace(/\s+/g, '').toUpperCase();
}

const idNumberPatterns: Record<IdType, RegExp> = {
  CCCD: /^\d{12}$/,
  CMND: /^(\d{9}|\d{12})$/,
  PASSPORT: /^[A-Z0-9]{6,12}$/,
};

const idNumberErrors: Record<IdType, MessageKey> = {
  CCCD: 'errCCCD',
  CMND: 'errCMND',
  PASSPORT: 'errPASSPORT',
};

/** The message keys of what is wrong with a manual entry (empty when it may be sent). */
export function checkManualEntry(
  idType: IdType,
  idNumber: string,
  dateOfBirth: string,
  today: Date,
): MessageKey[] {
  const errors: MessageKey[] = [];
  if (!idNumberPatterns[idType].test(normaliseIdNumber(idNumber))) errors.push(idNumberErrors[idType]);
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth);
  const parsed = date ? new Date(`${dateOfBirth}T00:00:00Z`) : undefined;
  const todayInVietnam = new Date(`${formatIsoDate(today)}T00:00:00Z`);
  if (
    !parsed ||
    Number.isNaN(parsed.getTime()) ||
    parsed.toISOString().slice(0, 10) !== dateOfBirth ||
    parsed.getUTCFullYear() < 1900 ||
    parsed > todayInVietnam
  ) {
    errors.push('errDob');
  }
  return errors;
}

/** `YYYY-MM-DD` of `instant` in Vietnam. */
export function formatIsoDate(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: checkpointTimeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}
