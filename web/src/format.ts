/** Pure helpers for what the screen shows: Vietnam local time. (Manual-entry rules: manual-entry-check.ts.) */

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
