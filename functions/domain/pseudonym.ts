import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { IdType } from '../schemas/common.js';

/**
 * The secret pepper and its version. A national ID has little entropy, so an unsalted hash of it could be
 * reversed by brute force; every key derived from an ID is an HMAC with this secret instead.
 */
export interface Pepper {
  readonly secret: Buffer;
  readonly version: number;
}

/** The pepper as a KeyObject, made once per secret: createHmac then skips copying the key per call. */
const keys = new WeakMap<Buffer, KeyObject>();
const keyOf = (pepper: Pepper): KeyObject => {
  let key = keys.get(pepper.secret);
  if (!key) {
    key = createSecretKey(pepper.secret);
    keys.set(pepper.secret, key);
  }
  return key;
};

const hmac = (pepper: Pepper, text: string): string =>
  createHmac('sha256', keyOf(pepper)).update(text, 'utf8').digest('hex');

/** The holder pseudonym: HMAC-SHA256(pepper, "idType:normalisedIdNumber"), lowercase hex. */
export const holderKey = (pepper: Pepper, idType: IdType, normalisedIdNumber: string): string =>
  hmac(pepper, `${idType}:${normalisedIdNumber}`);

/**
 * Lets a manual check compare a date of birth without storing it: only the birth year is shown to an
 * officer, so the full date is kept as a keyed hash bound to the holder.
 */
export const birthDateCheck = (pepper: Pepper, key: string, dateOfBirth: string): string =>
  hmac(pepper, `dob:${key}:${dateOfBirth}`);

/** A keyed digest of a result's normalised content, to tell an identical resend from a correction. */
export const contentDigest = (pepper: Pepper, content: unknown): string =>
  hmac(pepper, `content:${JSON.stringify(content)}`);
