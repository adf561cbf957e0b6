/**
 * The exit codes of ecs-rollout, the one catalogue (the README repeats it).
 * CI pipelines branch on these, so they never change meaning.
 */
export const ExitCode = {
  /** The command did what was asked (a deployment completed; a dry run passed preflight). */
  Success: 0,
  /** An AWS-side or unexpected error; the message carries AWS's error code and what we were doing. */
  Error: 1,
  /** Bad input or a failed preflight check; nothing was changed. */
  BadInput: 2,
  /** The deployment failed and ECS rolled it back to the previous revision. */
  RolledBack: 3,
  /** The deployment failed and was not rolled back. */
  FailedNotRolledBack: 4,
  /** The deployment did not finish within --timeout; it keeps going in ECS. */
  TimedOut: 5,
  /** Someone stopped the deployment (ecs-rollout abort, StopServiceDeployment); with ROLLBACK the previous revision serves again. */
  Aborted: 6,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODE_HELP = `Exit codes:
  0  success
  1  AWS-side or unexpected error
  2  bad input or failed preflight; nothing was changed
  3  deployment failed and was rolled back
  4  deployment failed and was not rolled back
  5  timed out (or cancelled with --on-cancel detach); the deployment keeps going in ECS
  6  aborted by an operator (ecs-rollout abort or StopServiceDeployment), or cancelled (SIGINT, SIGTERM) and rolled back`;
