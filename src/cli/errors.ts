import { describeCause, RolloutError } from '../spec/errors.js';
import { ExitCode } from './exit-codes.js';

/** Any thrown value as a RolloutError: ours as they are, anything else as Unexpected. */
export function asRolloutError(err: unknown): RolloutError {
  if (err instanceof RolloutError) return err;
  return new RolloutError('Unexpected', `unexpected error: ${describeCause(err)}`, { cause: err });
}

export function exitCodeForError(err: RolloutError): number {
  return err.kind === 'user' ? ExitCode.BadInput : ExitCode.Error;
}
