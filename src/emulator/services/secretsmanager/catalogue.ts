import { AwsError } from '../../errors.js';

/** Secrets Manager's error codes and messages, as AWS words them where docs/emulator-fidelity.md says so. */
export const errors = {
  notFound: () => new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret."),
  valueNotFoundForStage: (stage: string) =>
    new AwsError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for staging label: ${stage}`),
  valueNotFoundForVersion: (versionId: string) =>
    new AwsError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`),
  exists: (name: string) => new AwsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`),
  scheduledForDeletion: () =>
    new AwsError('InvalidRequestException', "You can't create this secret because a secret with this name is already scheduled for deletion."),
  markedForDeletion: () =>
    new AwsError('InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion."),
  bothValues: () =>
    new AwsError('InvalidParameterException', "You can't specify both a binary secret value and a string secret value in the same secret."),
  forceWithWindow: () =>
    new AwsError('InvalidParameterException', "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays."),
  recoveryWindow: () =>
    new AwsError('InvalidParameterException', 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).'),
  invalidName: () =>
    new AwsError('ValidationException', 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!'),
  invalidNextToken: () => new AwsError('InvalidNextTokenException', 'The NextToken value is not valid.'),
  invalidParameter: (message: string) => new AwsError('InvalidParameterException', message),
  notEmulated: (what: string) =>
    new AwsError('InvalidParameterException', `${what} is not emulated by ecs-rollout; see docs/emulator-fidelity.md for what is.`),
};
