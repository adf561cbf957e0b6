import { AwsError } from '../../errors.js';

/**
 * IAM's errors with its awsQuery codes (NoSuchEntity, not
 * NoSuchEntityException) and HTTP statuses from the SDK's error shapes.
 * Wording confirmed against AWS output where docs/emulator-fidelity.md says so.
 */
export const errors = {
  noSuchRole: (name: string) => new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`, { status: 404 }),
  roleExists: (name: string) => new AwsError('EntityAlreadyExists', `Role with name ${name} already exists.`, { status: 409 }),
  malformedPolicy: (message: string) => new AwsError('MalformedPolicyDocument', message),
  invalidInput: (message: string) => new AwsError('InvalidInput', message),
  limitExceeded: (message: string) => new AwsError('LimitExceeded', message, { status: 409 }),
  validation: (message: string) => new AwsError('ValidationError', message),
  invalidPath: () =>
    new AwsError(
      'ValidationError',
      'The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.',
    ),
  invalidPathPrefix: () =>
    new AwsError(
      'ValidationError',
      'The specified value for pathPrefix is invalid. It must begin with the / character and contain only alphanumeric characters and/or / characters.',
    ),
};

/** The AWS validation framework's message, with the member name in lowerCamelCase as IAM reports it. */
export function constraintViolation(member: string, value: unknown, constraint: string): AwsError {
  const shown = value === undefined || value === null ? 'null' : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  return errors.validation(`1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`);
}
