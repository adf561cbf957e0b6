/**
 * The one error class of ecs-rollout. A code says what went wrong; its kind
 * says whose move it is: a user error (bad input, failed preflight: nothing
 * was changed, the message names the fix) or a system error (AWS or a bug:
 * the message says what we were doing, the cause chain keeps the original).
 */
export const USER_ERROR_CODES = ['InvalidArguments', 'InvalidConfig', 'PreflightFailed'] as const;
export const SYSTEM_ERROR_CODES = ['AwsRequestFailed', 'Unexpected'] as const;

export type UserErrorCode = (typeof USER_ERROR_CODES)[number];
export type SystemErrorCode = (typeof SYSTEM_ERROR_CODES)[number];
export type RolloutErrorCode = UserErrorCode | SystemErrorCode;

export class RolloutError extends Error {
  override readonly name = 'RolloutError';
  readonly code: RolloutErrorCode;

  constructor(code: RolloutErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  get kind(): 'user' | 'system' {
    return (USER_ERROR_CODES as readonly string[]).includes(this.code) ? 'user' : 'system';
  }
}

export function userError(code: UserErrorCode, message: string): RolloutError {
  return new RolloutError(code, message);
}

/** Wraps any failure as a system error that says what was being done. */
export function systemError(doing: string, cause: unknown): RolloutError {
  if (cause instanceof RolloutError) return cause;
  return new RolloutError('AwsRequestFailed', `failed to ${doing}: ${describeCause(cause)}`, { cause });
}

/** Runs an AWS call; a failure becomes a system error saying what was being done (systemError). */
export async function doing<T>(what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    throw systemError(what, err);
  }
}

/** "Code: message" for AWS SDK errors, the message otherwise. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const message = cause.message || '(no message)';
    return cause.name && cause.name !== 'Error' ? `${cause.name}: ${message}` : message;
  }
  return String(cause);
}
