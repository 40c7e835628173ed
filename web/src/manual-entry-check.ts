/**
 * The manual entry refused on the phone exactly when the server would refuse it, by the contract's own
 * rules (contract/identity.ts: no copy of them here), each problem in the officer's words.
 */
import type { Clock } from '../../contract/clock.js';
import {
  cccdBirthMismatch,
  type HolderIdentity,
  idNumberFormatProblem,
  isBirthDateInFuture,
  isBirthDateTooEarly,
  isCalendarDate,
  MAX_ID_NUMBER_LENGTH,
  normalizeIdNumber,
} from '../../contract/identity.js';
import type { IdType } from '../../contract/vocabulary.js';
import type { MessageKey } from './i18n.js';

/** What the officer has typed so far: the date in three fields, as printed on the ID card. */
export interface ManualDraft {
  readonly idType: IdType;
  readonly idNumber: string;
  readonly day: string;
  readonly month: string;
  readonly year: string;
}

export const emptyManualDraft: ManualDraft = { idType: 'CCCD', idNumber: '', day: '', month: '', year: '' };

/** `YYYY-MM-DD` from the three fields (a one-digit day or month gets its leading zero). */
export const draftDateOfBirth = (draft: ManualDraft): string =>
  `${draft.year}-${draft.month.padStart(2, '0')}-${draft.day.padStart(2, '0')}`;

const idNumberProblems: Readonly<Record<IdType, MessageKey>> = {
  CCCD: 'errCCCD',
  CMND: 'errCMND',
  PASSPORT: 'errPASSPORT',
};

export type ManualEntryCheck =
  | { readonly ok: true; readonly identity: HolderIdentity }
  | { readonly ok: false; readonly problems: readonly MessageKey[] };

/**
 * The identity to send (normalised as the server reads it), or every problem the officer can fix. The CCCD
 * birth-year check needs a well-formed number and date, so it is reported only once both are.
 */
export function checkManualEntry(draft: ManualDraft, clock: Clock): ManualEntryCheck {
  const problems: MessageKey[] = [];
  const idNumber = normalizeIdNumber(draft.idNumber);
  const idNumberOk =
    draft.idNumber.length <= MAX_ID_NUMBER_LENGTH &&
    idNumberFormatProblem(draft.idType, idNumber) === undefined;
  if (!idNumberOk) problems.push(idNumberProblems[draft.idType]);
  const dateOfBirth = draftDateOfBirth(draft);
  if (!isCalendarDate(dateOfBirth)) problems.push('errDobInvalid');
  else if (isBirthDateTooEarly(dateOfBirth)) problems.push('errDobTooEarly');
  else if (isBirthDateInFuture(dateOfBirth, clock)) problems.push('errDobFuture');
  else if (idNumberOk && draft.idType === 'CCCD' && cccdBirthMismatch(idNumber, dateOfBirth) !== undefined) {
    problems.push('errCccdBirth');
  }
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, identity: { idType: draft.idType, idNumber, dateOfBirth } };
}
