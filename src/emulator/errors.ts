/**
 * An error as AWS returns it: the AWS error code (shape name), its message, the
 * HTTP status and whether the caller or the service is at fault.
 * Operations throw these; the protocol layer renders them in each wire format.
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fault: 'Sender' | 'Receiver';

  constructor(code: string, message: string, options: { status?: number; fault?: 'Sender' | 'Receiver' } = {}) {
    super(message);
    this.name = 'AwsError';
    this.code = code;
    this.status = options.status ?? 400;
    this.fault = options.fault ?? (this.status >= 500 ? 'Receiver' : 'Sender');
  }
}

/** The request names an operation the emulator does not serve. */
export function unsupportedOperation(service: string, operation: string): AwsError {
  return new AwsError(
    'UnsupportedOperation',
    `${service} operation ${operation} is not emulated by ecs-rollout; see docs/emulator-fidelity.md for what is.`,
  );
}

/** A required parameter is missing or has the wrong type (AWS's generic validation error). */
export function validationError(message: string): AwsError {
  return new AwsError('ValidationError', message);
}
