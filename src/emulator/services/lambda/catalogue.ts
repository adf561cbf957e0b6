import { AwsError } from '../../errors.js';

/** Lambda's error codes and messages, as Lambda words them where known. */
export const errors = {
  functionNotFound: (arn: string) => new AwsError('ResourceNotFoundException', `Function not found: ${arn}`, { status: 404 }),
  functionExists: (name: string) => new AwsError('ResourceConflictException', `Function already exist: ${name}`, { status: 409 }),
  invalidValue: (message: string) => new AwsError('InvalidParameterValueException', message),
  validation: (message: string) => new AwsError('ValidationException', `1 validation error detected: ${message}`),
};

/** The {errorType, errorMessage} document of a failed invocation. */
export const functionErrors = {
  exited: (requestId: string, code: number | null, signal: string | null) => ({
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${signal ? `signal: ${signal.toLowerCase()}` : `exit status ${code ?? 1}`}`,
  }),
  timedOut: (requestId: string, seconds: number) => ({
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds.toFixed(2)} seconds`,
  }),
  cannotStart: (message: string) => ({ errorType: 'Runtime.InvalidEntrypoint', errorMessage: message }),
  httpStatus: (url: string, status: number, body: string) => ({
    errorType: 'LocalEndpointError',
    errorMessage: `POST ${url} answered HTTP ${status}${body ? `: ${body.slice(0, 500)}` : ''}`,
  }),
  unreachable: (url: string, message: string) => ({ errorType: 'LocalEndpointError', errorMessage: `POST ${url} failed: ${message}` }),
};
