import { type Localized, text } from './messages.js';

/**
 * Errors that end a submit run. Each one is mapped to exit code 2 in exactly one place (`run.ts`).
 * Their texts, in both languages, are shown to the lab operator as they are, so they never carry
 * citizen data or the credential. `message` is the English text.
 */
export abstract class FatalError extends Error {
  abstract readonly code: string;
  constructor(readonly text: Localized) {
    super(text.en);
  }
}

/** The command line or the environment is wrong (missing --file, missing credential, bad URL). */
export class UsageError extends FatalError {
  override readonly name = 'UsageError';
  readonly code = 'USAGE';
}

/** The CSV file cannot be read or is not a results export (missing file, not UTF-8, missing header column, broken quoting). */
export class CsvFileError extends FatalError {
  override readonly name = 'CsvFileError';
  readonly code = 'BAD_FILE';
}

/** 401 or 403: the credential is unknown, revoked, of the wrong role, or its lab is suspended. */
export class AuthError extends FatalError {
  override readonly name = 'AuthError';
  readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN';
  constructor(status: 401 | 403) {
    // The server's own message is English and adds nothing the status does not say.
    super(status === 401 ? text.unauthenticated() : text.forbidden());
    this.code = status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN';
  }
}

/** The server stayed unreachable, overloaded or rate-limiting through every retry. */
export class GiveUpError extends FatalError {
  override readonly name = 'GiveUpError';
  readonly code = 'UNREACHABLE';
}

/** The server answered something the contract does not allow (wrong URL, a proxy page, a broken answer). */
export class ProtocolError extends FatalError {
  override readonly name = 'ProtocolError';
  readonly code = 'UNEXPECTED_RESPONSE';
}
