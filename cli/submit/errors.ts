/**
 * Errors that end a submit run. Each one is mapped to exit code 2 in exactly one place (`run.ts`).
 * Messages are shown to the lab operator as they are, so they never carry citizen data or the credential.
 */
export abstract class FatalError extends Error {
  abstract readonly code: string;
}

/** The command line or the environment is wrong (missing --file, missing credential, bad URL). */
export class UsageError extends FatalError {
  override readonly name = 'UsageError';
  readonly code = 'USAGE';
}

/** The CSV file cannot be read or is not a results export (missing file, missing header column, broken quoting). */
export class CsvFileError extends FatalError {
  override readonly name = 'CsvFileError';
  readonly code = 'BAD_FILE';
}

/** 401 or 403: the credential is unknown, revoked, of the wrong role, or its lab is suspended. */
export class AuthError extends FatalError {
  override readonly name = 'AuthError';
  readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN';
  constructor(status: 401 | 403, serverMessage: string | undefined) {
    const advice =
      status === 401
        ? 'The server refused the credential (missing, unknown or revoked). Check RESULTGATE_CREDENTIAL.'
        : 'The credential is valid but may not submit results (not a lab credential, or the lab is suspended).';
    super(serverMessage === undefined ? advice : `${advice} Server said: ${serverMessage}`);
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
