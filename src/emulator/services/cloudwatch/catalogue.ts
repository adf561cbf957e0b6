import { AwsError } from '../../errors.js';

/** CloudWatch's error codes (the awsQuery-compatible codes its clients map) and messages. */
export const errors = {
  alarmNotFound: (name: string) => new AwsError('ResourceNotFound', `Alarm ${name} not found`, { status: 404 }),
  alarmsNotFound: (names: string[]) => new AwsError('ResourceNotFound', `${names.length === 1 ? 'Alarm' : 'Alarms'} ${names.join(', ')} not found`, { status: 404 }),
  invalid: (message: string) => new AwsError('InvalidParameterValue', message),
  missing: (member: string) => new AwsError('MissingParameter', `The parameter ${member} is required.`),
  invalidToken: () => new AwsError('InvalidNextToken', 'The next token specified is invalid.'),
  invalidFormat: (message: string) => new AwsError('InvalidFormat', message),
  invalidCombination: (message: string) => new AwsError('InvalidParameterCombination', message),
  /** GetMetricData reports bad queries with the generic validation code, not InvalidParameterValue. */
  validation: (message: string) => new AwsError('ValidationError', message),
};

export const stateReasons = {
  created: 'Unchecked: Initial alarm creation',
};
