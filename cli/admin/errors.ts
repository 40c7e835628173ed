import { RedriveError } from '../../functions/adapters/dead-letters.js';
import { DuplicateNameError, InUseError } from '../../functions/domain/registry.js';
import { RuleRefusedError } from '../../functions/domain/rule-publishing.js';
import { ApiError } from '../../functions/errors.js';
import { LocalStackNotRunningError } from '../../local/data-dir.js';
import { viEn } from './bilingual.js';

/**
 * What can go wrong in an admin command, and the one place where each becomes an exit code:
 *   0  done
 *   1  refused: the command was understood but cannot be done (unknown id, invalid value, redrive refused)
 *   2  usage, or no target to act on (local stack not running, stack not found, no AWS credentials)
 *   3  unexpected failure (an AWS error such as AccessDenied, a bug)
 */
export const EXIT = { OK: 0, REFUSED: 1, USAGE_OR_TARGET: 2, FAILED: 3 } as const;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export class StackNotFoundError extends Error {
  override readonly name = 'StackNotFoundError';
  constructor(
    readonly stackName: string,
    region: string | undefined,
  ) {
    super(
      viEn(
        `Không có ngăn xếp CloudFormation nào tên ${stackName}${region ? ` ở khu vực ${region}` : ''}. ` +
          'Hãy kiểm tra --stack (hoặc RESULTGATE_STACK) và khu vực của hồ sơ AWS (AWS_REGION, --region).',
        `No CloudFormation stack named ${stackName}${region ? ` in ${region}` : ''}. ` +
          'Check --stack (or RESULTGATE_STACK) and the region of your AWS profile (AWS_REGION, --region).',
      ),
    );
  }
}

export class StackOutputsMissingError extends Error {
  override readonly name = 'StackOutputsMissingError';
  constructor(stackName: string, missing: readonly string[], status: string | undefined) {
    super(
      viEn(
        `Ngăn xếp ${stackName}${status ? ` (${status})` : ''} thiếu (các) output ${missing.join(', ')}. ` +
          'Đây có phải ngăn xếp ResultGate không, việc triển khai đã xong chưa, và có triển khai từ phiên bản này không (README.md, "Deploy")?',
        `Stack ${stackName}${status ? ` (${status})` : ''} lacks the output(s) ${missing.join(', ')}. ` +
          'Is it a ResultGate stack, has its deployment finished, and is it deployed from this version (README.md, "Deploy")?',
      ),
    );
  }
}

/** No credentials or no region in the operator's default AWS provider chain. */
export class AwsSetupError extends Error {
  override readonly name = 'AwsSetupError';
}

export interface Failure {
  readonly code: string;
  readonly message: string;
  readonly exit: number;
}

const fieldOf = (error: unknown, key: string): unknown => {
  if (typeof error !== 'object' || error === null) return undefined;
  const value: unknown = Reflect.get(error, key);
  return value;
};

const isAwsServiceError = (error: unknown): error is Error =>
  error instanceof Error && typeof fieldOf(error, '$metadata') === 'object';

/** Turns any thrown value into the code, message and exit status the operator sees. */
export const classify = (error: unknown): Failure => {
  // A likely mistake, not a usage error as such: exit 2 like one, so a script stops, and --force overrides.
  if (error instanceof DuplicateNameError)
    return { code: 'DUPLICATE_NAME', message: error.message, exit: EXIT.USAGE_OR_TARGET };
  if (error instanceof InUseError) return { code: 'IN_USE', message: error.message, exit: EXIT.REFUSED };
  if (error instanceof ApiError) return { code: error.code, message: error.message, exit: EXIT.REFUSED };
  if (error instanceof RuleRefusedError)
    return { code: error.code, message: error.message, exit: EXIT.REFUSED };
  if (error instanceof RedriveError)
    return { code: 'REDRIVE_REFUSED', message: error.message, exit: EXIT.REFUSED };
  if (error instanceof UsageError)
    return { code: 'USAGE', message: error.message, exit: EXIT.USAGE_OR_TARGET };
  if (error instanceof LocalStackNotRunningError)
    return { code: 'LOCAL_STACK_NOT_RUNNING', message: error.message, exit: EXIT.USAGE_OR_TARGET };
  if (error instanceof StackNotFoundError)
    return { code: 'STACK_NOT_FOUND', message: error.message, exit: EXIT.USAGE_OR_TARGET };
  if (error instanceof StackOutputsMissingError)
    return { code: 'STACK_OUTPUTS_MISSING', message: error.message, exit: EXIT.USAGE_OR_TARGET };
  const setup = error instanceof AwsSetupError ? error : asAwsSetupError(error);
  if (setup !== undefined)
    return { code: 'AWS_NOT_CONFIGURED', message: setup.message, exit: EXIT.USAGE_OR_TARGET };
  if (isAwsServiceError(error))
    return {
      code: 'AWS_ERROR',
      // AWS's own words follow once, after both halves: they are English only.
      message: `${viEn('AWS từ chối', 'AWS refused')}: ${error.name}: ${error.message}`,
      exit: EXIT.FAILED,
    };
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 'INTERNAL',
    message: `${viEn('Lỗi ngoài dự kiến', 'Unexpected failure')}: ${message}`,
    exit: EXIT.FAILED,
  };
};

/** The SDK's own errors for a missing credential or region, recognised by name and message. */
export const asAwsSetupError = (error: unknown): AwsSetupError | undefined => {
  if (!(error instanceof Error)) return undefined;
  if (
    error.name === 'CredentialsProviderError' ||
    (/credential/i.test(error.message) && !isAwsServiceError(error))
  )
    return new AwsSetupError(
      viEn(
        'Không tìm thấy thông tin xác thực AWS. Hãy đăng nhập như thường lệ (aws sso login, AWS_PROFILE hoặc biến môi trường).',
        `No AWS credentials found (${error.message}). Sign in as usual (aws sso login, AWS_PROFILE, or environment variables).`,
      ),
    );
  if (/region is missing/i.test(error.message))
    return new AwsSetupError(
      viEn(
        'Chưa đặt khu vực AWS: hãy đặt AWS_REGION, khu vực trong hồ sơ AWS, hoặc dùng --region.',
        'No AWS region set: set AWS_REGION, a profile region, or pass --region.',
      ),
    );
  return undefined;
};

/** A connection refused by the local emulators: the stack.json is there but the stack is gone. */
export const isConnectionRefused = (error: unknown): boolean =>
  fieldOf(error, 'code') === 'ECONNREFUSED' || (error instanceof Error && /ECONNREFUSED/.test(error.message));
