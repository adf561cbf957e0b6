import { AwsError } from '../../errors.js';

/** Parameter Store's error codes and messages, as AWS words them where docs/emulator-fidelity.md says so. */
export const errors = {
  /** AWS answers a missing parameter with an empty message. */
  notFound: () => new AwsError('ParameterNotFound', ''),
  versionNotFound: (name: string, version: string) =>
    new AwsError('ParameterVersionNotFound', `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`),
  exists: () =>
    new AwsError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.'),
  invalidName: () =>
    new AwsError(
      'ValidationException',
      'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_',
    ),
  typeRequired: () => new AwsError('ValidationException', 'A parameter type is required when you create a parameter.'),
  tagsWithOverwrite: () =>
    new AwsError(
      'ValidationException',
      "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    ),
  valueTooLong: (limit: number) =>
    new AwsError(
      'ValidationException',
      `Standard tier parameters support a maximum parameter value of ${limit} characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html`,
    ),
  patternMismatch: (pattern: string) =>
    new AwsError('ParameterPatternMismatchException', `Parameter value, cannot be validated against allowedPattern: ${pattern}`),
  invalidPattern: (message: string) => new AwsError('InvalidAllowedPatternException', message),
  unsupportedDataType: (dataType: string) =>
    new AwsError('ValidationException', `The following data type is not supported: ${dataType} (Data type names are all lowercase.)`),
  validation: (message: string) => new AwsError('ValidationException', `1 validation error detected: ${message}`),
  invalidFilterKey: (key: string) =>
    new AwsError('InvalidFilterKey', `The filter key ${key} is not valid for DescribeParameters, or is not emulated by ecs-rollout; see docs/emulator-fidelity.md`),
  invalidFilterOption: (key: string, option: string) =>
    new AwsError('InvalidFilterOption', `The filter option ${option} is not valid for key ${key}.`),
  invalidNextToken: () => new AwsError('InvalidNextToken', 'The nextToken is not valid.'),
  notEmulated: (what: string) =>
    new AwsError('ValidationException', `${what} is not emulated by ecs-rollout; see docs/emulator-fidelity.md for what is.`),
};
