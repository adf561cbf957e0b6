import { AwsError } from '../../errors.js';

/**
 * CloudWatch Logs' error codes and messages. The not-found and already-exists
 * wordings are AWS's as clients print them; the validation messages follow
 * AWS's framework form ("1 validation error detected: ..."). Messages that
 * contain "ecs-rollout" name a gap of the emulator.
 */
export const errors = {
  groupNotFound: () => new AwsError('ResourceNotFoundException', 'The specified log group does not exist.'),
  streamNotFound: () => new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.'),
  groupExists: () => new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists'),
  streamExists: () => new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists'),
  invalid: (message: string) => new AwsError('InvalidParameterException', message),
  constraint: (value: unknown, member: string, constraint: string) =>
    new AwsError(
      'InvalidParameterException',
      `1 validation error detected: Value ${value === undefined || value === null ? 'null' : `'${String(value)}'`} at '${member}' failed to satisfy constraint: ${constraint}`,
    ),
  invalidToken: () => new AwsError('InvalidParameterException', 'The specified nextToken is invalid.'),
  notChronological: () => new AwsError('InvalidParameterException', 'Log events in a single PutLogEvents request must be in chronological order.'),
  spanTooLong: () => new AwsError('InvalidParameterException', 'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.'),
  batchTooLarge: (bytes: number) =>
    new AwsError('InvalidParameterException', `Upload too large: ${bytes} bytes exceeds limit of 1048576`),
  groupArgs: () => new AwsError('InvalidParameterException', 'Either logGroupName or logGroupIdentifier must be specified, but not both.'),
  unsupported: (what: string) => new AwsError('InvalidParameterException', `${what} is not emulated by ecs-rollout; see docs/emulator-fidelity.md for what is.`),
};
